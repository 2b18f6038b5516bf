import { VectorDimensionError, VectorValueError } from '../errors';
import { describeValue } from '../vocabulary';

// Bound once: inside a vm context (Jest) every global lookup in a per-element loop is ~25x slower.
const { fround } = Math;
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
