/**
 * Per-query search settings, applied to one query only. Each backend accepts the knobs it has:
 * PostgreSQL (pgvector) `efSearch`, `iterativeScan`, `maxScanTuples`, `probes`, `maxProbes`,
 * `overFetch`, `rerank`; MariaDB `efSearch`, `overFetch`; CockroachDB `beamSize`, `overFetch`; libSQL
 * and SQLite (sqlite-vec) `overFetch`.
 *
 * @example
 * const tuning: VectorSearchTuning = { efSearch: 100, iterativeScan: 'strict_order' };
 */
export interface VectorSearchTuning {
  /** Candidates an HNSW search keeps (pgvector `hnsw.ef_search`, MariaDB `mhnsw_ef_search`); default `max(40, 2 x limit)`. */
  efSearch?: number;
  /** pgvector 0.8 iterative index scans (`hnsw.iterative_scan`; IVFFlat knows `relaxed_order` only); default `relaxed_order` with a filter, else `off`. */
  iterativeScan?: 'off' | 'strict_order' | 'relaxed_order';
  /** Most tuples an iterative HNSW scan visits (`hnsw.max_scan_tuples`, server default 20,000). */
  maxScanTuples?: number;
  /** IVFFlat lists probed (`ivfflat.probes`); default the square root of the index's lists. */
  probes?: number;
  /** Most lists an iterative IVFFlat scan probes (`ivfflat.max_probes`). */
  maxProbes?: number;
  /**
   * Rows read before the exact re-rank, as a multiple of `limit` (findNearest only): the first
   * candidate read on libSQL, sqlite-vec and MariaDB, the rows an iterative scan returns on
   * PostgreSQL; default 4 with conditions, else 1.
   */
  overFetch?: number;
  /**
   * Candidates per result a `storage: 'binary'` index returns (by Hamming distance on the binary
   * codes) for the exact re-rank by the query's metric, in the same query; default 20.
   */
  rerank?: number;
  /**
   * Partitions a CockroachDB vector index (C-SPANN) explores at each level of its k-means tree
   * (`vector_search_beam_size`, server default 32); more finds more of the true neighbours, slower.
   */
  beamSize?: number;
}

/** The knob names of `VectorSearchTuning`, in documentation order. */
export const SEARCH_KNOBS = ['efSearch', 'iterativeScan', 'maxScanTuples', 'probes', 'maxProbes', 'overFetch', 'rerank', 'beamSize'] as const satisfies ReadonlyArray<keyof VectorSearchTuning>;

/** One knob of `VectorSearchTuning`. */
export type SearchKnob = (typeof SEARCH_KNOBS)[number];

/**
 * How a nearest-neighbour search found its rows: `exact` (no vector index was read), `index` (one
 * index read answered), `index-iterative` (the index was read further, by an iterative scan or by
 * growing the candidates, until enough rows passed the filter), `exact-fallback` (the index ran out
 * and an exact filtered search answered).
 *
 * @example
 * const strategy: NearestStrategyName = 'index-iterative';
 */
export type NearestStrategyName = 'exact' | 'index' | 'index-iterative' | 'exact-fallback';
