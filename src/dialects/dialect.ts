import type { ColumnType, DataSource, DataSourceOptions } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import type { VectorIndexSupport } from './vector-index';

/** Distance metrics. `inner_product` is the negative inner product, so smaller is closer for every metric. */
export type VectorMetric = 'l2' | 'cosine' | 'inner_product' | 'l1';

/** Every metric name the library knows, in the order error messages list them. */
export const VECTOR_METRICS: readonly VectorMetric[] = ['l2', 'cosine', 'inner_product', 'l1'];

/** The column a vector occupies on one backend, as TypeORM column options. */
export interface VectorColumnType {
  type: ColumnType;
  /** Passed as TypeORM's `length` (pgvector `vector(N)`, MariaDB `VECTOR(N)`); omitted for plain BLOBs. */
  length?: number;
}

/**
 * Everything typeorm-vector knows about one database: its column type, how a vector is bound and
 * read back, and its distance SQL. A dialect is a plain object; only `resolve.ts` picks one.
 */
export interface VectorDialect {
  /** Human name used in error messages, e.g. `PostgreSQL (pgvector)`. */
  readonly name: string;
  /** Most dimensions a column may have. */
  readonly maxDimensions: number;
  /** Metrics this backend computes. */
  readonly metrics: readonly VectorMetric[];
  /** TypeORM column type for `dimensions`. */
  columnType(dimensions: number): VectorColumnType;
  /**
   * Value bound as a query parameter for a validated vector. Throws `VectorValueError` naming
   * `subject` when the backend would refuse a vector `validateVector` accepted.
   */
  encode(vector: Float32Array, subject: string): unknown;
  /** Turns what the driver returns for a vector column into a Float32Array. */
  decode(raw: unknown, subject: string): Float32Array;
  /** SQL that reads the bound parameter `placeholder` (e.g. `:tv_1`) as a vector. */
  parameterSql(placeholder: string): string;
  /** SQL of the distance between a column and a vector expression; smaller is closer. */
  distanceSql(metric: VectorMetric, columnSql: string, vectorSql: string): string;
  /** The sentence for a metric this backend lacks, when the generic advice does not fit (a backend with no search at all). */
  unsupportedMetricMessage?(metric: VectorMetric): string;
  /**
   * Adapts a DataSource's options before TypeORM sees them (load an extension on each connection,
   * install a type parser) and says what to run once the DataSource is initialized.
   */
  setUpConnection?(options: DataSourceOptions): ConnectionSetup;
  /** Vector index and extension DDL (src/dialects/<db>-index.ts); absent when the backend has no vector index. */
  readonly indexes?: VectorIndexSupport;
  /** An ANN index that queries name explicitly (libSQL's `vector_top_k`); absent where the planner picks indexes itself. */
  readonly nearestIndex?: NearestIndexLookup;
  /**
   * A catalog query listing one table's columns with their declared types (`vector(3)`), as rows
   * `{ name, type }`. Used on TypeORM releases that do not know the `vector` type (0.3.20–0.3.27),
   * whose table loader misreads its dimensions; absent where vectors are plain BLOBs.
   */
  declaredColumnTypes?(table: CatalogTable): { sql: string; parameters: unknown[] };
  /**
   * Makes the vector type available on a connected DataSource whose entities have vector columns,
   * as TypeORM 0.3.27+ does itself on connect (pgvector's `CREATE EXTENSION`); run only on TypeORM
   * releases that do not know the `vector` type.
   */
  installVectorType?(dataSource: DataSource): Promise<void>;
}

/** A table as the driver's `parseTableName` names it; `database`/`schema` absent means the current one. */
export interface CatalogTable {
  database?: string;
  schema?: string;
  tableName: string;
}

/** A vector index found on a table: its name, the indexed column (database name) and its metric. */
export interface NamedVectorIndex {
  name: string;
  column: string;
  metric: VectorMetric;
}

/** How `findNearest` finds and reads a vector index that must be named in the query. */
export interface NearestIndexLookup {
  /** The vector indexes of `table`, read with `query` (positional `?` parameters). */
  listIndexes(query: (sql: string, parameters: unknown[]) => Promise<any[]>, table: string): Promise<NamedVectorIndex[]>;
  /** A condition keeping only the rows among the index's `k` nearest to the vector. */
  candidatesSql(rowIdSql: string, index: string, vectorSql: string, kSql: string): string;
  /** The SQL of a row's id as the index returns it, for an escaped table alias. */
  rowIdSql(aliasSql: string): string;
}

/** What a dialect changes on a DataSource: its options, and work after `initialize()`. */
export interface ConnectionSetup {
  options: DataSourceOptions;
  /** A driver to use instead of the one TypeORM picks for `options.type` (the libSQL shim). */
  createDriver?(dataSource: DataSource): Driver;
  afterInitialize?(dataSource: DataSource): Promise<void>;
}

/**
 * Throws unless `metric` is a known metric that `dialect` computes.
 *
 * @example
 * assertMetric(sqliteVecDialect, 'inner_product'); // throws UnsupportedVectorFeatureError
 */
export function assertMetric(dialect: VectorDialect, metric: unknown): asserts metric is VectorMetric {
  if (typeof metric !== 'string' || !(VECTOR_METRICS as readonly string[]).includes(metric)) {
    throw new VectorConfigurationError(
      `Unknown metric ${JSON.stringify(metric)}; use one of ${VECTOR_METRICS.map((m) => `'${m}'`).join(', ')}.`,
    );
  }
  if (!dialect.metrics.includes(metric as VectorMetric)) {
    if (dialect.unsupportedMetricMessage) throw new UnsupportedVectorFeatureError(dialect.unsupportedMetricMessage(metric as VectorMetric));
    const advice =
      metric === 'inner_product'
        ? `use 'cosine' on normalised vectors instead (it orders them the same way)`
        : `use one of ${dialect.metrics.map((m) => `'${m}'`).join(', ')} instead`;
    throw new UnsupportedVectorFeatureError(`${dialect.name} has no '${metric}' distance; ${advice}.`);
  }
}
