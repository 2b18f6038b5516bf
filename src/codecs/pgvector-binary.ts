import { endianness } from 'node:os';
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
  const out = Buffer.allocUnsafe(4 + 4 * vector.length);
  out.writeUInt16BE(vector.length, 0);
  out.writeUInt16BE(0, 2);
  const elements = out.subarray(4);
  elements.set(new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength));
  // The float32 bytes in big-endian order: a native byte swap of each 4-byte element on little-endian machines.
  if (LITTLE_ENDIAN) elements.swap32();
  return out;
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
