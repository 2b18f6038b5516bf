import type { VectorExplain } from '../dialect';

const keys = (row: Record<string, unknown>): string[] => (row.key == null ? [] : String(row.key).split(','));

/**
 * MariaDB's tabular `EXPLAIN`: an index is read where a row's `key` names it (a VECTOR INDEX read
 * for `ORDER BY distance LIMIT k` shows `type` `index`), a table is scanned whole where its row has
 * `type` `ALL`.
 *
 * @example
 * mariadbExplain.readsIndex([{ table: 'd', type: 'index', key: 'doc_hnsw', rows: '10' }], 'doc_hnsw', sql); // true
 */
export const mariadbExplain: VectorExplain = {
  prefix: 'EXPLAIN ',
  planText: (rows) =>
    rows
      .map((row) => [`${String(row.select_type)} ${String(row.table)}`, `type=${String(row.type)}`, `key=${String(row.key ?? 'NULL')}`, `rows=${String(row.rows)}`, row.Extra ? String(row.Extra) : '']
        .filter(Boolean)
        .join(' '))
      .join('\n'),
  readsIndex: (rows, index) => rows.some((row) => keys(row).includes(index)),
  scansTable: (rows, { name, alias }) => rows.some((row) => (row.table === alias || row.table === name) && row.type === 'ALL'),
  skipped: (filtered, tableName) =>
    filtered
      ? ', as its optimizer does when another index serves the WHERE: use findNearest, which reads the VECTOR INDEX in a derived table and filters its candidates'
      : `, as its optimizer does when it estimates a full scan cheaper: run ANALYZE TABLE ${tableName}, and order by the distance alone, ASC, with a LIMIT`,
};
