import { bytesFromJsonCache, decodeFloat16Bytes, encodeFloat16Bytes } from '../../codecs';
import { VectorValueError } from '../../errors';
import { describeValue } from '../../vocabulary';
import type { ElementCodecs, VectorCodec } from '../dialect';
import { float32BlobCodec } from '../shared/float32-blob-codec';
import { sqliteSizeCheck } from '../shared/sqlite-blob-size';

/**
 * libSQL's vectors: float32 little-endian BLOBs, read with `vector32(?)`.
 *
 * @example
 * libsqlCodec.parameterSql('?'); // 'vector32(?)'
 */
export const libsqlCodec: VectorCodec = {
  ...float32BlobCodec({ parameterSql: (placeholder) => `vector32(${placeholder})`, expected: 'a float32 BLOB', columnHint: 'F32_BLOB(N)' }),
  sizeCheckSql: sqliteSizeCheck((dimensions) => 4 * dimensions),
};

/** The type byte libSQL writes after the elements of an F16 vector BLOB. */
const F16_TYPE = 5;

/**
 * libSQL's `F16_BLOB(N)`: half-precision little-endian elements followed by libSQL's type byte 5
 * (the BLOB `vector16()` makes), so repository writes store exactly what `vector16` would.
 *
 * @example
 * libsqlFloat16Codec.encode(new Float32Array([1]), 'q'); // <Buffer 00 3c 05>
 * libsqlFloat16Codec.parameterSql('?');                  // 'vector16(?)'
 */
export const libsqlFloat16Codec: VectorCodec = {
  encode: (vector) => Buffer.concat([encodeFloat16Bytes(vector), Uint8Array.of(F16_TYPE)]),
  decode(raw, subject) {
    const bytes = raw instanceof Uint8Array ? raw : raw instanceof ArrayBuffer ? new Uint8Array(raw) : bytesFromJsonCache(raw);
    if (!bytes || bytes.length % 2 !== 1 || bytes[bytes.length - 1] !== F16_TYPE) {
      throw new VectorValueError(`${subject} returned ${describeValue(raw)} instead of an F16 vector BLOB; is the column of type F16_BLOB(N)?`);
    }
    return decodeFloat16Bytes(bytes.subarray(0, bytes.length - 1));
  },
  parameterSql: (placeholder) => `vector16(${placeholder})`,
  sizeCheckSql: sqliteSizeCheck((dimensions) => 2 * dimensions + 1),
};

/**
 * libSQL's other element types: `float16` as `F16_BLOB(N)`.
 *
 * @example
 * libsqlElementCodecs.float16!.parameterSql('?'); // 'vector16(?)'
 */
export const libsqlElementCodecs: ElementCodecs = { float16: libsqlFloat16Codec };
