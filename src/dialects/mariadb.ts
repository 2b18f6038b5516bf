import { decodeFloat32Blob, encodeFloat32Blob } from '../codecs';
import { VectorValueError } from '../errors';
import { mysqlDeclaredColumnTypes } from './mysql-catalog';
import type { VectorDialect, VectorMetric } from './dialect';
import { mariadbIndexes } from './mariadb-index';

const FUNCTIONS: Partial<Record<VectorMetric, string>> = {
  l2: 'VEC_DISTANCE_EUCLIDEAN',
  cosine: 'VEC_DISTANCE_COSINE',
};

/**
 * MariaDB 11.7+ (tested on 11.8) through mysql2: `VECTOR(N)` columns, vectors bound as float32
 * little-endian bytes, and the `VEC_DISTANCE_EUCLIDEAN` and `VEC_DISTANCE_COSINE` functions
 * (MariaDB has no inner product or L1 distance). Picked for TypeORM `type: 'mariadb'` or
 * `type: 'mysql'` when the server's `VERSION()` says MariaDB.
 *
 * @example
 * mariadbDialect.distanceSql('cosine', '`doc`.`embedding`', '?');
 * // VEC_DISTANCE_COSINE(`doc`.`embedding`, ?)
 */
export const mariadbDialect: VectorDialect = {
  name: 'MariaDB',
  maxDimensions: 16383,
  metrics: ['l2', 'cosine'],
  columnType: (dimensions) => ({ type: 'vector', length: dimensions }),
  encode: encodeMariadbVector,
  decode: (raw, subject) => decodeMysqlFamilyVector(raw, subject),
  parameterSql: (placeholder) => placeholder,
  distanceSql: (metric, columnSql, vectorSql) => `${FUNCTIONS[metric]!}(${columnSql}, ${vectorSql})`,
  indexes: mariadbIndexes,
  declaredColumnTypes: mysqlDeclaredColumnTypes,
};

/** MariaDB refuses a VECTOR value whose squared Euclidean norm overflows float32 (checked on 11.8). */
const MAX_SQUARED_NORM = 3.4028234663852886e38;

/**
 * Encodes a validated vector as MariaDB's VECTOR bytes (float32 little-endian), first refusing one
 * MariaDB would reject with "Incorrect vector value": its squared norm must fit a float32, so the
 * norm must stay under about 1.8e19.
 *
 * @example
 * encodeMariadbVector(new Float32Array([1, 2]), 'Doc.embedding'); // <Buffer 00 00 80 3f 00 00 00 40>
 * encodeMariadbVector(new Float32Array([3e38]), 'Doc.embedding'); // throws VectorValueError
 */
export function encodeMariadbVector(vector: Float32Array, subject: string): Buffer {
  let squaredNorm = 0;
  for (const value of vector) squaredNorm += value * value;
  if (squaredNorm > MAX_SQUARED_NORM) {
    throw new VectorValueError(
      `${subject} has a Euclidean norm of ${Math.sqrt(squaredNorm).toPrecision(3)}, more than the ${Math.sqrt(MAX_SQUARED_NORM).toPrecision(3)} MariaDB's VECTOR stores (its squared norm must fit a float32); scale the vector down, e.g. normalise it.`,
    );
  }
  return encodeFloat32Blob(vector);
}

/**
 * Reads what mysql2 returns for a `VECTOR` column: bytes on MariaDB, where the wire type is a
 * binary string; `number[]` on MySQL 9, whose VECTOR wire type mysql2 decodes itself.
 *
 * @example
 * decodeMysqlFamilyVector(Buffer.from([0, 0, 0x80, 0x3f]), 'Doc.embedding'); // Float32Array [1]
 */
export function decodeMysqlFamilyVector(raw: unknown, subject: string): Float32Array {
  if (raw instanceof Uint8Array) return decodeFloat32Blob(raw, subject);
  if (Array.isArray(raw) && raw.every((value) => typeof value === 'number')) return Float32Array.from(raw as number[]);
  throw new VectorValueError(`${subject} returned ${describe(raw)} instead of VECTOR bytes; is the column of type VECTOR(N)?`);
}

function describe(raw: unknown): string {
  if (typeof raw === 'string') return `the string ${JSON.stringify(raw.length > 40 ? raw.slice(0, 40) + '…' : raw)}`;
  if (Array.isArray(raw)) return 'an array that is not all numbers';
  return `a ${typeof raw}`;
}
