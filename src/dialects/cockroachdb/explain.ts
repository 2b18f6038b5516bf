import type { PlanRows, VectorExplain } from '../dialect';
import { planName } from '../shared/plan-text';

const lines = (rows: PlanRows): string[] => rows.map((row) => String(row.info ?? ''));

/** The plan's nodes (`• vector search`, `• scan`), each with the attribute lines under it. */
function nodes(rows: PlanRows): Array<{ name: string; attributes: string[] }> {
  const found: Array<{ name: string; attributes: string[] }> = [];
  for (const line of lines(rows)) {
    const node = /•\s+(.+?)\s*$/.exec(line);
    if (node) found.push({ name: node[1]!, attributes: [] });
    else found.at(-1)?.attributes.push(line.replace(/^[\s│└├─]+/, ''));
  }
  return found;
}

/**
 * CockroachDB's `EXPLAIN` (one row per line, in the column `info`): a vector index is read where a
 * `• vector search` node names `table: <table>@<index>`; a table is read whole where a `• scan`
 * node of it has `spans: FULL SCAN` (cockroachlabs.com/docs/v26.1/vector-indexes, "Create and
 * query a vector index").
 *
 * @example
 * cockroachdbExplain.readsIndex([{ info: '• vector search' }, { info: '  table: doc@doc_embedding_cspann_l2' }], 'doc_embedding_cspann_l2', sql); // true
 */
export const cockroachdbExplain: VectorExplain = {
  prefix: 'EXPLAIN ',
  planText: (rows) => lines(rows).join('\n'),
  readsIndex(rows, index) {
    const pattern = new RegExp(`^table: \\S+@${planName(index)}$`);
    return nodes(rows).some((node) => node.name === 'vector search' && node.attributes.some((line) => pattern.test(line)));
  },
  scansTable(rows, { name }) {
    const table = new RegExp(`^table: ${planName(name)}@`);
    return nodes(rows).some((node) => node.name === 'scan' && node.attributes.some((line) => table.test(line)) && node.attributes.includes('spans: FULL SCAN'));
  },
  skipped: (filtered, table) =>
    filtered
      ? `, as its optimizer does when the query constrains columns that are not the index's prefix columns (conditions run after the vector search, or the planner prefers another index): create the index with the filtered columns as prefix columns, CREATE VECTOR INDEX ON ${table} (tenant_id, embedding), and filter them by equality`
      : `, as its optimizer does when the ORDER BY operator does not match the index's operator class, or without a LIMIT: order by the index's metric with a LIMIT, and run CREATE STATISTICS on ${table} after loading rows`,
};
