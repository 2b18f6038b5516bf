import { encodeFloat32Blob } from '../codecs';
import { UnsupportedVectorFeatureError } from '../errors';
import { mysqlDeclaredColumnTypes } from './mysql-catalog';
import type { VectorDialect } from './dialect';
import { decodeMysqlFamilyVector } from './mariadb';

/**
 * MySQL 9 through mysql2: `VECTOR(N)` columns, vectors bound as float32 little-endian bytes (a
 * binary string MySQL stores as the VECTOR as is). MySQL Community has no distance function
 * (`DISTANCE()` exists only on HeatWave), so every distance method throws
 * `UnsupportedVectorFeatureError`: store vectors here, search on MariaDB or PostgreSQL.
 * Picked for TypeORM `type: 'mysql'` or `type: 'mariadb'` when the server's `VERSION()` is not MariaDB.
 *
 * @example
 * mysqlDialect.columnType(384); // { type: 'vector', length: 384 }  ->  VECTOR(384)
 * mysqlDialect.distanceSql('l2', '`doc`.`embedding`', '?'); // throws UnsupportedVectorFeatureError
 */
export const mysqlDialect: VectorDialect = {
  name: 'MySQL',
  maxDimensions: 16383,
  metrics: [],
  columnType: (dimensions) => ({ type: 'vector', length: dimensions }),
  encode: encodeFloat32Blob,
  decode: (raw, subject) => decodeMysqlFamilyVector(raw, subject),
  parameterSql: (placeholder) => placeholder,
  distanceSql(metric) {
    throw new UnsupportedVectorFeatureError(mysqlNoDistanceMessage(metric));
  },
  unsupportedMetricMessage: mysqlNoDistanceMessage,
  declaredColumnTypes: mysqlDeclaredColumnTypes,
};

/**
 * The sentence every distance method on MySQL throws.
 *
 * @example
 * mysqlNoDistanceMessage('l2');
 * // "MySQL has no 'l2' distance function outside HeatWave, so typeorm-vector only stores and loads vectors there; search on MariaDB 11.7+ (VEC_DISTANCE_EUCLIDEAN, VEC_DISTANCE_COSINE) or PostgreSQL with pgvector."
 */
export function mysqlNoDistanceMessage(metric: string): string {
  return `MySQL has no '${metric}' distance function outside HeatWave, so typeorm-vector only stores and loads vectors there; search on MariaDB 11.7+ (VEC_DISTANCE_EUCLIDEAN, VEC_DISTANCE_COSINE) or PostgreSQL with pgvector.`;
}
