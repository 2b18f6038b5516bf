import { VectorValueError } from '../errors';
import { validateVector } from './validate-vector';

/**
 * The largest finite float16 value; pgvector's `halfvec` and libSQL's `F16_BLOB` refuse or lose
 * anything larger.
 *
 * @example
 * MAX_FLOAT16; // 65504
 */
export const MAX_FLOAT16 = 65504;

const { abs, floor, log2 } = Math;

/**
 * Rounds a number to the nearest float16 value, ties to even (as pgvector's `halfvec` input and
 * IEEE 754 do), keeping `-0`; values of magnitude 65520 and above become ±Infinity, and magnitudes
 * below 2^-25 become ±0 (float16 subnormals reach 2^-24).
 *
 * @example
 * roundToFloat16(0.1);    // 0.0999755859375
 * roundToFloat16(2049);   // 2048 (a tie, rounded to the even neighbour)
 */
export function roundToFloat16(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const sign = value < 0 ? -1 : 1;
  const magnitude = abs(value);
  if (magnitude >= 65520) return sign * Infinity;
  let exponent = floor(log2(magnitude));
  if (2 ** exponent > magnitude) exponent--;
  else if (2 ** (exponent + 1) <= magnitude) exponent++;
  // 10 fraction bits; below 2^-14 the spacing stays that of the subnormals, 2^-24.
  const spacing = 2 ** (Math.max(exponent, -14) - 10);
  const steps = magnitude / spacing;
  const below = floor(steps);
  const fraction = steps - below;
  const rounded = fraction > 0.5 || (fraction === 0.5 && below % 2 === 1) ? below + 1 : below;
  return sign * rounded * spacing;
}

/**
 * `validateVector`, then each element rounded to float16 (after float32, as a database reading
 * float32 text does): the values a float16 column stores, exactly. Throws `VectorValueError` for an
 * element of magnitude above 65504.
 *
 * @example
 * validateFloat16Vector([0.1, 1], 2, 'Doc.embedding'); // Float32Array [0.0999755859375, 1]
 * validateFloat16Vector([70000], 1, 'Doc.embedding'); // throws VectorValueError
 */
export function validateFloat16Vector(value: unknown, dimensions: number | undefined, subject: string): Float32Array {
  const vector = validateVector(value, dimensions, subject);
  for (let i = 0; i < vector.length; i++) {
    const element = vector[i]!;
    if (abs(element) > MAX_FLOAT16) {
      throw new VectorValueError(`${subject} element ${i} is ${element}, which overflows float16; keep every element within ±${MAX_FLOAT16} or store the column as float32.`);
    }
    vector[i] = roundToFloat16(element);
  }
  return vector;
}

/**
 * Float16 values (already rounded, e.g. by `validateFloat16Vector`) as IEEE 754 half-precision
 * little-endian bytes, 2 per element.
 *
 * @example
 * encodeFloat16Bytes(new Float32Array([1, -2])); // Uint8Array [0x00, 0x3c, 0x00, 0xc0]
 */
export function encodeFloat16Bytes(vector: Float32Array): Uint8Array {
  const out = new Uint8Array(vector.length * 2);
  for (let i = 0; i < vector.length; i++) {
    const bits = float16Bits(vector[i]!);
    out[2 * i] = bits & 0xff;
    out[2 * i + 1] = bits >> 8;
  }
  return out;
}

/**
 * Half-precision little-endian bytes, 2 per element, as a Float32Array.
 *
 * @example
 * decodeFloat16Bytes(Uint8Array.of(0x00, 0x3c, 0x00, 0xc0)); // Float32Array [1, -2]
 */
export function decodeFloat16Bytes(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length >> 1);
  for (let i = 0; i < out.length; i++) {
    const bits = bytes[2 * i]! | (bytes[2 * i + 1]! << 8);
    const sign = bits & 0x8000 ? -1 : 1;
    const exponent = (bits >> 10) & 0x1f;
    const fraction = bits & 0x3ff;
    out[i] = exponent === 0 ? sign * fraction * 2 ** -24 : exponent === 31 ? (fraction ? NaN : sign * Infinity) : sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
  }
  return out;
}

function float16Bits(value: number): number {
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const magnitude = abs(value);
  if (magnitude === 0) return sign;
  if (magnitude === Infinity) return sign | 0x7c00;
  if (magnitude < 2 ** -14) return sign | Math.round(magnitude / 2 ** -24);
  let exponent = floor(log2(magnitude));
  if (2 ** exponent > magnitude) exponent--;
  else if (2 ** (exponent + 1) <= magnitude) exponent++;
  return sign | ((exponent + 15) << 10) | Math.round((magnitude / 2 ** exponent - 1) * 1024);
}
