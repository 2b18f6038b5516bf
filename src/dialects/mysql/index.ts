import { UnsupportedVectorFeatureError } from '../../errors';
import type { DialectCapabilities } from '../../vocabulary';
import type { VectorDialect } from '../dialect';
import { float32BlobCodec } from '../shared/float32-blob-codec';
import { declaredVectorDimensions } from '../shared/declared-dimensions';
import { mysqlDeclaredColumnTypes } from '../shared/mysql-catalog';
import { mariadbFullText } from '../mariadb/full-text';
import { mysqlBulkInsert } from '../shared/bulk-insert';

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

/** MySQL 9, as data: `VECTOR(N)` storage, no distance, no vector index. */
const mysqlCapabilities: DialectCapabilities = {
  name: 'MySQL',
  maxDimensions: 16383,
  metrics: [],
  elementTypes: ['float32'],
  elementTypeAdvice: {
    float16: "MySQL's VECTOR(N) holds float32 only: store the column as 'float32'",
    int8: "MySQL's VECTOR(N) holds float32 only: store the column as 'float32'",
    bit: "MySQL's VECTOR(N) holds float32 only: store the column as 'float32'",
    sparse: "MySQL's VECTOR(N) holds float32 only: use PostgreSQL with pgvector (sparsevec), or store the vectors dense as 'float32'",
  },
  column: { type: 'vector', withLength: true },
  noDistanceMessage: mysqlNoDistanceMessage,
};

/**
 * MySQL 9 through mysql2: `VECTOR(N)` columns, vectors bound as float32 little-endian bytes (a
 * binary string MySQL stores as the VECTOR as is; mysql2 returns `number[]`). MySQL Community has no
 * distance function (`DISTANCE()` exists only on HeatWave), so every distance method throws
 * `UnsupportedVectorFeatureError`: store vectors here, search on MariaDB or PostgreSQL.
 *
 * @example
 * mysqlDialect.sql.distance('l2', '`doc`.`embedding`', '?'); // throws UnsupportedVectorFeatureError
 */
export const mysqlDialect: VectorDialect = {
  id: 'mysql',
  capabilities: mysqlCapabilities,
  codec: float32BlobCodec({ parameterSql: (placeholder) => placeholder, expected: 'VECTOR bytes', columnHint: 'VECTOR(N)', numbers: true }),
  sql: {
    distance(metric) {
      throw new UnsupportedVectorFeatureError(mysqlNoDistanceMessage(metric));
    },
  },
  introspection: { declaredColumnTypes: mysqlDeclaredColumnTypes, declaredDimensions: declaredVectorDimensions },
  // MySQL's FULLTEXT index and MATCH ... AGAINST are MariaDB's: @FullTextIndex works; findHybrid stops at the distance.
  fullText: mariadbFullText,
  bulkLoad: mysqlBulkInsert,
};
