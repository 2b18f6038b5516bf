import { VectorDimensionError, VectorValueError } from '../errors';
import { describeValue } from '../vocabulary';

/**
 * Checks a bit vector and returns it as a string of `0` and `1`, one character per bit: accepts
 * such a string, an array of 0/1 numbers or booleans, or a Uint8Array with the bits packed 8 to a
 * byte, the first bit in the high bit (PostgreSQL's and sqlite-vec's order), unused bits of the
 * last byte 0.
 *
 * @example
 * validateBitVector('1010', 4, 'Doc.hash');                       // '1010'
 * validateBitVector(Uint8Array.of(0b10100000), 4, 'Doc.hash');    // '1010'
 * validateBitVector([1, 0, true, false], 4, 'Doc.hash');          // '1010'
 */
export function validateBitVector(value: unknown, dimensions: number | undefined, subject: string): string {
  const bits = bitsOf(value, dimensions, subject);
  if (bits.length === 0) throw new VectorValueError(`${subject} is an empty bit vector; pass at least one bit.`);
  if (dimensions !== undefined && bits.length !== dimensions) {
    throw new VectorDimensionError(`${subject} expects ${dimensions} bits but the vector has ${bits.length}; pass ${dimensions} bits.`);
  }
  return bits;
}

function bitsOf(value: unknown, dimensions: number | undefined, subject: string): string {
  if (typeof value === 'string') {
    const bad = /[^01]/.exec(value);
    if (bad) throw new VectorValueError(`${subject} has ${JSON.stringify(bad[0])} at position ${bad.index} of its bit string; use only '0' and '1', e.g. '1010'.`);
    return value;
  }
  if (value instanceof Uint8Array) {
    const count = dimensions ?? value.length * 8;
    if (value.length !== Math.ceil(count / 8)) {
      throw new VectorDimensionError(`${subject} expects ${count} bits, packed in ${Math.ceil(count / 8)} bytes, but the Uint8Array has ${value.length} bytes; pass ${Math.ceil(count / 8)} bytes.`);
    }
    const bits = unpackBits(value, count);
    if (value.length * 8 > count && (value[value.length - 1]! & (0xff >> (count % 8))) !== 0) {
      throw new VectorValueError(`${subject} has bits set past bit ${count} in the last byte of its Uint8Array; clear the unused low bits of the last byte.`);
    }
    return bits;
  }
  if (Array.isArray(value)) {
    return value
      .map((bit: unknown, i) => {
        if (bit === 0 || bit === false) return '0';
        if (bit === 1 || bit === true) return '1';
        throw new VectorValueError(`${subject} element ${i} is ${describeValue(bit)}; every element of a bit vector must be 0, 1, true or false.`);
      })
      .join('');
  }
  throw new VectorValueError(`${subject} must be a bit string, an array of 0/1 or a packed Uint8Array, but got ${describeValue(value)}; pass e.g. '1010'.`);
}

/**
 * Packs a bit string into bytes, 8 bits a byte, the first bit in the high bit; unused bits are 0.
 *
 * @example
 * packBits('101'); // Uint8Array [0b10100000]
 */
export function packBits(bits: string): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits.charCodeAt(i) === 49) out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}

/**
 * The first `count` bits of packed bytes, as a string of `0` and `1`.
 *
 * @example
 * unpackBits(Uint8Array.of(0b10100000), 3); // '101'
 */
export function unpackBits(bytes: Uint8Array, count: number): string {
  let bits = '';
  for (let i = 0; i < count; i++) bits += (bytes[i >> 3]! & (0x80 >> (i & 7))) === 0 ? '0' : '1';
  return bits;
}
