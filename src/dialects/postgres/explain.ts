import type { PlanRows, VectorExplain } from '../dialect';
import { planName } from '../shared/plan-text';

const lines = (rows: PlanRows): string[] => rows.map((row) => String(row['QUERY PLAN'] ?? ''));

/**
 * PostgreSQL's `EXPLAIN` text: an index is read where a line says `Index Scan using <index> on`
 * (or `Index Only Scan`, `Bitmap Index Scan on <index>`), a table is scanned whole where one says
 * `Seq Scan on <table>`. pgvector's HNSW returns at most `hnsw.ef_search` rows to one scan unless
 * iterative scans are on.
 *
 * @example
 * postgresExplain.readsIndex([{ 'QUERY PLAN': '  ->  Index Scan using doc_hnsw on doc d  (cost=...)' }], 'doc_hnsw', sql); // true
 */
export const postgresExplain: VectorExplain = {
  prefix: 'EXPLAIN ',
  planText: (rows) => lines(rows).join('\n'),
  readsIndex(rows, index) {
    const pattern = new RegExp(`(?:Index(?: Only)? Scan(?: Backward)? using ${planName(index)} on |Bitmap Index Scan on ${planName(index)}(?:\\s|$))`);
    return lines(rows).some((line) => pattern.test(line));
  },
  scansTable(rows, { name }) {
    const pattern = new RegExp(`Seq Scan on ${planName(name)}(?:\\s|$)`);
    return lines(rows).some((line) => pattern.test(line));
  },
  skipped: (filtered, table) =>
    filtered
      ? `, as its planner does when the filter is selective (reading the rows that pass and sorting them costs less): nothing to fix while few rows pass, else run ANALYZE ${table} so the planner sees how many do`
      : `, as its planner does when the table is small or its statistics are stale: run ANALYZE ${table} after loading rows (on a small table the exact scan is the faster plan)`,
  rowCap: { kinds: ['hnsw'], knob: 'efSearch', setting: 'hnsw.ef_search' },
  currentTuning: {
    query: { sql: "SELECT current_setting('hnsw.ef_search', true) AS ef_search, current_setting('hnsw.iterative_scan', true) AS iterative_scan", parameters: [] },
    read(rows) {
      const row = rows[0] ?? {};
      const efSearch = Number(row.ef_search);
      const iterativeScan = String(row.iterative_scan ?? '');
      return {
        ...(Number.isInteger(efSearch) && efSearch > 0 ? { efSearch } : {}),
        ...(iterativeScan === 'off' || iterativeScan === 'strict_order' || iterativeScan === 'relaxed_order' ? { iterativeScan } : {}),
      };
    },
  },
};
