import { endianness } from 'node:os';
import { VectorValueError } from '../errors';

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Reads pgvector's binary `vector` format (what `vector_send` writes and what `pg` receives for a
 * query in binary mode): an int16 dimension count, an unused int16, then each float32 big-endian.
 * `subject` names the value in errors.
 *
 * @example
 * parsePgvectorBinary(Buffer.from([0, 1, 0, 0, 0x3f, 0x80, 0, 0]), 'Doc.embedding'); // Float32Array [1]
 */
export function parsePgvectorBinary(bytes: Uint8Array, subject: string): Float32Array {
  const dimensions = bytes.byteLength >= 4 ? (bytes[0]! << 8) | bytes[1]! : -1;
  if (dimensions < 0 || bytes.byteLength !== 4 + dimensions * 4) {
    throw new VectorValueError(
      `${subject} returned ${bytes.byteLength} bytes, which is not pgvector's binary vector format (int16 dimensions, int16 unused, float32 big-endian each).`,
    );
  }
  const out = new Float32Array(dimensions);
  const copy = new Uint8Array(out.buffer);
  copy.set(bytes.subarray(4));
  if (LITTLE_ENDIAN) Buffer.from(out.buffer).swap32();
  return out;
}
