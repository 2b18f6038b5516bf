import type { VectorIndexKind } from './index-kinds';
import type { VectorMetric } from './metrics';
import type { SearchKnob } from './search-tuning';
import type { VectorElementType, VectorIndexStorage } from './vector-types';

/** A tuning option of one index kind: its range (integers) or allowed values, and its default. */
export type TuningRule =
  | { readonly type: 'integer'; readonly min: number; readonly max: number; readonly default: number }
  | { readonly type: 'boolean'; readonly default: boolean }
  | { readonly type: 'choice'; readonly values: readonly string[]; readonly default: string };

/** The values one search knob takes (its default depends on the query: see `VectorSearchTuning`). */
export type SearchKnobRule =
  | { readonly type: 'integer'; readonly min: number; readonly max: number }
  | { readonly type: 'choice'; readonly values: readonly string[] };

/**
 * How `findNearest` reaches an index kind: `planner` (the database picks it for `ORDER BY distance
 * LIMIT k` and scans it further by itself when a filter needs more rows: pgvector's iterative
 * scans), or `candidates` (a subquery reads the `k` nearest row ids from the index, which are then
 * filtered and re-ranked exactly, `k` growing until `limit` rows pass: libSQL's `vector_top_k`,
 * sqlite-vec's vec0, MariaDB's `ORDER BY distance LIMIT k` in a derived table).
 */
export type IndexSearchPath =
  | { readonly kind: 'planner' }
  | {
      readonly kind: 'candidates';
      /** Whether the query names the index (`useIndex: 'name'` can pick one), or the database picks it (MariaDB). */
      readonly namesIndex: boolean;
      /** Most candidates one read may return (sqlite-vec caps `k` at 4096). */
      readonly maxK: number | undefined;
      /** Fewest candidates worth asking for (libSQL's beam is as wide as `k`; `k = 1` missed a near row). */
      readonly minK: number;
      /** Whether the `k` candidates are exactly the `k` nearest rows (vec0 is an exact scan). */
      readonly exact: boolean;
      /**
       * The share of the table beyond which reading `k` candidates costs more than an exact search
       * (measured by `npm run bench`): `findNearest` then searches exactly.
       */
      readonly exactBeyond: number;
    };

/**
 * Filter columns an index kind can hold (sqlite-vec `vec0` metadata columns and partition keys).
 *
 * @example
 * const rules: FilterColumnRules = { max: 16, types: { integer: 'integer', varchar: 'text' }, partitionKeyTypes: ['integer', 'text'], ... };
 */
export interface FilterColumnRules {
  /** Most filter columns, the partition key not counted (sqlite-vec: 16 metadata columns). */
  readonly max: number;
  /** Table column SQL type (lower case, as TypeORM's driver normalises it) -> the index's type for it. */
  readonly types: Readonly<Record<string, string>>;
  /** Index types a partition key may have (sqlite-vec: integer, text). */
  readonly partitionKeyTypes: readonly string[];
  /** Why a filter column must be NOT NULL. */
  readonly requiresNotNull: string;
}

/**
 * What an index kind does with one element type other than float32 (pgvector HNSW on `halfvec`:
 * every metric, up to 4,000 dimensions).
 *
 * @example
 * const halfvec: IndexTypeCapabilities = { metrics: ['l2', 'cosine', 'inner_product', 'l1'], maxDimensions: 4000 };
 */
export interface IndexTypeCapabilities {
  /** Metrics the index kind serves on this type. */
  readonly metrics: readonly VectorMetric[];
  /** Most dimensions it indexes of this type. */
  readonly maxDimensions: number;
  /** Most non-zero elements one indexed sparse vector may have (pgvector: 1,000). */
  readonly maxNonZero?: number;
}

/** One index kind on one backend, as plain data. */
export interface IndexKindCapabilities {
  /** Metrics the index kind can serve (on float32 vectors). */
  readonly metrics: readonly VectorMetric[];
  /** Most dimensions the index kind accepts (on float32 vectors). */
  readonly maxDimensions: number;
  /** The element types other than float32 it indexes; a type not listed cannot be indexed by this kind. */
  readonly elementTypes?: Readonly<Partial<Record<VectorElementType, IndexTypeCapabilities>>>;
  /** Tuning options by name, with ranges and defaults. */
  readonly tuning: Readonly<Record<string, TuningRule>>;
  /** Whether the backend's catalog lists it as an index of the table (TypeORM must be told to leave it alone). */
  readonly isTableIndex: boolean;
  /** The DDL needs the dimension count (vec0's `float[N]`). */
  readonly requiresDimensions?: boolean;
  /** The DDL writes the column name unquoted (vec0 parses its own column list). */
  readonly requiresPlainColumnName?: boolean;
  /** How queries reach it. */
  readonly search: IndexSearchPath;
  /** Table columns it can copy so a filter runs inside its search; absent where it cannot. */
  readonly filterColumns?: FilterColumnRules;
}

/** The vector indexes of one backend, as plain data. */
export interface IndexCapabilities {
  readonly defaultKind: VectorIndexKind;
  readonly kinds: Readonly<Partial<Record<VectorIndexKind, IndexKindCapabilities>>>;
  /** Longest identifier the backend keeps. */
  readonly maxIdentifierLength: number;
  /** Why the indexed column must be NOT NULL, where it must. */
  readonly requiresNotNull?: string;
  /** Most vector indexes one table may have (MariaDB 11.8: one). */
  readonly maxIndexesPerTable?: number;
  /** Index storage options (`@VectorIndex({ storage })`) for a float32 column; absent where there are none. */
  readonly storage?: readonly VectorIndexStorage[];
}

/**
 * How one backend stores one element type other than float32: its column type, metrics and limit.
 *
 * @example
 * const halfvec: ElementTypeCapabilities = { column: { type: 'halfvec', withLength: true }, metrics: ['l2', 'cosine', 'inner_product', 'l1'], maxDimensions: 16000 };
 */
export interface ElementTypeCapabilities {
  /** TypeORM column type; `withLength` passes the dimensions as its `length`. */
  readonly column: { readonly type: string; readonly withLength: boolean };
  /** Metrics this backend computes on this type. */
  readonly metrics: readonly VectorMetric[];
  /** Most dimensions a column of this type may have. */
  readonly maxDimensions: number;
  /** The dimensions must be a multiple of this (sqlite-vec's bit vectors: 8, whole bytes). */
  readonly dimensionsMultipleOf?: number;
}

/**
 * What one backend can do, as plain data: read by validation, error messages and the query layer,
 * so a new metric, element type or index knob is a row here plus its SQL in the dialect.
 */
export interface DialectCapabilities {
  /** Human name used in error messages, e.g. `PostgreSQL (pgvector)`. */
  readonly name: string;
  /** Most dimensions a column may have. */
  readonly maxDimensions: number;
  /** Metrics this backend computes. */
  readonly metrics: readonly VectorMetric[];
  /** Element types a column may store. */
  readonly elementTypes: readonly VectorElementType[];
  /**
   * Each element type of `elementTypes` other than float32, with its column type, metrics and
   * limit (float32 is described by `column`, `metrics` and `maxDimensions`).
   */
  readonly otherElementTypes?: Readonly<Partial<Record<VectorElementType, ElementTypeCapabilities>>>;
  /** For element types this backend lacks, what to use instead: completes "<backend> has no <type> vectors; ...". */
  readonly elementTypeAdvice?: Readonly<Partial<Record<VectorElementType, string>>>;
  /** TypeORM column type of a vector column; `withLength` passes the dimensions as TypeORM's `length` (`vector(N)`). */
  readonly column: { readonly type: string; readonly withLength: boolean };
  /** Vector indexes; absent when the backend has none (MySQL). */
  readonly indexes?: IndexCapabilities;
  /** Per-query search settings this backend accepts; absent where it has none (MySQL). */
  readonly search?: SearchCapabilities;
  /** The sentence for any metric, where the backend computes none (MySQL); otherwise generic advice is given. */
  readonly noDistanceMessage?: (metric: string) => string;
}

/**
 * The per-query search settings of one backend: each knob's range, where the setting lives, and
 * the sentence naming what the backend has, for a knob it lacks.
 */
export interface SearchCapabilities {
  readonly knobs: Readonly<Partial<Record<SearchKnob, SearchKnobRule>>>;
  /**
   * Where settings apply: `transaction` (`SET LOCAL` in the query's own transaction, or a savepoint
   * of the caller's), `statement` (`SET STATEMENT ... FOR`), or `candidates` (the size of the
   * candidate read, so nothing outlives the statement).
   */
  readonly scope: 'transaction' | 'statement' | 'candidates';
  /** Completes "<backend> has no <knob>; ..." e.g. `it tunes searches with overFetch`. */
  readonly instead: string;
}
