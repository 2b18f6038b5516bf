import type { VectorMetric } from '../../vocabulary';
import type { VectorSql } from '../dialect';

const FUNCTIONS: Partial<Record<VectorMetric, string>> = { l2: 'VEC_DISTANCE_EUCLIDEAN', cosine: 'VEC_DISTANCE_COSINE' };

/**
 * MariaDB's distance functions; its optimizer uses a VECTOR INDEX of the same DISTANCE by itself.
 *
 * @example
 * mariadbSql.distance('cosine', '`doc`.`embedding`', '?'); // 'VEC_DISTANCE_COSINE(`doc`.`embedding`, ?)'
 */
export const mariadbSql: VectorSql = {
  distance: (metric, columnSql, vectorSql) => `${FUNCTIONS[metric]!}(${columnSql}, ${vectorSql})`,
};
