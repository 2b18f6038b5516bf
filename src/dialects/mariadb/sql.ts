import type { VectorMetric } from '../../vocabulary';
import type { VectorSql } from '../dialect';

const FUNCTIONS: Partial<Record<VectorMetric, string>> = { l2: 'VEC_DISTANCE_EUCLIDEAN', cosine: 'VEC_DISTANCE_COSINE' };

const distance = (metric: VectorMetric, columnSql: string, vectorSql: string) => `${FUNCTIONS[metric]!}(${columnSql}, ${vectorSql})`;

/**
 * MariaDB's distance functions. Its optimizer reads a VECTOR INDEX of the same DISTANCE for
 * `ORDER BY distance LIMIT k` with no WHERE, searching `max(mhnsw_ef_search, k)` candidates; so
 * `findNearest` reads the `k` candidates in a derived table and filters and re-ranks them outside
 * it, and search settings apply to one statement through `SET STATEMENT ... FOR`.
 *
 * @example
 * mariadbSql.distance('cosine', '`doc`.`embedding`', '?'); // 'VEC_DISTANCE_COSINE(`doc`.`embedding`, ?)'
 * mariadbSql.statementPrefix!({ mhnsw_ef_search: '100' }); // 'SET STATEMENT mhnsw_ef_search = 100 FOR '
 */
export const mariadbSql: VectorSql = {
  distance,
  candidates: {
    hnsw: ({ aliasSql, tableSql, primaryColumnsSql, column, metric, vectorSql, kSql, escape }) => {
      const keys = primaryColumnsSql.join(', ');
      const outer = primaryColumnsSql.map((key) => `${aliasSql}.${key}`).join(', ');
      return (
        `(${outer}) IN (SELECT ${keys} FROM (SELECT ${keys} FROM ${tableSql} ` +
        `ORDER BY ${distance(metric, escape(column), vectorSql)} LIMIT ${kSql}) AS ${escape('tv_candidates')})`
      );
    },
  },
  // Adding 0 leaves the (non-negative) distance as it is and hides it from the VECTOR INDEX.
  unindexedDistance: (distanceSql) => `${distanceSql} + 0`,
  // Values are validated integers (SearchCapabilities): SET STATEMENT takes no parameters.
  statementPrefix: (settings) => `SET STATEMENT ${Object.entries(settings).map(([name, value]) => `${name} = ${value}`).join(', ')} FOR `,
  searchSettings: (tuning): Record<string, string> => (tuning.efSearch === undefined ? {} : { mhnsw_ef_search: String(tuning.efSearch) }),
};
