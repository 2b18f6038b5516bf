import { VectorDimensionError, VectorValueError } from '../errors';

// Bound once: inside a vm context (Jest) every global lookup in a per-element loop is ~25x slower.
const { fround } = Math;
const { isFinite: isFiniteNumber } = Number;

/** What a caller may pass as a vector: a plain array of numbers or a Float32Array. */
export type VectorInput = readonly number[] | Float32Array;

/**
 * Checks that `value` is a non-empty vector of finite numbers with exactly `dimensions` elements
 * (when given) and returns it as a Float32Array. `subject` names the vector in error messages.
 *
 * @example
 * validateVector([0.1, 0.2, 0.3], 3, 'query vector'); // Float32Array [0.1, 0.2, 0.3]
 * validateVector([1, NaN], 2, 'Doc.embedding');      // throws VectorValueError
 */
export function validateVector(value: unknown, dimensions: number | undefined, subject: string): Float32Array {
  if (!Array.isArray(value) && !(value instanceof Float32Array)) {
    throw new VectorValueError(
      `${subject} must be an array of numbers or a Float32Array, but got ${describeValue(value)}; pass e.g. [0.1, 0.2, 0.3].`,
    );
  }
  if (value.length === 0) {
    throw new VectorValueError(`${subject} is an empty vector; pass at least one number.`);
  }
  if (dimensions !== undefined && value.length !== dimensions) {
    throw new VectorDimensionError(
      `${subject} expects ${dimensions} dimensions but the vector has ${value.length}; pass a vector of length ${dimensions}.`,
    );
  }
  const out = new Float32Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const element: unknown = value[i];
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

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return `a ${value.constructor?.name ?? 'object'}`;
  return `a ${typeof value}`;
}
