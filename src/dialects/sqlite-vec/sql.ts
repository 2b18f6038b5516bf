import type { VectorMetric } from '../../vocabulary';
import type { VectorSql } from '../dialect';
import { vec0FilterSql } from './vec0-filter';

const FUNCTIONS: Partial<Record<VectorMetric, string>> = { l2: 'vec_distance_l2', cosine: 'vec_distance_cosine', l1: 'vec_distance_l1', hamming: 'vec_distance_hamming' };

/**
 * sqlite-vec's distance functions, and its `vec0` KNN query as a candidate condition on the entity
 * table's rowid.
 *
 * @example
 * sqliteVecSql.distance('l2', '"doc"."embedding"', '?'); // 'vec_distance_l2("doc"."embedding", ?)'
 * sqliteVecSql.candidates!.vec0!({ aliasSql: '"doc"', index: 'v', column: 'embedding', vectorSql: '?', kSql: '?', escape, ... });
 * // '"doc".rowid IN (SELECT rowid FROM "v" WHERE "embedding" MATCH ? AND k = ?)'
 * // with pushedSql '"category" = :p': '... AND k = ? AND "category" = :p)', the filter inside the KNN search
 * // storage: 'binary' (re-ranked by the caller): '"doc".rowid IN (SELECT rowid FROM "v" WHERE "embedding" MATCH vec_quantize_binary(?) AND k = ?)'
 * // storage: 'int8' (re-ranked by the caller): '"doc".rowid IN (SELECT rowid FROM "v" WHERE "embedding" MATCH vec_quantize_int8(?, 'unit') AND k = ?)'
 */
export const sqliteVecSql: VectorSql = {
  distance: (metric, columnSql, vectorSql) => `${FUNCTIONS[metric]!}(${columnSql}, ${vectorSql})`,
  candidates: {
    vec0: ({ aliasSql, index, column, vectorSql, kSql, pushedSql, escape }) =>
      `${aliasSql}.rowid IN (SELECT rowid FROM ${escape(index)} WHERE ${escape(column)} MATCH ${vectorSql} AND k = ${kSql}${pushedSql ? ` AND ${pushedSql}` : ''})`,
  },
  pushDown: vec0FilterSql,
  rerankCandidates: {
    // A vec0 bit[N] table of the float32 column's vec_quantize_binary codes, searched by Hamming distance.
    binary: ({ aliasSql, index, columnSql, vectorSql, kSql, escape }) =>
      `${aliasSql}.rowid IN (SELECT rowid FROM ${escape(index)} WHERE ${columnSql} MATCH vec_quantize_binary(${vectorSql}) AND k = ${kSql})`,
    // A vec0 int8[N] table of the float32 column's vec_quantize_int8(..., 'unit') codes, searched by its own metric.
    int8: ({ aliasSql, index, columnSql, vectorSql, kSql, escape }) =>
      `${aliasSql}.rowid IN (SELECT rowid FROM ${escape(index)} WHERE ${columnSql} MATCH vec_quantize_int8(${vectorSql}, 'unit') AND k = ${kSql})`,
  },
};
