import type { VectorIndexKind } from './index-kinds';
import type { VectorMetric } from './metrics';
import type { VectorElementType, VectorIndexStorage } from './vector-types';

/**
 * libSQL's neighbour compression (`compress_neighbors=`).
 *
 * @example
 * @VectorIndex({ metric: 'cosine', compressNeighbors: 'float16' satisfies LibsqlNeighborCompression })
 */
export type LibsqlNeighborCompression = 'float1bit' | 'float8' | 'float16' | 'floatb16' | 'float32';

/**
 * Tuning options of a vector index; each backend accepts the ones of its index kind.
 *
 * @example
 * const tuning: VectorIndexTuning = { m: 24, efConstruction: 128 }; // PostgreSQL hnsw
 */
export interface VectorIndexTuning {
  /** HNSW graph degree: pgvector `m` (2-100, default 16), MariaDB `M` (3-200, default 16). */
  m?: number;
  /** pgvector HNSW `ef_construction` (4-1000 and at least 2 x m; default 64). */
  efConstruction?: number;
  /** pgvector IVFFlat `lists` (1-32768; default 100). */
  lists?: number;
  /** PostgreSQL: build with CREATE INDEX CONCURRENTLY (the migration must set `transaction = false`). */
  concurrently?: boolean;
  /** libSQL `max_neighbors` (2-1024; default 64). */
  maxNeighbors?: number;
  /** libSQL `compress_neighbors` (default 'float32'). */
  compressNeighbors?: LibsqlNeighborCompression;
  /** CockroachDB `min_partition_size`: vectors below which a partition is merged (1-1024; default 16). */
  minPartitionSize?: number;
  /** CockroachDB `max_partition_size`: vectors above which a partition is split (4-4096 and at least 4 x minPartitionSize; default 128). */
  maxPartitionSize?: number;
  /** CockroachDB `build_beam_size`: branches explored when a vector is inserted (1-512; default 8; CockroachDB advises raising beamSize instead). */
  buildBeamSize?: number;
}

/**
 * A table column copied into a vector index so that a filter on it runs inside the index search
 * (sqlite-vec `vec0` metadata columns and partition keys). In a request, `type` is the table
 * column's SQL type (`'integer'`, `'varchar'`, ...); in a resolved definition, the index's own type
 * for it (vec0: `'integer'`, `'float'`, `'text'`, `'boolean'`).
 *
 * @example
 * const category: VectorIndexFilterColumn = { column: 'category', type: 'varchar' };
 */
export interface VectorIndexFilterColumn {
  /** Database column name. */
  readonly column: string;
  readonly type: string;
}

/**
 * A filter column of a resolved index, as a filter translator reads it: its database name, the
 * index's type for it, and whether it is the partition key.
 *
 * @example
 * const tenant: IndexedFilterColumn = { column: 'tenant_id', type: 'integer', partitionKey: true };
 */
export interface IndexedFilterColumn extends VectorIndexFilterColumn {
  readonly partitionKey: boolean;
}

/**
 * What `createVectorIndex` / `@VectorIndex` ask for.
 *
 * @example
 * await createVectorIndex(queryRunner, { table: 'document', column: 'embedding', metric: 'cosine', kind: 'hnsw', m: 24 } satisfies VectorIndexRequest);
 */
export interface VectorIndexRequest extends VectorIndexTuning {
  /** Table name, optionally schema-qualified (`'public.document'`). */
  table: string;
  /** Database column name of the vector column. */
  column: string;
  /** The metric the index serves; queries in another metric cannot use it. */
  metric: VectorMetric;
  /** Index kind (default: the backend's ANN index: `hnsw` on PostgreSQL and MariaDB, `diskann` on libSQL, `vec0` on SQLite). */
  kind?: VectorIndexKind;
  /** Index name (default `<table>_<column>_<kind>_<metric>`); letters, digits and underscores. */
  name?: string;
  /** Vector dimensions; read from the column where the backend records them, required for `vec0`. */
  dimensions?: number;
  /** The column's element type (default `'float32'`): it picks the operator class or index type. */
  elementType?: VectorElementType;
  /** How the index stores a float32 column's vectors where that differs (`'halfvec'`: pgvector, up to 4,000 dimensions). */
  storage?: VectorIndexStorage;
  /**
   * `vec0` only: NOT NULL columns of the table copied into the index, so a filter on them runs
   * inside the KNN search (sqlite-vec metadata columns, at most 16).
   */
  filterColumns?: readonly VectorIndexFilterColumn[];
  /** `vec0` only: one of `filterColumns` (database name) declared as sqlite-vec's `partition key` instead. */
  partitionKey?: string;
}

/** A validated index request with every default filled in. */
export interface VectorIndexDefinition {
  readonly table: string;
  readonly column: string;
  readonly metric: VectorMetric;
  readonly kind: VectorIndexKind;
  readonly name: string;
  readonly dimensions: number | undefined;
  /** The indexed column's element type. */
  readonly elementType: VectorElementType;
  /** The index's own storage of a float32 column, if any (it then indexes an expression of the column). */
  readonly storage: VectorIndexStorage | undefined;
  /** Kind-specific settings with defaults, e.g. `{ m: 16, efConstruction: 64, concurrently: false }`. */
  readonly settings: Readonly<Record<string, number | string | boolean>>;
  /** Columns copied into the index, each with the index's type for it (empty for most kinds). */
  readonly filterColumns: readonly VectorIndexFilterColumn[];
  /** The filter column declared as the index's partition key, if any. */
  readonly partitionKey: string | undefined;
}
