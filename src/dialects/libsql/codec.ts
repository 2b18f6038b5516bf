import { decodeFloat16Bytes, encodeFloat16Bytes } from '../../codecs';
import { VectorValueError } from '../../errors';
import { describeValue } from '../../vocabulary';
import type { ElementCodecs, VectorCodec } from '../dialect';
import { blobBytes } from '../shared/blob-bytes';
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
    const bytes = blobBytes(raw);
    if (!bytes || bytes.length % 2 !== 1 || bytes[bytes.length - 1] !== F16_TYPE) {
      throw new VectorValueError(`${subject} returned ${describeValue(raw)} instead of an F16 vector BLOB; is the column of type F16_BLOB(N)?`);
    }
    return decodeFloat16Bytes(bytes.subarray(0, bytes.length - 1));
  },
  parameterSql: (placeholder) => `vector16(${placeholder})`,
  sizeCheckSql: sqliteSizeCheck((dimensions) => 2 * dimensions + 1),
};

/** The type byte libSQL writes last in a float1bit vector BLOB. */
const F1BIT_TYPE = 3;

/**
 * libSQL's `F1BIT_BLOB(N)` layout, as `vector1bit()` writes it (checked against libSQL for 1 to
 * 1,000 bits): the bits packed 8 a byte, first bit in the LOW bit; a zero byte of padding where
 * that keeps the BLOB's length odd; a byte holding the bits the BLOB has beyond N
 * (`(length - 1) x 8 - N`); the type byte 3.
 *
 * @example
 * libsqlBitCodec.encode('101', 'q'); // <Buffer 05 0d 03>
 * libsqlBitCodec.parameterSql('?'); // 'vector1bit(?)'
 */
export const libsqlBitCodec: VectorCodec<string> = {
  encode(bits) {
    const total = f1bitLength(bits.length);
    const out = Buffer.alloc(total);
    for (let i = 0; i < bits.length; i++) if (bits.charCodeAt(i) === 49) out[i >> 3]! |= 1 << (i & 7);
    out[total - 2] = (total - 1) * 8 - bits.length;
    out[total - 1] = F1BIT_TYPE;
    return out;
  },
  decode(raw, subject) {
    const bytes = blobBytes(raw);
    const count = bytes && bytes.length >= 3 && bytes[bytes.length - 1] === F1BIT_TYPE ? (bytes.length - 1) * 8 - bytes[bytes.length - 2]! : -1;
    if (!bytes || count < 1 || count > (bytes.length - 2) * 8) {
      throw new VectorValueError(`${subject} returned ${describeValue(raw)} instead of a float1bit vector BLOB; is the column of type F1BIT_BLOB(N)?`);
    }
    let bits = '';
    for (let i = 0; i < count; i++) bits += (bytes[i >> 3]! & (1 << (i & 7))) === 0 ? '0' : '1';
    return bits;
  },
  parameterSql: (placeholder) => `vector1bit(${placeholder})`,
  sizeCheckSql: sqliteSizeCheck(f1bitLength),
};

/** The length of libSQL's float1bit BLOB of `bits` bits: the packed bytes, a pad byte keeping the length odd, the spare-bits byte and the type byte. */
function f1bitLength(bits: number): number {
  const data = Math.ceil(bits / 8);
  return data + ((data + 2) % 2 === 0 ? 1 : 0) + 2;
}

/**
 * libSQL's other element types: `float16` as `F16_BLOB(N)`, `bit` as `F1BIT_BLOB(N)`.
 *
 * @example
 * libsqlElementCodecs.float16!.parameterSql('?'); // 'vector16(?)'
 */
export const libsqlElementCodecs: ElementCodecs = { float16: libsqlFloat16Codec, bit: libsqlBitCodec };
