import type { CatalogVectorIndex, ResolvedSearchTuning, VectorDialect } from '../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { describeValue, INDEX_STORAGE_RERANKED, SEARCH_KNOBS, type SearchKnob, type VectorSearchTuning } from '../vocabulary';

/**
 * Candidates per result a `storage: 'binary'` index returns for the exact re-rank, by default.
 *
 * @example
 * DEFAULT_RERANK; // 20
 */
export const DEFAULT_RERANK = 20;

/**
 * Throws unless `tuning` is undefined or an object of knobs `dialect` has, each in its range:
 * an unknown key is a `VectorConfigurationError` listing the knobs, a knob of another backend an
 * `UnsupportedVectorFeatureError` naming what this one has instead.
 *
 * @example
 * checkSearchTuning(libsqlDialect, { efSearch: 100 }, 'findNearest search'); // throws: libSQL has no efSearch; ...
 */
export function checkSearchTuning(dialect: VectorDialect, tuning: unknown, subject: string): asserts tuning is VectorSearchTuning | undefined {
  if (tuning === undefined) return;
  if (typeof tuning !== 'object' || tuning === null || Array.isArray(tuning)) {
    throw new VectorConfigurationError(`${subject} ${describeValue(tuning)} is not an object; pass e.g. { efSearch: 100 }.`);
  }
  const search = dialect.capabilities.search;
  for (const [key, value] of Object.entries(tuning)) {
    if (!(SEARCH_KNOBS as readonly string[]).includes(key)) {
      throw new VectorConfigurationError(`${subject} has no setting '${key}'; use ${SEARCH_KNOBS.join(', ')}.`);
    }
    if (value === undefined) continue;
    const rule = search?.knobs[key as SearchKnob];
    if (!rule) {
      throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} has no ${key} search setting; ${search?.instead ?? 'it has no per-query search settings'}.`);
    }
    if (rule.type === 'integer' ? !Number.isInteger(value) || (value as number) < rule.min || (value as number) > rule.max : !rule.values.includes(value as string)) {
      const allowed = rule.type === 'integer' ? `an integer from ${rule.min} to ${rule.max}` : `one of ${rule.values.map((v) => `'${v}'`).join(', ')}`;
      throw new VectorConfigurationError(`${subject} ${key} ${describeValue(value)} is not valid on ${dialect.capabilities.name}; pass ${allowed}.`);
    }
  }
}

/**
 * The settings one search runs with: the caller's knobs, and the library's defaults for the rest
 * where the backend has the knob: `efSearch` `max(40, 2 x limit)` (so `limit: 100` is never served
 * by a 40-candidate search), `iterativeScan` `relaxed_order` when filtered or when `limit` passes
 * the `efSearch` cap (rows are re-sorted by exact distance), `probes` the square root of an IVFFlat index's lists (pgvector's advice;
 * twice that when filtered, since the nearest rows that pass lie in more lists), and
 * `overFetch` 4 when filtered, else 1, and `rerank` 20 on a `storage: 'binary'` index.
 *
 * @example
 * resolveSearchTuning(postgresDialect, undefined, { limit: 100, filtered: false }); // { efSearch: 200, iterativeScan: 'off' }
 */
export function resolveSearchTuning(
  dialect: VectorDialect,
  tuning: VectorSearchTuning | undefined,
  query: { limit: number; filtered: boolean; index?: CatalogVectorIndex },
): ResolvedSearchTuning {
  const knobs = dialect.capabilities.search?.knobs ?? {};
  const resolved: VectorSearchTuning = {};
  const efSearch = knobs.efSearch;
  if (efSearch?.type === 'integer') resolved.efSearch = Math.min(efSearch.max, Math.max(40, 2 * query.limit));
  // Past the efSearch cap (limit over 500 on pgvector), an HNSW scan stops at efSearch rows unless it iterates.
  const capped = resolved.efSearch !== undefined && resolved.efSearch < query.limit * (query.filtered ? 4 : 1);
  if (knobs.iterativeScan) resolved.iterativeScan = query.filtered || capped ? 'relaxed_order' : 'off';
  const lists = Number(query.index?.settings?.lists);
  // Filtered, the nearest rows that pass lie farther out, in lists past the first sqrt(lists) (recall@10 0.68 to 0.82 on a 1% filter at 10 of 100 lists, 1.00 at 20): twice as many.
  if (knobs.probes && query.index?.kind === 'ivfflat' && lists > 0) resolved.probes = Math.min(lists, Math.ceil(Math.sqrt(lists)) * (query.filtered ? 2 : 1));
  if (knobs.overFetch) resolved.overFetch = query.filtered ? 4 : 1;
  if (knobs.rerank && query.index?.storage && INDEX_STORAGE_RERANKED[query.index.storage]) resolved.rerank = DEFAULT_RERANK;
  for (const knob of SEARCH_KNOBS) {
    const value = tuning?.[knob];
    if (value !== undefined) (resolved as Record<string, unknown>)[knob] = value;
  }
  return resolved;
}
