import type { VectorMetric } from './metrics';

/**
 * Element types a vector column can store: `float32` (the default everywhere), `float16` (half
 * precision: pgvector `halfvec`, libSQL `F16_BLOB`), `int8` (integers -128..127), `bit` (binary
 * vectors: pgvector `bit(N)`, libSQL `F1BIT_BLOB`), `sparse` (pgvector `sparsevec`). Each backend
 * lists the ones it stores in its capabilities.
 *
 * @example
 * @VectorColumn(3072, { type: 'float16' satisfies VectorElementType }) embedding!: number[];
 */
export type VectorElementType = 'float32' | 'float16' | 'int8' | 'bit' | 'sparse';

/**
 * Every vector element type the library knows, in the order error messages list them.
 *
 * @example
 * VECTOR_ELEMENT_TYPES; // ['float32', 'float16', 'int8', 'bit', 'sparse']
 */
export const VECTOR_ELEMENT_TYPES: readonly VectorElementType[] = ['float32', 'float16', 'int8', 'bit', 'sparse'];

/**
 * Whether `value` names an element type the library knows (whatever a backend stores).
 *
 * @example
 * isVectorElementType('float16'); // true
 */
export function isVectorElementType(value: unknown): value is VectorElementType {
  return typeof value === 'string' && (VECTOR_ELEMENT_TYPES as readonly string[]).includes(value);
}

/**
 * How a vector index stores a float32 column's vectors, where that differs from the column:
 * `halfvec` (pgvector: an expression index on `column::halfvec(N)`, indexable up to 4,000
 * dimensions, at half the index size), `binary` (pgvector: an index on the binary codes
 * `binary_quantize(column)::bit(N)`, one bit a dimension, up to 64,000 dimensions, searched by
 * Hamming distance and re-ranked by the query's metric on the full vectors; sqlite-vec: a vec0
 * `bit[N]` table of `vec_quantize_binary(column)`), `int8` (sqlite-vec: a vec0 `int8[N]` table of
 * `vec_quantize_int8(column, 'unit')`, elements in [-1, 1] as 256 levels, searched by the index's
 * metric on those codes and re-ranked on the full vectors).
 *
 * @example
 * @VectorIndex({ metric: 'cosine', storage: 'halfvec' satisfies VectorIndexStorage })
 */
export type VectorIndexStorage = 'halfvec' | 'binary' | 'int8';

/**
 * Every index storage option, with the element type the index holds.
 *
 * @example
 * INDEX_STORAGE_TYPES.halfvec; // 'float16'
 */
export const INDEX_STORAGE_TYPES: Readonly<Record<VectorIndexStorage, VectorElementType>> = { halfvec: 'float16', binary: 'bit', int8: 'int8' };

/**
 * Whether the rows an index of each storage option finds are candidates that the query then
 * re-ranks by the exact distance on the float32 column (`binary`, `int8`), rather than the answer
 * itself (`halfvec`: the query orders by the index's own halfvec distance).
 *
 * @example
 * INDEX_STORAGE_RERANKED.int8; // true
 */
export const INDEX_STORAGE_RERANKED: Readonly<Record<VectorIndexStorage, boolean>> = { halfvec: false, binary: true, int8: true };

/**
 * The metric an index of each storage option orders by where it is not the query's own: a
 * `binary` index compares binary codes by Hamming distance, so it yields candidates that the
 * query's metric then re-ranks exactly on the stored float32 vectors.
 *
 * @example
 * INDEX_STORAGE_METRICS.binary;  // 'hamming'
 * INDEX_STORAGE_METRICS.halfvec; // undefined: the index serves the query's metric itself
 */
export const INDEX_STORAGE_METRICS: Readonly<Partial<Record<VectorIndexStorage, VectorMetric>>> = { binary: 'hamming' };

/**
 * The metric an index orders by: its storage's (`binary`: Hamming), else the one it was declared for.
 *
 * @example
 * indexOrderMetric({ metric: 'cosine', storage: 'binary' }); // 'hamming'
 */
export function indexOrderMetric(index: { readonly metric: VectorMetric; readonly storage?: VectorIndexStorage | undefined }): VectorMetric {
  return (index.storage && INDEX_STORAGE_METRICS[index.storage]) ?? index.metric;
}
