import type { VectorElementType } from '../vocabulary';
import { validateBitVector, packBits } from './bit';
import { validateFloat16Vector } from './float16';
import { validateInt8Vector } from './int8';
import { sparseToDense, validateSparseVector, type SparseVector } from './sparse';
import { validateVector, type VectorInput } from './validate-vector';

/**
 * The value of each element type once validated, as codecs encode and decode it: float32 and
 * float16 as Float32Array (float16 already rounded), int8 as Int8Array, bit as a string of `0`
 * and `1`, sparse as a `SparseVector`.
 *
 * @example
 * const bits: ElementValue<'bit'> = '1010';
 */
export type ElementValue<T extends VectorElementType> = T extends 'float32' | 'float16' ? Float32Array : T extends 'int8' ? Int8Array : T extends 'bit' ? string : SparseVector;

/**
 * How a vector column's values come back (`@VectorColumn(N, { as })`): `array` (`number[]`; for
 * sparse, the dense elements), `float32array`, `int8array`, `string` (bits), `uint8array` (bits
 * packed 8 to a byte), `sparse` (a `SparseVector`).
 *
 * @example
 * const shape: VectorValueShape = 'float32array';
 */
export type VectorValueShape = 'array' | 'float32array' | 'int8array' | 'string' | 'uint8array' | 'sparse';

/** Validation and output shapes of one element type. */
export interface ElementValues<V> {
  /** Checks a value (or throws a one-sentence `VectorValueError`/`VectorDimensionError`) and returns it normalised. */
  validate(value: unknown, dimensions: number | undefined, subject: string, limits?: { readonly maxNonZero?: number }): V;
  /** The shapes `as` may name; the first is the default. */
  readonly shapes: readonly VectorValueShape[];
  /** The value in `shape`. */
  output(value: V, shape: VectorValueShape): unknown;
}

const floatValues = (validate: (value: unknown, dimensions: number | undefined, subject: string) => Float32Array): ElementValues<Float32Array> => ({
  validate,
  shapes: ['array', 'float32array'],
  output: (value, shape) => (shape === 'float32array' ? value : toNumberArray(value)),
});

/**
 * The elements of a typed array as `number[]`: a plain loop into an array of the final length,
 * about 25x faster than `Array.from(typedArray)` on V8 (which goes through the iterator).
 */
function toNumberArray(values: Float32Array | Int8Array): number[] {
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i]!;
  return out;
}

/**
 * Validation and output shapes per element type: the one table the column and query layers read.
 *
 * @example
 * ELEMENT_VALUES.int8.validate([1, -2], 2, 'q'); // Int8Array [1, -2]
 * ELEMENT_VALUES.bit.shapes;                     // ['string', 'uint8array']
 */
export const ELEMENT_VALUES: { readonly [T in VectorElementType]: ElementValues<ElementValue<T>> } = {
  float32: floatValues(validateVector),
  float16: floatValues(validateFloat16Vector),
  int8: { validate: validateInt8Vector, shapes: ['array', 'int8array'], output: (value, shape) => (shape === 'int8array' ? value : toNumberArray(value)) },
  bit: { validate: validateBitVector, shapes: ['string', 'uint8array'], output: (value, shape) => (shape === 'uint8array' ? packBits(value) : value) },
  sparse: {
    validate: (value, dimensions, subject, limits) => validateSparseVector(value, dimensions, subject, limits?.maxNonZero),
    shapes: ['sparse', 'array'],
    output: (value, shape) => (shape === 'array' ? sparseToDense(value) : { indices: [...value.indices], values: [...value.values], dimensions: value.dimensions }),
  },
};

/**
 * Any vector value a column or query accepts, whatever its element type: numbers (`number[]`, a
 * numeric typed array), bits (`'1010'`, `boolean[]`, a packed `Uint8Array`), or a `SparseVector`.
 *
 * @example
 * const hash: VectorValueInput = '10110010';
 */
export type VectorValueInput = VectorInput | string | readonly boolean[] | SparseVector;
