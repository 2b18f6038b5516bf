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
