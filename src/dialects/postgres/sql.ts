import type { VectorMetric } from '../../vocabulary';
import type { VectorSql } from '../dialect';

const OPERATORS: Record<VectorMetric, string> = { l2: '<->', cosine: '<=>', inner_product: '<#>', l1: '<+>' };

/**
 * pgvector's distance operators: `<->` (L2), `<=>` (cosine), `<#>` (negative inner product), `<+>`
 * (L1). The planner picks an HNSW or IVFFlat index of the same operator class by itself.
 *
 * @example
 * postgresSql.distance('cosine', '"doc"."embedding"', 'CAST($1 AS vector)');
 * // ("doc"."embedding" <=> CAST($1 AS vector))
 */
export const postgresSql: VectorSql = {
  distance: (metric, columnSql, vectorSql) => `(${columnSql} ${OPERATORS[metric]} ${vectorSql})`,
};
