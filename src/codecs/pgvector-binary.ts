import { endianness } from 'node:os';
import { VectorValueError } from '../errors';
import { encodeFloat16Bytes } from './float16';

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * A validated float32 vector in pgvector's binary format (`vector_send`/`vector_recv`): int16
 * dimensions, int16 unused (0), then each element as a big-endian float4. What binary COPY writes.
 *
 * @example
 * encodePgvectorBinary(new Float32Array([1, -0])); // <Buffer 00 02 00 00 3f 80 00 00 80 00 00 00>
 */
export function encodePgvectorBinary(vector: Float32Array): Buffer {
  const out = Buffer.allocUnsafe(pgvectorBinaryLength(vector.length));
  writePgvectorBinary(vector, out, 0);
  return out;
}

/**
 * The byte length of a float32 vector of `dimensions` in pgvector's binary format (4 + 4 per element).
 *
 * @example
 * pgvectorBinaryLength(384); // 1540
 */
export function pgvectorBinaryLength(dimensions: number): number {
  return 4 + 4 * dimensions;
}

/**
 * `encodePgvectorBinary` written into `out` at `offset` (which must leave room for
 * `pgvectorBinaryLength(vector.length)` bytes) instead of a new Buffer; returns the offset after
 * it. For writers that fill one large buffer with many rows (binary COPY). `vector` may also be a
 * checked `number[]` or other numeric typed array (every element finite and within float32's range,
 * as `checkVector` passes it): each element is rounded to float32 as it is written, with no
 * Float32Array in between.
 *
 * @example
 * const out = Buffer.alloc(12);
 * writePgvectorBinary(new Float32Array([1, -0]), out, 0); // 12; out is <Buffer 00 02 00 00 3f 80 00 00 80 00 00 00>
 * writePgvectorBinary([1, -0], out, 0);                   // the same bytes
 */
export function writePgvectorBinary(vector: Float32Array | ArrayLike<number>, out: Buffer, offset: number): number {
  out.writeUInt16BE(vector.length, offset);
  out.writeUInt16BE(0, offset + 2);
  const start = offset + 4;
  if (!(vector instanceof Float32Array)) {
    // DataView writes big-endian float32 (rounding as a Float32Array store does): about 35% faster than converting into a scratch Float32Array, copying and swapping.
    const view = dataViewOf(out);
    const length = vector.length;
    for (let i = 0, at = start; i < length; i++, at += 4) view.setFloat32(at, vector[i]!);
    return start + 4 * length;
  }
  const end = start + vector.byteLength;
  out.set(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength), start);
  // The float32 bytes in big-endian order: a native byte swap of each 4-byte element on little-endian machines.
  if (LITTLE_ENDIAN) out.subarray(start, end).swap32();
  return end;
}

const DATA_VIEWS = new WeakMap<Buffer, DataView>();

/** A DataView over `buffer`'s bytes (offsets as in `buffer`), made once per buffer. */
function dataViewOf(buffer: Buffer): DataView {
  let view = DATA_VIEWS.get(buffer);
  if (view === undefined) {
    view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    DATA_VIEWS.set(buffer, view);
  }
  return view;
}

/**
 * Float16 values (already rounded, e.g. by `validateFloat16Vector`) in pgvector's `halfvec` binary
 * format: int16 dimensions, int16 unused (0), then each element as a big-endian IEEE half.
 *
 * @example
 * encodeHalfvecBinary(new Float32Array([1, -2])); // <Buffer 00 02 00 00 3c 00 c0 00>
 */
export function encodeHalfvecBinary(vector: Float32Array): Buffer {
  const little = encodeFloat16Bytes(vector);
  const out = Buffer.allocUnsafe(4 + little.length);
  out.writeUInt16BE(vector.length, 0);
  out.writeUInt16BE(0, 2);
  for (let i = 0; i < little.length; i += 2) {
    out[4 + i] = little[i + 1]!;
    out[5 + i] = little[i]!;
  }
  return out;
}

/**
 * Reads pgvector's binary `vector` format (what `vector_send` writes): an int16 dimension count, an
 * unused int16, then each float32 big-endian. `subject` names the value in errors.
 *
 * @example
 * parsePgvectorBinary(Buffer.from([0, 1, 0, 0, 0x3f, 0x80, 0, 0]), 'Doc.embedding'); // Float32Array [1]
 */
export function parsePgvectorBinary(bytes: Uint8Array, subject: string): Float32Array {
  const dimensions = binaryDimensions(bytes, subject);
  const out = new Float32Array(dimensions);
  new Uint8Array(out.buffer).set(bytes.subarray(4));
  if (LITTLE_ENDIAN) Buffer.from(out.buffer).swap32();
  return out;
}

/**
 * `parsePgvectorBinary` straight into `number[]`: each big-endian float4 read through a DataView,
 * in one pass, with no Float32Array to fill and copy from. What a column returning `number[]`
 * hydrates from `vector_send`.
 *
 * @example
 * parsePgvectorBinaryNumbers(Buffer.from([0, 1, 0, 0, 0x3f, 0x80, 0, 0]), 'Doc.embedding'); // [1]
 */
export function parsePgvectorBinaryNumbers(bytes: Uint8Array, subject: string): number[] {
  const dimensions = binaryDimensions(bytes, subject);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Array<number>(dimensions);
  for (let i = 0, at = 4; i < dimensions; i++, at += 4) out[i] = view.getFloat32(at);
  return out;
}

/** The dimension count in pgvector's binary header, checked against the byte length. */
function binaryDimensions(bytes: Uint8Array, subject: string): number {
  const dimensions = bytes.byteLength >= 4 ? (bytes[0]! << 8) | bytes[1]! : -1;
  if (dimensions < 0 || bytes.byteLength !== 4 + dimensions * 4) {
    throw new VectorValueError(
      `${subject} returned ${bytes.byteLength} bytes, which is not pgvector's binary vector format (int16 dimensions, int16 unused, float32 big-endian each).`,
    );
  }
  return dimensions;
}
