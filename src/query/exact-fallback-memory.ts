import type { ObjectLiteral } from 'typeorm';
import { dataSourceOf } from '../typeorm-internals';
import type { NearestSearch } from './nearest-search';

/**
 * How many of the next searches with the same conditions, limit and index answer exactly at once
 * after one found the index's candidates too few and ended in an exact search (15), and for how long
 * (30 s): a 1% filter's first index read only confirms what the last search learned, and costs
 * about half an exact search of the table. Then a search reads the index again, so a filter that
 * has become common gets its index back. Either way the rows are the same: the exact search is the
 * answer an index read is checked against.
 */
export const EXACT_FALLBACK_MEMORY = { searches: 15, ms: 30_000 } as const;

/** At most this many remembered filters per DataSource (the oldest is forgotten first). */
const MAX_REMEMBERED = 1000;
/** Conditions longer than this (SQL and parameters) are not remembered. */
const MAX_KEY_LENGTH = 4096;

interface Remembered {
  readonly until: number;
  left: number;
}

const rememberedByDataSource = new WeakMap<object, Map<string, Remembered>>();

/**
 * A search's place in the memory: its DataSource and a key of its conditions, limit and index
 * (undefined when too long to keep).
 */
export interface FallbackMemorySlot {
  readonly owner: object;
  readonly key: string | undefined;
}

/**
 * The slot of a filtered search on `index`, or undefined when it has no conditions. The key is the
 * SQL and parameters the conditions build, so two searches share it when they filter alike
 * (`{ category: 'rare' }` and `{ category: 'common' }` do not). It is built when first read, and
 * only read when the DataSource has something remembered or a search falls back: the filtered
 * searches of a DataSource whose index never ran out do not build their conditions an extra time.
 *
 * @example
 * const slot = fallbackMemorySlot(search, 'doc_embedding_hnsw_l2');
 */
export function fallbackMemorySlot<Entity extends ObjectLiteral>(search: NearestSearch<Entity>, index: string): FallbackMemorySlot | undefined {
  const conditions = search.conditions;
  if (!conditions) return undefined;
  let key: string | undefined | null = null;
  return {
    owner: dataSourceOf(search.manager),
    get key() {
      if (key !== null) return key;
      const qb = search.createQueryBuilder();
      conditions(qb);
      const [sql, parameters] = qb.getQueryAndParameters();
      const text = `${index}\u0000${search.limit}\u0000${sql}\u0000${JSON.stringify(parameters, (_name, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`;
      return (key = text.length <= MAX_KEY_LENGTH ? text : undefined);
    },
  };
}

/**
 * Whether a recent search in `slot` ended in an exact search, within `EXACT_FALLBACK_MEMORY`; counts
 * this search against it.
 *
 * @example
 * if (slot && answerExactlyAgain(slot)) return exact.find(search);
 */
export function answerExactlyAgain(slot: FallbackMemorySlot, now = Date.now()): boolean {
  const remembered = rememberedByDataSource.get(slot.owner);
  if (!remembered?.size) return false;
  const key = slot.key;
  const entry = key === undefined ? undefined : remembered.get(key);
  if (!entry) return false;
  if (entry.left <= 0 || now >= entry.until) {
    remembered.delete(key!);
    return false;
  }
  entry.left--;
  return true;
}

/**
 * Records that a search in `slot` read the index and ended in an exact search.
 *
 * @example
 * rememberExactFallback(slot);
 */
export function rememberExactFallback(slot: FallbackMemorySlot, now = Date.now()): void {
  const key = slot.key;
  if (key === undefined) return;
  let remembered = rememberedByDataSource.get(slot.owner);
  if (!remembered) rememberedByDataSource.set(slot.owner, (remembered = new Map()));
  remembered.delete(key);
  remembered.set(key, { until: now + EXACT_FALLBACK_MEMORY.ms, left: EXACT_FALLBACK_MEMORY.searches });
  if (remembered.size > MAX_REMEMBERED) remembered.delete(remembered.keys().next().value!);
}

/**
 * Forgets `slot`: a search in it was answered by the index.
 *
 * @example
 * forgetExactFallback(slot);
 */
export function forgetExactFallback(slot: FallbackMemorySlot): void {
  const remembered = rememberedByDataSource.get(slot.owner);
  if (remembered?.size && slot.key !== undefined) remembered.delete(slot.key);
}
