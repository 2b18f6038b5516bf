import { VectorDimensionError, VectorValueError } from '../errors';
import { describeValue } from '../vocabulary';

/**
 * Checks an int8 vector (a `number[]` or numeric typed array of integers from -128 to 127 with
 * exactly `dimensions` elements, when given) and returns it as an Int8Array.
 *
 * @example
 * validateInt8Vector([1, -128, 127], 3, 'Doc.codes'); // Int8Array [1, -128, 127]
 * validateInt8Vector([128], 1, 'Doc.codes');         // throws VectorValueError
 */
export function validateInt8Vector(value: unknown, dimensions: number | undefined, subject: string): Int8Array {
  if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array))) {
    throw new VectorValueError(`${subject} must be an array of integers from -128 to 127 or an Int8Array, but got ${describeValue(value)}; pass e.g. [12, -7, 100].`);
  }
  const elements = value as ArrayLike<unknown>;
  if (elements.length === 0) throw new VectorValueError(`${subject} is an empty vector; pass at least one integer.`);
  if (dimensions !== undefined && elements.length !== dimensions) {
    throw new VectorDimensionError(`${subject} expects ${dimensions} dimensions but the vector has ${elements.length}; pass a vector of length ${dimensions}.`);
  }
  const out = new Int8Array(elements.length);
  for (let i = 0; i < elements.length; i++) {
    const element = elements[i];
    if (typeof element !== 'number' || !Number.isInteger(element) || element < -128 || element > 127) {
      throw new VectorValueError(`${subject} element ${i} is ${describeValue(element)}; every element of an int8 vector must be an integer from -128 to 127 (quantize it first).`);
    }
    out[i] = element;
  }
  return out;
}
