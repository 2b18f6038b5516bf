import { decodeFloat32Blob, encodeFloat32Blob, numbersFromFloat32Blob } from '../../codecs';
import { VectorValueError } from '../../errors';
import { describeValue } from '../../vocabulary';
import type { VectorCodec } from '../dialect';
import { blobBytes } from './blob-bytes';

/**
 * A codec of float32 little-endian BLOBs (sqlite-vec, libSQL, MariaDB and MySQL's VECTOR): bytes
 * come back as a Buffer, Uint8Array or ArrayBuffer, and `numbers` accepts a driver that already
 * decoded the vector into `number[]` (mysql2 on MySQL 9). `encode` may add a backend's own check
 * before the bytes are written; `expected` and `columnHint` name the value and column type in errors.
 *
 * @example
 * const codec = float32BlobCodec({ parameterSql: (p) => `vector32(${p})`, expected: 'a float32 BLOB', columnHint: 'F32_BLOB(N)' });
 * codec.encode(new Float32Array([1]), 'q'); // <Buffer 00 00 80 3f>
 */
export function float32BlobCodec(options: {
  parameterSql: (placeholder: string) => string;
  /** What the driver should have returned, e.g. `a float32 BLOB`, `VECTOR bytes`. */
  expected: string;
  columnHint: string;
  numbers?: boolean;
  check?: (vector: Float32Array, subject: string) => void;
}): VectorCodec {
  const { parameterSql, expected, columnHint, numbers = false, check } = options;
  return {
    encode(vector, subject) {
      check?.(vector, subject);
      return encodeFloat32Blob(vector);
    },
    decodeNumbers(raw, subject) {
      const bytes = blobBytes(raw);
      return bytes ? numbersFromFloat32Blob(bytes, subject) : undefined;
    },
    decode(raw, subject) {
      const bytes = blobBytes(raw);
      if (bytes) return decodeFloat32Blob(bytes, subject);
      if (numbers && Array.isArray(raw) && raw.every((value) => typeof value === 'number')) return Float32Array.from(raw as number[]);
      throw new VectorValueError(`${subject} returned ${describeValue(raw)} instead of ${expected}; is the column of type ${columnHint}?`);
    },
    parameterSql,
  };
}
