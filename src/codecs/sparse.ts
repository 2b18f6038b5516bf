import { VectorDimensionError, VectorValueError } from '../errors';
import { describeValue } from '../vocabulary';
import { validateVector } from './validate-vector';

/**
 * A sparse vector: the positions (0-based, ascending) and values of its non-zero elements, and its
 * dimensions. pgvector's `sparsevec` text writes it 1-based: `{1:0.5,8:2}/10`.
 *
 * @example
 * const v: SparseVector = { indices: [0, 7], values: [0.5, 2], dimensions: 10 };
 */
export interface SparseVector {
  readonly indices: readonly number[];
  readonly values: readonly number[];
  readonly dimensions: number;
}

/**
 * Checks a sparse vector (a `SparseVector`, or a dense `number[]`/typed array to convert) and
 * returns a copy with float32 values and the zero elements left out (a sparse column stores none):
 * indices are integers, strictly ascending (sorted, no repeats) and below `dimensions`, which must
 * equal the column's; `maxNonZero` (pgvector indexes at most 1,000 non-zeros) caps the count.
 *
 * @example
 * validateSparseVector({ indices: [0, 7], values: [0.5, 2], dimensions: 10 }, 10, 'Doc.terms'); // { indices: [0, 7], values: [0.5, 2], dimensions: 10 }
 * validateSparseVector([0, 1.5, 0], 3, 'Doc.terms');                                          // { indices: [1], values: [1.5], dimensions: 3 }
 */
export function validateSparseVector(value: unknown, dimensions: number | undefined, subject: string, maxNonZero?: number): SparseVector {
  const sparse = Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView)) ? fromDense(validateVector(value, dimensions, subject)) : checkSparse(value, dimensions, subject);
  if (maxNonZero !== undefined && sparse.indices.length > maxNonZero) {
    throw new VectorValueError(
      `${subject} has ${sparse.indices.length} non-zero elements, more than the ${maxNonZero} its vector index takes; keep the ${maxNonZero} largest or drop the index.`,
    );
  }
  return sparse;
}

function fromDense(dense: Float32Array): SparseVector {
  const indices: number[] = [];
  const values: number[] = [];
  for (let i = 0; i < dense.length; i++) {
    if (dense[i] !== 0) {
      indices.push(i);
      values.push(dense[i]!);
    }
  }
  return { indices, values, dimensions: dense.length };
}

function checkSparse(value: unknown, expected: number | undefined, subject: string): SparseVector {
  const { indices, values, dimensions } = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof SparseVector, unknown>>;
  if (!Array.isArray(indices) || !Array.isArray(values) || typeof dimensions !== 'number') {
    throw new VectorValueError(`${subject} must be a sparse vector { indices, values, dimensions } or a dense array, but got ${describeValue(value)}; pass e.g. { indices: [0, 7], values: [0.5, 2], dimensions: ${expected ?? 10} }.`);
  }
  if (!Number.isInteger(dimensions) || dimensions < 1) {
    throw new VectorDimensionError(`${subject} has dimensions ${describeValue(dimensions)}; pass a positive integer such as ${expected ?? 10}.`);
  }
  if (expected !== undefined && dimensions !== expected) {
    throw new VectorDimensionError(`${subject} expects ${expected} dimensions but the sparse vector has ${dimensions}; pass dimensions: ${expected}.`);
  }
  if (indices.length !== values.length) {
    throw new VectorValueError(`${subject} has ${indices.length} indices but ${values.length} values; pass one value per index.`);
  }
  const floats = values.length ? validateVector(values, undefined, `${subject} values`) : new Float32Array(0);
  const kept: { indices: number[]; values: number[] } = { indices: [], values: [] };
  let previous = -1;
  for (let i = 0; i < indices.length; i++) {
    const index: unknown = indices[i];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= dimensions) {
      throw new VectorValueError(`${subject} index ${i} is ${describeValue(index)}; every index must be an integer from 0 to ${dimensions - 1}.`);
    }
    if (index <= previous) {
      throw new VectorValueError(`${subject} index ${i} is ${index}, after ${previous}; list the indices in ascending order, each once.`);
    }
    previous = index;
    if (floats[i] !== 0) {
      kept.indices.push(index);
      kept.values.push(floats[i]!);
    }
  }
  return { ...kept, dimensions };
}

/**
 * The dense elements of a sparse vector.
 *
 * @example
 * sparseToDense({ indices: [1], values: [1.5], dimensions: 3 }); // [0, 1.5, 0]
 */
export function sparseToDense(vector: SparseVector): number[] {
  const dense = new Array<number>(vector.dimensions).fill(0);
  vector.indices.forEach((index, i) => (dense[index] = vector.values[i]!));
  return dense;
}

/**
 * pgvector's `sparsevec` text, 1-based: `{1:0.5,8:2}/10`.
 *
 * @example
 * toSparsevecText({ indices: [0, 7], values: [0.5, 2], dimensions: 10 }); // '{1:0.5,8:2}/10'
 */
export function toSparsevecText(vector: SparseVector): string {
  return `{${vector.indices.map((index, i) => `${index + 1}:${vector.values[i]!}`).join(',')}}/${vector.dimensions}`;
}

/**
 * Parses pgvector's `sparsevec` text into a `SparseVector` (0-based indices, float32 values).
 *
 * @example
 * parseSparsevecText('{1:0.5,8:2}/10', 'Doc.terms'); // { indices: [0, 7], values: [0.5, 2], dimensions: 10 }
 */
export function parseSparsevecText(text: string, subject: string): SparseVector {
  const match = /^\{(.*)\}\/(\d+)$/.exec(text);
  if (!match) throw new VectorValueError(`${subject} returned ${JSON.stringify(text.slice(0, 40))}, which is not sparsevec text such as {1:0.5}/10; is the column of type sparsevec?`);
  const indices: number[] = [];
  const values: number[] = [];
  for (const pair of match[1] ? match[1].split(',') : []) {
    const [index, value] = pair.split(':');
    indices.push(Number(index) - 1);
    values.push(Math.fround(Number(value)));
  }
  return { indices, values, dimensions: Number(match[2]) };
}
