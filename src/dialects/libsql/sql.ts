import type { VectorMetric } from '../../vocabulary';
import type { VectorSql } from '../dialect';

// libSQL's cosine distance of two float1bit vectors counts the differing bits: their Hamming distance.
const FUNCTIONS: Partial<Record<VectorMetric, string>> = { l2: 'vector_distance_l2', cosine: 'vector_distance_cos', hamming: 'vector_distance_cos' };

/**
 * libSQL's distance functions, and `vector_top_k` as a candidate condition on the entity table's rowid.
 *
 * @example
 * libsqlSql.distance('cosine', '"doc"."embedding"', 'vector32(?)'); // 'vector_distance_cos("doc"."embedding", vector32(?))'
 * libsqlSql.candidates!.diskann!({ aliasSql: '"doc"', index: 'doc_idx', column: 'embedding', vectorSql: 'vector32(?)', kSql: '?', escape, ... });
 * // "\"doc\".rowid IN (SELECT id FROM vector_top_k('doc_idx', vector32(?), ?))"
 */
export const libsqlSql: VectorSql = {
  distance: (metric, columnSql, vectorSql) => `${FUNCTIONS[metric]!}(${columnSql}, ${vectorSql})`,
  candidates: {
    // vector_top_k takes the index name as a string literal: quotes doubled (names come from the catalog).
    diskann: ({ aliasSql, index, vectorSql, kSql }) => `${aliasSql}.rowid IN (SELECT id FROM vector_top_k('${index.replace(/'/g, "''")}', ${vectorSql}, ${kSql}))`,
  },
};
