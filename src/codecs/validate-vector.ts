import { VectorDimensionError, VectorValueError } from '../errors';
import { describeValue } from '../vocabulary';

// Bound once: inside a vm context (Jest) every global lookup in a per-element loop is ~25x slower.
const { fround, abs } = Math;
const { isFinite: isFiniteNumber } = Number;

/**
 * Typed arrays of numbers that embedding libraries return (not the BigInt ones).
 *
 * @example
 * validateVector(Int8Array.from([1, -2, 3]) satisfies NumericTypedArray, 3, 'q'); // Float32Array [1, -2, 3]
 */
export type NumericTypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array;

/**
 * What a caller may pass as a vector: a plain array of numbers or any numeric typed array.
 *
 * @example
 * const fromModel: VectorInput = new Float64Array(await model.embed(text));
 */
export type VectorInput = readonly number[] | NumericTypedArray;

/**
 * Checks that `value` (a `number[]` or numeric typed array) is a non-empty vector of finite numbers with exactly `dimensions` elements
 * (when given) and returns it as a Float32Array. `subject` names the vector in error messages.
 *
 * @example
 * validateVector([0.1, 0.2, 0.3], 3, 'query vector'); // Float32Array [0.1, 0.2, 0.3]
 * validateVector([1, NaN], 2, 'Doc.embedding');      // throws VectorValueError
 */
export function validateVector(value: unknown, dimensions: number | undefined, subject: string): Float32Array {
  return fillChecked(value as ArrayLike<unknown>, new Float32Array(checkedLength(value, dimensions, subject)), subject);
}

/**
 * `validateVector` writing into `out` (whose length must be the vector's) instead of a new
 * Float32Array: the same checks and errors, no allocation. For checking many vectors before any is
 * kept (insertVectors checks every row before it sends the first).
 *
 * @example
 * const scratch = new Float32Array(3);
 * validateVectorInto([0.1, 0.2, 0.3], 3, 'Doc.embedding', scratch); // scratch, now Float32Array [0.1, 0.2, 0.3]
 */
export function validateVectorInto(value: unknown, dimensions: number | undefined, subject: string, out: Float32Array): Float32Array {
  const length = checkedLength(value, dimensions, subject);
  if (out.length !== length) throw new RangeError(`validateVectorInto got a Float32Array of ${out.length} elements for a vector of ${length}; pass one of length ${length}.`);
  return fillChecked(value as ArrayLike<unknown>, out, subject);
}

/**
 * `validateVector`'s checks and errors, producing nothing: for checking many vectors before any is
 * encoded (insertVectors checks every row before it sends the first, then converts each as it
 * sends it). Throws as `validateVector` would; returns nothing when the vector is valid.
 *
 * @example
 * checkVector([0.1, 0.2, 0.3], 3, 'Doc.embedding'); // ok
 * checkVector([1, Infinity], 2, 'Doc.embedding');   // throws VectorValueError
 */
export function checkVector(value: unknown, dimensions: number | undefined, subject: string): void {
  checkedLength(value, dimensions, subject);
  // The rare vector the sum cannot clear (a bad element, or valid ones summing past float32's range) is checked element by element.
  if (!absoluteSumWithinFloat32(value as ArrayLike<unknown>)) fillChecked(value as ArrayLike<unknown>, new Float32Array((value as ArrayLike<unknown>).length), subject);
}

/**
 * Whether every element is a number and the sum of their magnitudes is below `FLOAT32_OVERFLOW`,
 * so each is (a sum of non-negative numbers never rounds below any of its terms; NaN and
 * ±Infinity make it false). Eight elements a step: about half the time of `fillChecked`'s loop.
 */
function absoluteSumWithinFloat32(elements: ArrayLike<unknown>): boolean {
  const length = elements.length;
  let sum = 0;
  let i = 0;
  for (; i + 8 <= length; i += 8) {
    const e0 = elements[i], e1 = elements[i + 1], e2 = elements[i + 2], e3 = elements[i + 3];
    const e4 = elements[i + 4], e5 = elements[i + 5], e6 = elements[i + 6], e7 = elements[i + 7];
    if (typeof e0 !== 'number' || typeof e1 !== 'number' || typeof e2 !== 'number' || typeof e3 !== 'number') return false;
    if (typeof e4 !== 'number' || typeof e5 !== 'number' || typeof e6 !== 'number' || typeof e7 !== 'number') return false;
    sum += abs(e0) + abs(e1) + abs(e2) + abs(e3) + abs(e4) + abs(e5) + abs(e6) + abs(e7);
  }
  for (; i < length; i++) {
    const element = elements[i];
    if (typeof element !== 'number') return false;
    sum += abs(element);
  }
  return sum < FLOAT32_OVERFLOW;
}

/** The length of `value` once it is known to be a non-empty array or numeric typed array of `dimensions` (when given) elements. */
function checkedLength(value: unknown, dimensions: number | undefined, subject: string): number {
  if (!Array.isArray(value) && !isNumericTypedArray(value)) {
    throw new VectorValueError(
      `${subject} must be an array of numbers or a numeric typed array (Float32Array, Float64Array, ...), but got ${describeValue(value)}; pass e.g. [0.1, 0.2, 0.3].`,
    );
  }
  if ((value as ArrayLike<unknown>).length === 0) {
    throw new VectorValueError(`${subject} is an empty vector; pass at least one number.`);
  }
  const length = (value as ArrayLike<unknown>).length;
  if (dimensions !== undefined && length !== dimensions) {
    throw new VectorDimensionError(
      `${subject} expects ${dimensions} dimensions but the vector has ${length}; pass a vector of length ${dimensions}.`,
    );
  }
  return length;
}

/**
 * The smallest magnitude that rounds to an infinite float32 (2^128 - 2^103, halfway between the
 * largest float32 and 2^128, which rounds to even, upwards): a number whose magnitude is below it
 * is finite and stays finite as a float32.
 */
const FLOAT32_OVERFLOW = 2 ** 128 - 2 ** 103;

/** Writes each element of `elements`, checked (a finite number within float32 range), rounded to float32, into `out`. */
function fillChecked(elements: ArrayLike<unknown>, out: Float32Array, subject: string): Float32Array {
  for (let i = 0; i < elements.length; i++) {
    const element: unknown = elements[i];
    // The common case in one comparison (false for NaN and ±Infinity); storing into `out` rounds to float32.
    if (typeof element === 'number' && element < FLOAT32_OVERFLOW && element > -FLOAT32_OVERFLOW) {
      out[i] = element;
      continue;
    }
    if (typeof element !== 'number') {
      throw new VectorValueError(
        `${subject} element ${i} is ${describeValue(element)}, not a number; every element must be a finite number.`,
      );
    }
    if (!isFiniteNumber(element)) {
      throw new VectorValueError(`${subject} element ${i} is ${element}; every element must be a finite number.`);
    }
    const single = fround(element);
    if (!isFiniteNumber(single)) {
      throw new VectorValueError(
        `${subject} element ${i} is ${element}, which overflows float32; keep every element within ±3.4e38.`,
      );
    }
    out[i] = single;
  }
  return out;
}

/**
 * Checks a column's declared dimension count against a backend limit.
 *
 * @example
 * validateDimensions(384, 16000, 'Doc.embedding', 'PostgreSQL (pgvector)'); // ok
 */
export function validateDimensions(dimensions: unknown, max: number, subject: string, backend?: string): number {
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
    throw new VectorDimensionError(
      `${subject} has dimensions ${describeValue(dimensions)}; dimensions must be a positive integer such as 384.`,
    );
  }
  if (dimensions > max) {
    throw new VectorDimensionError(
      `${subject} has ${dimensions} dimensions, more than the ${max} that ${backend ?? 'any supported backend'} stores; reduce the dimensions to ${max} or fewer.`,
    );
  }
  return dimensions;
}


function isNumericTypedArray(value: unknown): value is NumericTypedArray {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}
