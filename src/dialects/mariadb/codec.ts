import { VectorValueError } from '../../errors';
import type { VectorCodec } from '../dialect';
import { float32BlobCodec } from '../shared/float32-blob-codec';

/** MariaDB refuses a VECTOR value whose squared Euclidean norm overflows float32 (checked on 11.8). */
const MAX_SQUARED_NORM = 3.4028234663852886e38;

/**
 * Throws `VectorValueError` for a vector MariaDB would reject with "Incorrect vector value": its
 * squared norm must fit a float32, so the norm must stay under about 1.8e19.
 *
 * @example
 * checkMariadbNorm(new Float32Array([3e38]), 'Doc.embedding'); // throws VectorValueError
 */
export function checkMariadbNorm(vector: Float32Array, subject: string): void {
  let squaredNorm = 0;
  // An indexed loop: `for...of` over a Float32Array goes through its iterator, about 2x slower here.
  for (let i = 0; i < vector.length; i++) squaredNorm += vector[i]! * vector[i]!;
  if (squaredNorm > MAX_SQUARED_NORM) {
    throw new VectorValueError(
      `${subject} has a Euclidean norm of ${Math.sqrt(squaredNorm).toPrecision(3)}, more than the ${Math.sqrt(MAX_SQUARED_NORM).toPrecision(3)} MariaDB's VECTOR stores (its squared norm must fit a float32); scale the vector down, e.g. normalise it.`,
    );
  }
}

/**
 * MariaDB's VECTOR values: float32 little-endian bytes, bound as they are (mysql2 returns them as
 * bytes), after the norm check.
 *
 * @example
 * mariadbCodec.encode(new Float32Array([1, 2]), 'Doc.embedding'); // <Buffer 00 00 80 3f 00 00 00 40>
 */
export const mariadbCodec: VectorCodec = float32BlobCodec({
  parameterSql: (placeholder) => placeholder,
  expected: 'VECTOR bytes',
  columnHint: 'VECTOR(N)',
  numbers: true,
  check: checkMariadbNorm,
});
