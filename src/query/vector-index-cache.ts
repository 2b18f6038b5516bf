import type { CatalogVectorIndex } from '../dialects';

/**
 * How long findNearest trusts a column's vector indexes as last read from the catalog (1 s): a
 * schema change made by another process is seen within it. Changes made through any
 * VectorDataSource of this process are seen at once (`forgetVectorIndexes`).
 */
export const VECTOR_INDEX_CACHE_MS = 1000;

interface Entry {
  readonly indexes: readonly CatalogVectorIndex[];
  readonly readAt: number;
  readonly generation: number;
}

const entriesByOwner = new WeakMap<object, Map<string, Entry>>();
let generation = 0;

/**
 * The vector indexes of `key` (a table and column) for `owner` (a DataSource), from the cache when
 * read less than `VECTOR_INDEX_CACHE_MS` ago and no schema change was seen since, else from `read`.
 * A read in a transaction (not cached here: its caller reads fresh) never fills the cache.
 *
 * @example
 * const indexes = await cachedVectorIndexes(dataSource, 'doc.embedding', () => readColumnIndexes(...));
 */
export async function cachedVectorIndexes(owner: object, key: string, read: () => Promise<CatalogVectorIndex[]>): Promise<readonly CatalogVectorIndex[]> {
  const fresh = freshVectorIndexes(owner, key);
  if (fresh) return fresh;
  let entries = entriesByOwner.get(owner);
  if (!entries) entriesByOwner.set(owner, (entries = new Map()));
  const now = Date.now();
  const seen = generation;
  const indexes = await read();
  // A schema change while reading: the read may predate it, so it is not kept.
  if (seen === generation) entries.set(key, { indexes: [...indexes], readAt: now, generation });
  return indexes;
}

/**
 * `cachedVectorIndexes` when the cache can answer (read less than `VECTOR_INDEX_CACHE_MS` ago, no
 * schema change seen since), without a promise; undefined when it cannot.
 *
 * @example
 * const indexes = freshVectorIndexes(dataSource, key) ?? (await cachedVectorIndexes(dataSource, key, read));
 */
export function freshVectorIndexes(owner: object, key: string): readonly CatalogVectorIndex[] | undefined {
  const entry = entriesByOwner.get(owner)?.get(key);
  return entry && entry.generation === generation && Date.now() - entry.readAt < VECTOR_INDEX_CACHE_MS ? entry.indexes : undefined;
}

/** Statements after which cached vector indexes may be wrong: DDL, and a rollback (of DDL in a transaction). */
const SCHEMA_CHANGE = /^\s*(CREATE|DROP|ALTER|REINDEX|RENAME|ROLLBACK)\b/i;

/**
 * Forgets every cached vector index (of every DataSource of this process) when `sql` may change
 * what the catalog says: called by VectorDataSource after every query it runs.
 *
 * @example
 * forgetVectorIndexesAfter('CREATE INDEX doc_hnsw ON doc USING hnsw (embedding vector_l2_ops)');
 */
export function forgetVectorIndexesAfter(sql: string): void {
  if (SCHEMA_CHANGE.test(sql)) generation++;
}
