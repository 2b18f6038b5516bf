import { packBits, unpackBits } from '../../codecs';
import { VectorValueError } from '../../errors';
import { describeValue } from '../../vocabulary';
import type { ElementCodecs, VectorCodec } from '../dialect';
import { blobBytes } from '../shared/blob-bytes';
import { float32BlobCodec } from '../shared/float32-blob-codec';
import { sqliteSizeCheck } from '../shared/sqlite-blob-size';

/**
 * sqlite-vec's vectors: float32 little-endian BLOBs, bound as they are.
 *
 * @example
 * sqliteVecCodec.parameterSql('?'); // '?'
 */
export const sqliteVecCodec: VectorCodec = {
  ...float32BlobCodec({ parameterSql: (placeholder) => placeholder, expected: 'a float32 BLOB', columnHint: 'BLOB (written by typeorm-vector)' }),
  sizeCheckSql: sqliteSizeCheck((dimensions) => 4 * dimensions),
};

/**
 * A BLOB codec whose SQL marks the bytes with sqlite-vec's type (`vec_int8(?)`, `vec_bit(?)`): a
 * BLOB in a table carries no type, and sqlite-vec reads an unmarked one as float32.
 */
function typedBlobCodec<V>(
  fn: 'vec_int8' | 'vec_bit',
  type: string,
  encode: (value: V) => Uint8Array,
  decode: (bytes: Uint8Array) => V,
  bytesOf: (dimensions: number) => number,
): VectorCodec<V> {
  return {
    encode: (value) => Buffer.from(encode(value)),
    decode(raw, subject) {
      const bytes = blobBytes(raw);
      if (!bytes || bytes.length === 0) throw new VectorValueError(`${subject} returned ${describeValue(raw)} instead of ${type} BLOB; is the column written by typeorm-vector?`);
      return decode(bytes);
    },
    parameterSql: (placeholder) => `${fn}(${placeholder})`,
    columnSql: (columnSql) => `${fn}(${columnSql})`,
    sizeCheckSql: sqliteSizeCheck(bytesOf),
  };
}

/**
 * sqlite-vec's `int8` vectors (one signed byte an element, read with `vec_int8(...)`) and `bit`
 * vectors (packed 8 a byte, first bit in the high bit, read with `vec_bit(...)`; the dimensions
 * are a multiple of 8, so the bytes give them back).
 *
 * @example
 * sqliteVecElementCodecs.int8!.encode(Int8Array.of(1, -2), 'q'); // <Buffer 01 fe>
 * sqliteVecElementCodecs.bit!.parameterSql('?');                 // 'vec_bit(?)'
 */
export const sqliteVecElementCodecs: ElementCodecs = {
  int8: typedBlobCodec<Int8Array>(
    'vec_int8',
    'an int8',
    (value) => new Uint8Array(value.buffer, value.byteOffset, value.byteLength),
    (bytes) => new Int8Array(Uint8Array.from(bytes).buffer),
    (dimensions) => dimensions,
  ),
  bit: typedBlobCodec<string>('vec_bit', 'a bit', packBits, (bytes) => unpackBits(bytes, bytes.length * 8), (dimensions) => dimensions / 8),
};
