import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { assertMetric, type VectorDialect, type VectorMetric } from './dialect';

/**
 * Kinds of vector index: `hnsw` (pgvector HNSW, MariaDB's mHNSW), `ivfflat` (pgvector),
 * `diskann` (libSQL's `libsql_vector_idx`), `vec0` (a sqlite-vec virtual table kept in step by triggers).
 */
export type VectorIndexKind = 'hnsw' | 'ivfflat' | 'diskann' | 'vec0';

/**
 * Every index kind the library knows, in the order error messages list them.
 *
 * @example
 * VECTOR_INDEX_KINDS.includes('hnsw'); // true
 */
export const VECTOR_INDEX_KINDS: readonly VectorIndexKind[] = ['hnsw', 'ivfflat', 'diskann', 'vec0'];

/** libSQL's neighbour compression (`compress_neighbors=`). */
export type LibsqlNeighborCompression = 'float1bit' | 'float8' | 'float16' | 'floatb16' | 'float32';

/** Tuning options of a vector index; each backend accepts the ones of its index kind. */
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
}

/** What `createVectorIndex` / `@VectorIndex` ask for. */
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
}

/** A validated index request with every default filled in. */
export interface VectorIndexDefinition {
  readonly table: string;
  readonly column: string;
  readonly metric: VectorMetric;
  readonly kind: VectorIndexKind;
  readonly name: string;
  readonly dimensions: number | undefined;
  /** Kind-specific settings with defaults, e.g. `{ m: 16, efConstruction: 64, concurrently: false }`. */
  readonly settings: Readonly<Record<string, number | string | boolean>>;
}

/** An SQL statement with its bound parameters. */
export interface ParameterizedSql {
  sql: string;
  parameters: unknown[];
}

/** Quotes one identifier the way the connection's driver does (`driver.escape`). */
export type EscapeIdentifier = (identifier: string) => string;

/** What the database reports about a vector column. */
export interface IndexedColumnInfo {
  nullable: boolean;
  /** Dimensions from the column type (`vector(64)`, `VECTOR(64)`, `F32_BLOB(64)`); undefined for BLOB. */
  dimensions: number | undefined;
}

/** A tuning option of one index kind: its range (integers) or allowed values, and its default. */
export type TuningRule =
  | { readonly type: 'integer'; readonly min: number; readonly max: number; readonly default: number }
  | { readonly type: 'boolean'; readonly default: boolean }
  | { readonly type: 'choice'; readonly values: readonly string[]; readonly default: string };

/** One index kind on one backend. */
export interface VectorIndexKindSupport {
  /** Metrics the index kind can serve. */
  readonly metrics: readonly VectorMetric[];
  /** Most dimensions the index kind accepts. */
  readonly maxDimensions: number;
  /** Tuning options by name, with ranges and defaults. */
  readonly tuning: Readonly<Record<string, TuningRule>>;
  /** Whether the backend's catalog lists it as an index of the table (TypeORM must be told to leave it alone). */
  readonly isTableIndex: boolean;
  /** The DDL needs the dimension count (vec0's `float[N]`). */
  readonly requiresDimensions?: boolean;
  /** The DDL writes the column name unquoted (vec0 parses its own column list). */
  readonly requiresPlainColumnName?: boolean;
  /**
   * For an index searched through its own table or function (vec0), a subquery of the rowids of the
   * `k` nearest rows (column `tv_rowid`), which `findNearest` joins on the entity table's rowid.
   */
  readonly nearestRowids?: {
    readonly maxK: number;
    /** The entity table's column the rowids match (e.g. SQLite's `rowid`). */
    readonly rowidSql: string;
    sql(index: VectorIndexDefinition, escape: EscapeIdentifier, vectorSql: string, kSql: string): string;
  };
}

/**
 * Vector index and extension DDL of one backend. Every statement is built from a validated
 * `VectorIndexDefinition`, with identifiers quoted by the driver's `escape`.
 */
export interface VectorIndexSupport {
  readonly defaultKind: VectorIndexKind;
  readonly kinds: Readonly<Partial<Record<VectorIndexKind, VectorIndexKindSupport>>>;
  /** Longest identifier the backend keeps. */
  readonly maxIdentifierLength: number;
  /** Statements `createVectorExtension` runs. */
  readonly createExtensionSql: readonly string[];
  /** Statements `dropVectorExtension` runs. */
  readonly dropExtensionSql: readonly string[];
  /** A query that fails when the vector functions are missing, and the one-sentence fix. */
  readonly extensionCheck?: { readonly sql: string; readonly advice: string };
  /** The fix named when creating the extension fails. */
  readonly extensionAdvice?: string;
  /** Whether the indexed column must be NOT NULL, with the reason. */
  readonly requiresNotNull?: string;
  /** Most vector indexes one table may have (MariaDB 11.8: one). */
  readonly maxIndexesPerTable?: number;
  createIndexSql(index: VectorIndexDefinition, escape: EscapeIdentifier): string[];
  dropIndexSql(index: VectorIndexDefinition, escape: EscapeIdentifier): string[];
  /**
   * What must run again after TypeORM rebuilt the indexed table (SQLite changes a column by copying
   * the table, which drops its triggers): vec0's triggers.
   */
  afterTableRebuildSql?(index: VectorIndexDefinition, escape: EscapeIdentifier): string[];
  /** A query returning a row when the index exists. */
  indexExistsQuery(index: VectorIndexDefinition, escape: EscapeIdentifier): ParameterizedSql;
  /** A query describing the column, and how to read its rows (undefined: no such column). */
  columnQuery(table: string, column: string, escape: EscapeIdentifier): ParameterizedSql;
  readColumn(rows: Array<Record<string, unknown>>): IndexedColumnInfo | undefined;
  /**
   * Where the catalog gives an index's full definition (PostgreSQL's `pg_indexes.indexdef`,
   * SQLite's `sqlite_master.sql`): whether the existing index (a row of `indexExistsQuery`) matches
   * `index`, and the statements that recreate it exactly. Lets the schema builder replace a changed
   * index with a faithful `down`.
   */
  readonly existingIndex?: {
    matches(row: Record<string, unknown>, index: VectorIndexDefinition, escape: EscapeIdentifier): boolean;
    recreateSql(row: Record<string, unknown>, index: VectorIndexDefinition, escape: EscapeIdentifier): string[];
    /** The vector indexes on a table (rows with `name` and `definition`), to repair TypeORM's `down` when it drops one. */
    onTableQuery?(table: string): ParameterizedSql;
  };
}

const REQUEST_KEYS = new Set(['table', 'column', 'metric', 'kind', 'name', 'dimensions']);
const INDEX_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The index support of a dialect, or an error saying the backend has no vector indexes.
 *
 * @example
 * indexSupport(postgresDialect).defaultKind; // 'hnsw'
 */
export function indexSupport(dialect: VectorDialect): VectorIndexSupport {
  if (!dialect.indexes) {
    throw new UnsupportedVectorFeatureError(`${dialect.name} has no vector index in typeorm-vector; leave the column unindexed (exact search).`);
  }
  return dialect.indexes;
}

/**
 * Validates an index request for `dialect` and fills in every default. Pure: reads no database.
 *
 * @example
 * resolveIndexDefinition(postgresDialect, { table: 'document', column: 'embedding', metric: 'cosine' });
 * // { kind: 'hnsw', name: 'document_embedding_hnsw_cosine', settings: { m: 16, efConstruction: 64, concurrently: false }, ... }
 */
export function resolveIndexDefinition(dialect: VectorDialect, request: VectorIndexRequest): VectorIndexDefinition {
  if (typeof request !== 'object' || request === null) {
    throw new VectorConfigurationError(`Vector index options ${String(request)} are not an object; pass e.g. { table: 'document', column: 'embedding', metric: 'cosine' }.`);
  }
  const support = indexSupport(dialect);
  const table = checkTablePath(request.table, support.maxIdentifierLength);
  const column = checkIdentifier(request.column, 'column', support.maxIdentifierLength);
  assertMetric(dialect, request.metric);
  const metric = request.metric;
  const kind = request.kind ?? support.defaultKind;
  const kindSupport = support.kinds[kind];
  if (!kindSupport) {
    const known = Object.keys(support.kinds).map((k) => `'${k}'`).join(', ');
    const what = (VECTOR_INDEX_KINDS as readonly unknown[]).includes(kind) ? `${dialect.name} has no '${kind}' vector index` : `Unknown vector index kind ${JSON.stringify(kind)}`;
    throw new UnsupportedVectorFeatureError(`${what}; use kind ${known}.`);
  }
  if (!kindSupport.metrics.includes(metric)) {
    throw new UnsupportedVectorFeatureError(
      `A ${dialect.name} '${kind}' index cannot serve the '${metric}' metric; use metric ${kindSupport.metrics.map((m) => `'${m}'`).join(', ')}${otherKindsFor(support, metric, kind)}.`,
    );
  }
  if (kindSupport.requiresPlainColumnName && !INDEX_NAME.test(column)) {
    throw new UnsupportedVectorFeatureError(`A ${dialect.name} '${kind}' index needs a column name of letters, digits and underscores, not ${JSON.stringify(column)}; rename the column (e.g. @VectorColumn(N, { name: 'embedding' })).`);
  }
  const tuningNames = Object.keys(kindSupport.tuning);
  for (const key of Object.keys(request)) {
    if (!REQUEST_KEYS.has(key) && !tuningNames.includes(key)) {
      throw new VectorConfigurationError(
        `Unknown option '${key}' for a ${dialect.name} '${kind}' index; use ${[...REQUEST_KEYS, ...tuningNames].join(', ')}.`,
      );
    }
  }
  const dimensions = request.dimensions;
  if (dimensions !== undefined) checkIndexDimensions(dialect, kind, dimensions, `${table}.${column}`);
  const settings: Record<string, number | string | boolean> = {};
  for (const [key, rule] of Object.entries(kindSupport.tuning)) {
    settings[key] = checkTuning(key, (request as unknown as Record<string, unknown>)[key], rule, kind);
  }
  if (kind === 'hnsw' && typeof settings.efConstruction === 'number' && typeof settings.m === 'number' && settings.efConstruction < 2 * settings.m) {
    throw new VectorConfigurationError(`efConstruction ${settings.efConstruction} is less than 2 x m (${2 * settings.m}); pass efConstruction: ${Math.max(64, 2 * settings.m)} or a smaller m.`);
  }
  const name = request.name ?? defaultIndexName(table, column, kind, metric);
  if (typeof name !== 'string' || !INDEX_NAME.test(name) || name.length > support.maxIdentifierLength) {
    throw new VectorConfigurationError(
      `Vector index name ${JSON.stringify(name)} is not a plain identifier of at most ${support.maxIdentifierLength} characters; pass name: with letters, digits and underscores, e.g. 'document_embedding_idx'.`,
    );
  }
  return { table, column, metric, kind, name, dimensions, settings };
}

/**
 * Checks that `dimensions` fit a `kind` index on `dialect`.
 *
 * @example
 * checkIndexDimensions(postgresDialect, 'hnsw', 3072, 'document.embedding'); // throws: pgvector indexes at most 2000
 */
export function checkIndexDimensions(dialect: VectorDialect, kind: VectorIndexKind, dimensions: unknown, subject: string): void {
  const max = indexSupport(dialect).kinds[kind]?.maxDimensions ?? dialect.maxDimensions;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
    throw new VectorConfigurationError(`Vector index dimensions ${String(dimensions)} for ${subject} is not a positive integer; pass the column's dimension count, e.g. dimensions: 384.`);
  }
  if (dimensions > max) {
    throw new UnsupportedVectorFeatureError(
      `A ${dialect.name} '${kind}' index takes at most ${max} dimensions but ${subject} has ${dimensions}; use a smaller embedding (or truncate it) or leave the column unindexed for exact search.`,
    );
  }
}

/**
 * The default index name, `<table>_<column>_<kind>_<metric>` (without the schema).
 *
 * @example
 * defaultIndexName('public.document', 'embedding', 'hnsw', 'cosine'); // 'document_embedding_hnsw_cosine'
 */
export function defaultIndexName(table: string, column: string, kind: VectorIndexKind, metric: VectorMetric): string {
  const bareTable = table.split('.').pop()!;
  return `${bareTable}_${column}_${kind}_${metric}`.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * Splits `schema.table` into its parts (one or two).
 *
 * @example
 * tableParts('search.document'); // { schema: 'search', name: 'document' }
 */
export function tableParts(table: string): { schema: string | undefined; name: string } {
  const parts = table.split('.');
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: undefined, name: parts[0]! };
}

/**
 * `"schema"."table"` or `"table"`, each part quoted with `escape`.
 *
 * @example
 * escapeTable('search.document', (n) => `"${n}"`); // '"search"."document"'
 */
export function escapeTable(table: string, escape: EscapeIdentifier): string {
  return table.split('.').map(escape).join('.');
}

function checkTablePath(table: unknown, maxLength: number): string {
  if (typeof table === 'string') {
    const parts = table.split('.');
    if (parts.length <= 2 && parts.every((part) => validIdentifier(part, maxLength))) return table;
  }
  throw new VectorConfigurationError(
    `Table ${JSON.stringify(table)} is not a table name (optionally 'schema.table') of at most ${maxLength} characters per part; pass e.g. table: 'document'.`,
  );
}

function checkIdentifier(value: unknown, what: string, maxLength: number): string {
  if (typeof value === 'string' && validIdentifier(value, maxLength)) return value;
  throw new VectorConfigurationError(`${what[0]!.toUpperCase()}${what.slice(1)} ${JSON.stringify(value)} is not an identifier of 1 to ${maxLength} characters; pass the database column name, e.g. ${what}: 'embedding'.`);
}

function validIdentifier(value: string, maxLength: number): boolean {
  // Quoted by the driver's escape; control characters and dots are refused outright.
  return value.length > 0 && value.length <= maxLength && !/[\u0000-\u001f.]/.test(value);
}

function checkTuning(key: string, value: unknown, rule: TuningRule, kind: VectorIndexKind): number | string | boolean {
  if (value === undefined) return rule.default;
  switch (rule.type) {
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max) return value;
      throw new VectorConfigurationError(`${key} ${JSON.stringify(value)} is not an integer from ${rule.min} to ${rule.max}; pass e.g. ${key}: ${rule.default} (the default).`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw new VectorConfigurationError(`${key} ${JSON.stringify(value)} is not a boolean; pass ${key}: true or false.`);
    case 'choice':
      if (typeof value === 'string' && rule.values.includes(value)) return value;
      throw new VectorConfigurationError(`${key} ${JSON.stringify(value)} is not valid for a '${kind}' index; use one of ${rule.values.map((v) => `'${v}'`).join(', ')}.`);
  }
}

function otherKindsFor(support: VectorIndexSupport, metric: VectorMetric, kind: VectorIndexKind): string {
  const others = Object.entries(support.kinds)
    .filter(([k, s]) => k !== kind && s.metrics.includes(metric))
    .map(([k]) => `'${k}'`);
  return others.length ? `, or kind ${others.join(', ')}` : '';
}
