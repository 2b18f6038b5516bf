import type { VectorExplain } from '../dialect';
import { literalPattern } from '../shared/plan-text';
import { details, sqliteExplainBase } from '../shared/sqlite-explain';

/**
 * libSQL's query plans: a DiskANN index is read where the plan scans `vector_top_k` (`SCAN
 * vector_top_k VIRTUAL TABLE INDEX 1:`) and the query names the index in that call; the plan
 * itself never names it.
 *
 * @example
 * libsqlExplain.readsIndex([{ detail: 'SCAN vector_top_k VIRTUAL TABLE INDEX 1:' }], 'doc_idx', "... vector_top_k('doc_idx', vector32(?), 10) ..."); // true
 */
export const libsqlExplain: VectorExplain = {
  ...sqliteExplainBase,
  readsIndex: (rows, index, sql) =>
    details(rows).some((detail) => /^SCAN vector_top_k VIRTUAL TABLE\b/.test(detail)) && new RegExp(`vector_top_k\\s*\\(\\s*'${literalPattern(index)}'`, 'i').test(sql),
};
