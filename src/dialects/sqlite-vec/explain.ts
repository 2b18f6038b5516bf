import type { VectorExplain } from '../dialect';
import { literalPattern } from '../shared/plan-text';
import { details, sqliteExplainBase } from '../shared/sqlite-explain';

/**
 * sqlite-vec's query plans: a vec0 index is read where the plan scans its virtual table
 * (`SCAN doc_embedding_vec0_l2 VIRTUAL TABLE INDEX 0:3{___}___`), which only a `MATCH ? AND k = ?`
 * query on that table does.
 *
 * @example
 * sqliteVecExplain.readsIndex([{ detail: 'SCAN doc_vec VIRTUAL TABLE INDEX 0:3{___}___' }], 'doc_vec', sql); // true
 */
export const sqliteVecExplain: VectorExplain = {
  ...sqliteExplainBase,
  readsIndex: (rows, index) => details(rows).some((detail) => new RegExp(`^SCAN ${literalPattern(index)} VIRTUAL TABLE\\b`).test(detail)),
};
