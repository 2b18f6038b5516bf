import type {
  CatalogTable,
  DialectCapabilities,
  EscapeIdentifier,
  ParameterizedSql,
  VectorIndexDefinition,
  VectorIndexKind,
  VectorMetric,
  VectorSearchTuning,
  IndexedFilterColumn,
  VectorIndexFilterColumn,
  VectorElementType,
  VectorIndexStorage,
  TablePartition,
} from '../vocabulary';
import type { ElementValue } from '../codecs';
import type { BulkLoadDialect } from './bulk-load';
import type { FullTextDialect } from './full-text';

/** Which dialect: one per database family whose vector SQL differs. */
export type DialectId = 'postgres' | 'sqlite-vec' | 'libsql' | 'mariadb' | 'mysql' | 'cockroachdb';

/**
 * How vectors of one element type travel between JavaScript and one database. Pure functions. `V`
 * is the validated value (`ElementValue`): a Float32Array for float32 and float16.
 */
export interface VectorCodec<V = Float32Array> {
  /**
   * Value bound as a query parameter for a validated vector. Throws `VectorValueError` naming
   * `subject` when the backend would refuse a vector `validateVector` accepted.
   */
  encode(vector: V, subject: string): unknown;
  /**
   * The value bound for a query vector (a search's, a distance's), where the driver can send a form
   * the server reads faster than `encode`'s: pgvector's binary (`vector_recv`) as a Buffer, which
   * `pg` sends in binary format and the server reads as the type of the parameter's cast. Unset:
   * `encode`'s value, as for stored values.
   */
  encodeParameter?(vector: V, subject: string): unknown;
  /** Turns what the driver returns for a vector column into the validated value. */
  decode(raw: unknown, subject: string): V;
  /**
   * `decode` straight to `number[]` where that skips a copy (float32 BLOBs read in place), or
   * undefined for a value it leaves to `decode`; the transformer of a column returning `number[]` tries it first.
   */
  decodeNumbers?(raw: unknown, subject: string): number[] | undefined;
  /** SQL that reads the bound parameter `placeholder` (e.g. `:tv_vector_1`) as a vector of `dimensions`. */
  parameterSql(placeholder: string, dimensions?: number): string;
  /** SQL that reads a column of this type as a vector where a bare reference would not do (sqlite-vec's `vec_int8(col)`). */
  columnSql?(columnSql: string): string;
  /**
   * Where the database sends this type as text but has a binary form that decodes faster: the SQL
   * selecting a column in that form (pgvector's `vector_send(col)`, a bytea), for queries whose
   * select list the library writes itself (`findNearest`). The codec's `decode` and
   * `decodeNumbers` read what it selects, so the column's transformer hydrates it.
   */
  binaryRead?: { sql(columnSql: string): string };
  /**
   * Where the backend stores this type in a column that takes values of any size (SQLite's and
   * libSQL's BLOBs), the CHECK expression that holds exactly for NULL and a stored vector of
   * `dimensions`; `VectorDataSource` adds it as a constraint.
   */
  sizeCheckSql?(columnSql: string, dimensions: number): string;
}

/**
 * A codec per element type other than float32 (whose codec is `VectorDialect.codec`).
 *
 * @example
 * const codecs: ElementCodecs = { float16: halfvecCodec };
 */
export type ElementCodecs = { readonly [T in Exclude<VectorElementType, 'float32'>]?: VectorCodec<ElementValue<T>> };

/** What a candidate condition needs: see `VectorSql.candidates`. */
export interface CandidateSqlInput {
  /** The escaped alias of the searched table in the outer query, e.g. `"entity"`. */
  aliasSql: string;
  /** The escaped table, e.g. `` `shop`.`doc` ``. */
  tableSql: string;
  /** The table's primary key columns, escaped. */
  primaryColumnsSql: readonly string[];
  /** The index's name (a validated plain identifier). */
  index: string;
  /** The indexed column's database name. */
  column: string;
  metric: VectorMetric;
  /** The bound query vector, as `VectorCodec.parameterSql` reads it. */
  vectorSql: string;
  /** The bound number of candidates. */
  kSql: string;
  /** Conditions the index evaluates inside its own search (vec0 metadata columns), already bound; see `VectorSql.pushDown`. */
  pushedSql?: string;
  escape: EscapeIdentifier;
}

/** What a re-rank candidate condition needs: see `VectorSql.rerankCandidates`. */
export interface RerankCandidateInput {
  /** The escaped alias of the searched table in the outer query, e.g. `"entity"`. */
  aliasSql: string;
  /** The escaped table. */
  tableSql: string;
  /** The table's primary key columns, escaped. */
  primaryColumnsSql: readonly string[];
  /** The indexed column, escaped (without an alias). */
  columnSql: string;
  /** The bound query vector, as `VectorCodec.parameterSql` reads it. */
  vectorSql: string;
  /** The bound number of candidates. */
  kSql: string;
  /** The column's dimensions (the index expression's size). */
  dimensions: number;
  /** The index's name (a validated plain identifier), for backends whose query names it (vec0). */
  index: string;
  escape: EscapeIdentifier;
}

/** Query SQL of one backend: distances and, for indexes a query must name, candidate selection. */
export interface VectorSql {
  /** SQL of the distance between a column and a vector expression; smaller is closer. */
  distance(metric: VectorMetric, columnSql: string, vectorSql: string): string;
  /**
   * For each index storage option: a vector expression (a column or a bound vector) converted to
   * what the index stores, written exactly as the index expression is, so the planner matches it
   * (pgvector `halfvec`: `CAST(x AS halfvec(N))`).
   */
  indexStorage?: Readonly<Partial<Record<VectorIndexStorage, (sql: string, dimensions: number) => string>>>;
  /**
   * For storage options whose index orders by another metric than the query's (`binary`: Hamming
   * distance on binary codes): a condition keeping only the rows among the `k` the index finds
   * nearest, written so the planner reads the index for them; the query then re-ranks them exactly.
   */
  rerankCandidates?: Readonly<Partial<Record<VectorIndexStorage, (input: RerankCandidateInput) => string>>>;
  /**
   * For index kinds whose search path is `candidates`: a condition keeping only the rows among the
   * index's `k` nearest to the vector.
   */
  candidates?: Readonly<Partial<Record<VectorIndexKind, (input: CandidateSqlInput) => string>>>;
  /**
   * Find-style `where` conditions an index can evaluate inside its candidate search (sqlite-vec's
   * vec0 metadata and partition key columns), as constraints with positional `?` parameters, or
   * undefined when any part of `where` cannot be pushed down exactly.
   */
  pushDown?(where: unknown, columns: Readonly<Record<string, IndexedFilterColumn>>, escape: EscapeIdentifier): ParameterizedSql | undefined;
  /**
   * Where search settings live in the transaction (`SearchCapabilities.scope` `transaction`): the
   * statement that sets `settings` (database setting name -> value) until the transaction or
   * savepoint ends, and the one that makes the rest of it search exactly.
   */
  transactionSettings?: {
    set(settings: Readonly<Record<string, string>>): ParameterizedSql;
    /** A query returning one row whose `s0`, `s1`, ... are the current values of `names` (null where unset). */
    read(names: readonly string[]): ParameterizedSql;
    /** The statement that gives `name` back its default for the rest of the transaction (a name `searchSettings` or `exactScan` produces). */
    reset(name: string): string;
    /** The settings under which the rest of the transaction searches exactly. */
    readonly exactScan: Readonly<Record<string, string>>;
    /**
     * The settings under which a re-ranked index (`storage: 'binary'`) is read rather than its
     * expression computed on every row: PostgreSQL underestimates that cost on vectors stored out of
     * line (TOAST) and would sort all the codes of a table of thousands of rows.
     */
    readonly preferIndex?: { readonly set: Readonly<Record<string, string>>; readonly undo: Readonly<Record<string, string>> };
    /**
     * What makes a search's own transaction read-only (a replica allows nothing else; on a primary
     * it guards the search): settings sent with the search's first ones (PostgreSQL's
     * `transaction_read_only`), or a statement run first.
     */
    readonly readOnly?: Readonly<Record<string, string>> | string;
    /**
     * The settings (every name `searchSettings` produces) whose session values a search may rely on
     * instead of setting them: when a connection's session already holds all a search needs (read
     * with `read`, once a second per connection), the search runs without a transaction of its own.
     */
    readonly session?: readonly string[];
  };
  /**
   * The distance written so the database cannot answer `ORDER BY` it from a vector index, for an
   * exact search where the planner would otherwise pick one (MariaDB reads its VECTOR INDEX even
   * under a WHERE, walking the whole graph when few rows pass).
   */
  unindexedDistance?(distanceSql: string): string;
  /** Where they live in the statement (`SearchCapabilities.scope` `statement`): the prefix that applies `settings` to one statement. */
  statementPrefix?(settings: Readonly<Record<string, string>>): string;
  /** The database settings a search with `tuning` needs (knob values already validated), for `transactionSettings` or `statementPrefix`. */
  searchSettings?(tuning: ResolvedSearchTuning): Record<string, string>;
}

/** Search knobs with every default filled in, as `VectorSearchTuning` describes them. */
export type ResolvedSearchTuning = Readonly<VectorSearchTuning>;

/** Vector index and extension DDL of one backend, with that backend's own option rules. */
export interface VectorDdl {
  /** Statements `createVectorExtension` runs. */
  readonly createExtension: readonly string[];
  /** Statements `dropVectorExtension` runs. */
  readonly dropExtension: readonly string[];
  /** A query that fails when the vector functions are missing, and the one-sentence fix. */
  readonly extensionCheck?: { readonly sql: string; readonly advice: string };
  /** The fix named when creating the extension fails. */
  readonly extensionAdvice?: string;
  /** Throws a one-sentence error when a definition breaks a rule of this backend (pgvector: ef_construction >= 2 x m). */
  checkDefinition?(definition: VectorIndexDefinition): void;
  createIndex(definition: VectorIndexDefinition, escape: EscapeIdentifier): string[];
  dropIndex(definition: VectorIndexDefinition, escape: EscapeIdentifier): string[];
  /**
   * Where tables partition natively (PostgreSQL): the statements that add a partition to a
   * partitioned table (the parent's indexes, vector ones included, are built on it by the server)
   * and that drop it again. Bounds are checked before (integers, strings quoted as literals).
   */
  readonly partitions?: {
    add(partition: TablePartition, escape: EscapeIdentifier): string[];
    drop(partition: TablePartition, escape: EscapeIdentifier): string[];
  };
  /**
   * What must run again after TypeORM rebuilt the indexed table (SQLite changes a column by copying
   * the table, which drops its triggers and indexes). With `existing`, an index no `@VectorIndex`
   * declares (kept), read from the catalog before the copy: rebuilt as it was.
   */
  afterTableRebuild?(definition: VectorIndexDefinition, escape: EscapeIdentifier, existing?: CatalogVectorIndex): string[];
  /**
   * How an index read from the catalog is rebuilt exactly (a faithful `down`, or the recreation of
   * an index a dimension change dropped): from its catalog definition, or, where the catalog keeps
   * no statement (MariaDB), from what it means.
   */
  readonly existingIndex?: {
    recreate(existing: CatalogVectorIndex, definition: VectorIndexDefinition, escape: EscapeIdentifier): string[];
    /**
     * The value of a setting an existing index left to the backend's default where that default
     * depends on the column (libSQL's `max_neighbors` from the dimensions), or undefined when unknown.
     */
    settingDefault?(key: string, existing: IndexMeaning, dimensions: number | undefined): number | string | boolean | undefined;
  };
  /**
   * Where a column's vector type carries its dimensions and the backend can change them in place
   * (pgvector's `vector` to `vector(N)`): the statements that change them. Rows whose vectors have
   * another dimension count make a guard fail naming them; a nullable column changing from N to M
   * dimensions has its old vectors cleared instead (they cannot be converted). The last statement
   * changes the column; any before it (a guard, the clearing) run before the column's indexes are
   * dropped, so that a guard failing on a backend whose DDL is not transactional (MariaDB) leaves
   * the schema as it was.
   */
  alterColumnDimensions?(change: ColumnDimensionChange, escape: EscapeIdentifier): string[];
  /**
   * Where a column's dimensions are changed by TypeORM's copy of the table (SQLite's way to change
   * a column: `INSERT INTO temporary_t SELECT ...`), which would carry every vector of another
   * dimension count into the new `F32_BLOB(M)` as it is: the statements that run before the copy
   * so that none survives it. On a `NOT NULL` column a guard fails naming the rows; a nullable
   * column has them cleared to NULL.
   */
  prepareDimensionCopy?(change: ColumnDimensionChange, escape: EscapeIdentifier): string[];
  /**
   * Where the column's type holds no dimension count (SQLite's BLOB) but an index does (vec0's
   * `float[N]`): the statements that run before the index is rebuilt for other dimensions, so that
   * its fill does not fail on the old vectors (a guard naming them, or NULL for a nullable column).
   */
  prepareIndexDimensions?(change: ColumnDimensionChange, escape: EscapeIdentifier): string[];
}

/**
 * A vector column whose declared dimension count differs from its entity's: see `VectorDdl.alterColumnDimensions`.
 *
 * @example
 * const langchain: ColumnDimensionChange = { table: 'documents', column: 'embedding', from: undefined, to: 1536, nullable: true, primaryColumns: ['id'] };
 */
export interface ColumnDimensionChange {
  table: string;
  column: string;
  /** The dimensions in the database; undefined for an unconstrained `vector` column. */
  from: number | undefined;
  /** The dimensions wanted; undefined for an unconstrained column (a `down`). */
  to: number | undefined;
  nullable: boolean;
  /** The table's primary key columns (database names), to name the rows a guard refuses. */
  primaryColumns: readonly string[];
  /** The column's element type (default float32): pgvector changes `halfvec(N)`, `bit(N)` and `sparsevec(N)` in place too. */
  elementType?: VectorElementType;
}

/**
 * What a vector index means, its backend's defaults filled in: two indexes with equal meanings
 * answer the same queries with the same graph, whatever their names or the text that created them.
 * A setting left `undefined` is the backend's default where that depends on the column
 * (`VectorDdl.existingIndex.settingDefault`).
 *
 * @example
 * const meaning: IndexMeaning = { kind: 'hnsw', column: 'embedding', metric: 'l2', settings: { m: 16, efConstruction: 64 } };
 */
export interface IndexMeaning {
  kind: VectorIndexKind;
  column: string;
  metric: VectorMetric;
  /** Build settings by their `@VectorIndex` option name (`efConstruction`), or by the backend's own name for one the library has no option for (`alpha`). */
  settings: Readonly<Record<string, number | string | boolean | undefined>>;
  /** Dimensions the index declares itself (vec0's `float[N]`). */
  dimensions?: number;
  /** The element type the index holds, where its definition says it (pgvector's operator class); absent with `storage`. */
  elementType?: VectorElementType;
  /** The storage of a float32 column's index (`halfvec`: an index on `column::halfvec(N)`). */
  storage?: VectorIndexStorage;
  /** Filter columns the index holds (vec0), in declaration order, and its partition key. */
  filterColumns?: readonly VectorIndexFilterColumn[];
  partitionKey?: string;
}

/** What the database reports about a vector column. */
export interface VectorColumnInfo {
  nullable: boolean;
  /** Dimensions from the column type (`vector(64)`, `VECTOR(64)`, `F32_BLOB(64)`); undefined for BLOB. */
  dimensions: number | undefined;
  /** The database's name of the column's type (`vector`), where the catalog query reads it. */
  type?: string;
}

/** A vector index read from the catalog. */
export interface CatalogVectorIndex {
  name: string;
  /** Its full definition as the catalog keeps it. */
  definition: string;
  /** The indexed column (database name), kind and metric, where the definition says them. */
  column?: string;
  kind?: VectorIndexKind;
  metric?: VectorMetric;
  /** The index storage of a float32 column (an expression index on `column::halfvec(N)`). */
  storage?: VectorIndexStorage;
  /** Its build settings as the catalog names them (PostgreSQL `WITH (lists = '100')` -> `{ lists: '100' }`). */
  settings?: Readonly<Record<string, string>>;
  /** The dimensions the index itself declares, where it declares them apart from its column (sqlite-vec's `float[N]`). */
  dimensions?: number;
  /** What it means, defaults filled in; undefined where the library cannot read the definition (an expression, a partial index). */
  meaning?: IndexMeaning;
  /** On a partitioned table, the index's copy on each partition (the names a plan reads), where the server keeps those (PostgreSQL). */
  partitionIndexes?: readonly string[];
}

/** Every catalog query of one backend, with how to read its rows. */
export interface VectorIntrospection {
  /** A query returning one row when the index exists (the row `VectorDdl.existingIndex` reads). */
  indexExists?(definition: VectorIndexDefinition, escape: EscapeIdentifier): ParameterizedSql;
  /** A query describing one column; `readColumn` returns undefined when there is no such column. */
  column?(table: string, column: string, escape: EscapeIdentifier): ParameterizedSql;
  readColumn?(rows: Array<Record<string, unknown>>): VectorColumnInfo | undefined;
  /** A query listing the vector indexes of a table; `readVectorIndexes` reads its rows. */
  vectorIndexesOnTable?(table: string, escape: EscapeIdentifier): ParameterizedSql;
  readVectorIndexes?(rows: Array<Record<string, unknown>>, serverDefaults?: Readonly<Record<string, unknown>>): CatalogVectorIndex[];
  /** A query of the server's index defaults (MariaDB's `mhnsw_default_m`), one row passed to `readVectorIndexes` as `serverDefaults`. */
  indexDefaults?: ParameterizedSql;
  /** A query listing every vector index of the database, as rows `{ name, definition }` (libSQL, whose TypeORM schema reader must skip them). */
  vectorIndexesInDatabase?: ParameterizedSql;
  /** A query of one table's columns and their declared types (`vector(3)`), as rows `{ name, type }`. */
  declaredColumnTypes?(table: CatalogTable): ParameterizedSql;
  /** The dimensions a declared type names (`vector(3)` -> 3), or undefined. */
  declaredDimensions?(declaredType: string): number | undefined;
  /**
   * A cheap estimate of a table's row count, as one row `{ estimate }`, where counting the rows
   * costs a full scan (InnoDB); elsewhere `findNearest` counts them.
   */
  rowEstimate?(table: string): ParameterizedSql;
  /** A query of the type OIDs the driver must parse as vectors (PostgreSQL), as rows `{ oid }`. */
  vectorTypeOids?: ParameterizedSql;
}

/**
 * Rows a backend's EXPLAIN returned, as the driver gives them.
 *
 * @example
 * const rows: PlanRows = [{ 'QUERY PLAN': 'Seq Scan on doc  (cost=0.00..68.50 rows=3000 width=57)' }];
 */
export type PlanRows = ReadonlyArray<Record<string, unknown>>;

/**
 * How one backend explains a query, and what its plan rows say about vector indexes: what
 * `explainNearest` and `explainNearestQuery` read. Plain data and pure functions of the rows.
 *
 * @example
 * const statement = postgresDialect.explain!.prefix + sql; // 'EXPLAIN SELECT ...': the layers above run it
 * postgresDialect.explain!.readsIndex(rows, 'doc_embedding_hnsw_l2', sql); // true when the plan has 'Index Scan using doc_embedding_hnsw_l2'
 */
export interface VectorExplain {
  /** What goes before the SELECT: `'EXPLAIN '` or `'EXPLAIN QUERY PLAN '`. */
  readonly prefix: string;
  /** The plan as text, one line per row. */
  planText(rows: PlanRows): string;
  /**
   * Whether the plan reads the vector index `index`. `sql` is the explained statement, for plans
   * that name a function rather than the index (libSQL's `vector_top_k('index', ...)`).
   */
  readsIndex(rows: PlanRows, index: string, sql: string): boolean;
  /** Whether the plan reads every row of `table` (named `alias` in the query) rather than looking rows up by key. */
  scansTable(rows: PlanRows, table: { readonly name: string; readonly alias: string }): boolean;
  /**
   * Why the database passed over a vector index that serves the query, and the fix: the end of a
   * sentence that begins "PostgreSQL read doc without its index doc_embedding_hnsw_l2". `filtered`: the query has a WHERE.
   */
  skipped(filtered: boolean, table: string): string;
  /**
   * A knob whose value caps the rows an index of `kinds` returns to one scan (pgvector's
   * `hnsw.ef_search` when iterative scans are off): `setting` is its database name.
   */
  readonly rowCap?: { readonly kinds: readonly VectorIndexKind[]; readonly knob: 'efSearch'; readonly setting: string };
  /** A query of the session's current search settings, and how to read them as knobs (for a query the library did not tune). */
  readonly currentTuning?: { readonly query: ParameterizedSql; read(rows: PlanRows): VectorSearchTuning };
}

/**
 * Everything typeorm-vector knows about one database, in plain parts: what it can do
 * (`capabilities`, data), how vectors are encoded (`codec`), its query SQL (`sql`), its index and
 * extension DDL (`ddl`, absent where it has no vector index), its catalog queries
 * (`introspection`) and how to read its query plans (`explain`). A dialect never runs a query and never reads DataSource options: `resolve.ts`
 * picks it, and the layers above run what it returns.
 *
 * @example
 * postgresDialect.sql.distance('cosine', '"doc"."embedding"', postgresDialect.codec.parameterSql('$1'));
 * // ("doc"."embedding" <=> CAST($1 AS vector))
 */
export interface VectorDialect {
  readonly id: DialectId;
  readonly capabilities: DialectCapabilities;
  /** The float32 codec. */
  readonly codec: VectorCodec;
  /** Codecs of the other element types it stores (`capabilities.elementTypes`). */
  readonly codecs?: ElementCodecs;
  readonly sql: VectorSql;
  readonly ddl?: VectorDdl;
  readonly introspection: VectorIntrospection;
  /** How it explains queries (`explainNearest`); absent where it has no vector index to explain. */
  readonly explain?: VectorExplain;
  /** Full-text search (`@FullTextIndex`, `findHybrid`); absent where the library offers none. */
  readonly fullText?: FullTextDialect;
  /** How `insertVectors` loads rows: PostgreSQL's COPY, or multi-row INSERTs. */
  readonly bulkLoad: BulkLoadDialect;
}
