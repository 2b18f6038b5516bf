/**
 * Kinds of vector index: `hnsw` (pgvector HNSW, MariaDB's mHNSW), `ivfflat` (pgvector),
 * `diskann` (libSQL's `libsql_vector_idx`), `vec0` (a sqlite-vec virtual table kept in step by triggers),
 * `cspann` (CockroachDB's `CREATE VECTOR INDEX`: a k-means tree of partitions, C-SPANN).
 *
 * @example
 * @VectorIndex({ metric: 'l2', kind: 'ivfflat' satisfies VectorIndexKind, lists: 200 })
 */
export type VectorIndexKind = 'hnsw' | 'ivfflat' | 'diskann' | 'vec0' | 'cspann';

/**
 * Every index kind the library knows, in the order error messages list them.
 *
 * @example
 * VECTOR_INDEX_KINDS.includes('hnsw'); // true
 */
export const VECTOR_INDEX_KINDS: readonly VectorIndexKind[] = ['hnsw', 'ivfflat', 'diskann', 'vec0', 'cspann'];

/**
 * Whether `value` names an index kind the library knows (whatever a backend builds).
 *
 * @example
 * isVectorIndexKind('diskann'); // true
 */
export function isVectorIndexKind(value: unknown): value is VectorIndexKind {
  return typeof value === 'string' && (VECTOR_INDEX_KINDS as readonly string[]).includes(value);
}
