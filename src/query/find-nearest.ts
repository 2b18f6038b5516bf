import { Repository, type EntityManager, type FindOptionsWhere, type ObjectLiteral, type QueryRunner, type SelectQueryBuilder } from 'typeorm';
import type { VectorValueInput } from '../codecs';
import { vectorIndexesOf } from '../column/vector-index-attachment';
import { dialectOf, type CatalogVectorIndex, type VectorDialect } from '../dialects';
import { VectorConfigurationError } from '../errors';
import { dataSourceOf, escapeIdentifier, isolateWheres, rawColumnKey } from '../typeorm-internals';
import type { ReadFrom, VectorMetric, VectorSearchTuning } from '../vocabulary';
import { binaryVectorReads } from './binary-vector-reads';
import { plainEntityRows } from './plain-rows';
import { checkIndexMetric } from './index-metric-check';
import { checkUseIndex, chooseNearestStrategy, type Nearest, type NearestOutcome, type NearestSearch, type NearestStrategy } from './nearest-strategy';
import { orderedLikeIndex, prepareResolvedQueryVector } from './query-vector';
import { resolveRepositoryVectorColumn } from './vector-column-reference';
import { checkReadFrom, onReadSide } from './read-side';
import { readColumnIndexes } from './vector-catalog';
import { cachedVectorIndexes, freshVectorIndexes } from './vector-index-cache';
import { withServedMetrics } from './served-metric';
import { checkSearchTuning, resolveSearchTuning } from './search-tuning';

export type { Nearest, NearestOutcome } from './nearest-strategy';

/**
 * Options of `findNearest`.
 *
 * @example
 * const options: FindNearestOptions<Doc> = { column: 'embedding', vector: query, metric: 'cosine', limit: 5, where: { lang: 'en' }, search: { efSearch: 100 } };
 */
export interface FindNearestOptions<Entity extends ObjectLiteral> {
  /** Vector property of the entity, e.g. `'embedding'`. */
  column: string;
  /** The query vector. */
  vector: VectorValueInput;
  /** Distance metric (default `'l2'`). */
  metric?: VectorMetric;
  /** How many rows to return (default 10). */
  limit?: number;
  /** TypeORM find-style conditions, e.g. `{ category: 'rare', tenantId: In([1, 2]) }` (an array means OR). */
  where?: FindOptionsWhere<Entity> | Array<FindOptionsWhere<Entity>>;
  /** Extra conditions: receives the query builder (entity alias `entity`) before it runs. */
  filter?: (qb: SelectQueryBuilder<Entity>) => void;
  /** Search settings for this query only (see `VectorSearchTuning`); unset knobs get the library's defaults. */
  search?: VectorSearchTuning;
  /**
   * Throw instead of logging a warning when the column has `@VectorIndex`es and none serves
   * `metric` (default: the index's own `strict`).
   */
  strict?: boolean;
  /**
   * Which vector index to read: unset reads one serving the metric when the column has one, `true`
   * requires one, `false` forces an exact search, and where the query names its index (libSQL's
   * `vector_top_k`, sqlite-vec's vec0) a string picks it.
   */
  useIndex?: boolean | string;
  /**
   * The server of a replicated DataSource (TypeORM `replication`) the search runs on, catalog
   * reads and settings included: `'replica'`, or `'primary'` to see your own latest writes.
   * Default: TypeORM's read mode (a replica unless `replication.defaultMode` says otherwise). A
   * repository of a transaction's entity manager searches on that transaction's connection.
   */
  readFrom?: ReadFrom;
}

const OPTION_NAMES = ['column', 'vector', 'metric', 'limit', 'where', 'filter', 'search', 'strict', 'useIndex', 'readFrom'];
const OPTIONS = new Set(OPTION_NAMES);
const ALIAS = 'entity';

/**
 * The `limit` entities nearest to `vector` that pass `where` and `filter`, closest first, with their
 * exact distances. A vector index serving the metric is read, and read further when the conditions
 * reject its first candidates (pgvector iterative scans; growing candidate reads on libSQL,
 * sqlite-vec and MariaDB), ending in an exact filtered search when the index runs out: `limit` rows
 * come back whenever that many rows pass. Search settings apply to this query only. The query
 * vector is bound once per use (the distance, and a candidate read where there is one).
 *
 * @example
 * const near = await findNearest(dataSource.getRepository(Doc), { column: 'embedding', vector: query, metric: 'cosine', limit: 5, where: { category: 'news' } });
 * // [{ entity: Doc { id: 4, ... }, distance: 0.012 }, ...]
 */
export async function findNearest<Entity extends ObjectLiteral>(repository: Repository<Entity>, options: FindNearestOptions<Entity>): Promise<Array<Nearest<Entity>>> {
  return (await searchNearest(repository, options)).rows;
}

/**
 * `findNearest`, also saying how the rows were found: `strategy` (`'exact'`, `'index'`,
 * `'index-iterative'`, `'exact-fallback'`), the `index` read, and how many candidates it was asked
 * for (`scanned`, where the library sets that number).
 *
 * @example
 * const { rows, strategy } = await searchNearest(repo, { column: 'embedding', vector: query, where: { category: 'rare' } });
 * if (strategy === 'exact-fallback') console.warn('the index ran out; answered by an exact search');
 */
export async function searchNearest<Entity extends ObjectLiteral>(repository: Repository<Entity>, options: FindNearestOptions<Entity>): Promise<NearestOutcome<Entity>> {
  return planNearest(repository, options, 'findNearest', ({ search, strategy }) => strategy.find(search));
}

/** What `planNearest` hands its callback: the search, the strategy that runs it, and the dialect. */
export interface NearestPlan<Entity extends ObjectLiteral> {
  search: NearestSearch<Entity>;
  strategy: NearestStrategy;
  dialect: VectorDialect;
}

/**
 * Checks `options` (nothing runs on bad input), then, on the server `readFrom` picks (one query
 * runner for the whole search: `onReadSide`), reads the column's vector indexes, picks the
 * strategy and settings a search would use and runs `use` with them. Used by `searchNearest`,
 * `explainNearest` and `findHybrid`. Outside a transaction, the column's vector indexes come from a
 * cache of the catalog read (at most `VECTOR_INDEX_CACHE_MS` old; emptied by any DDL or rollback a
 * VectorDataSource of this process runs).
 *
 * @example
 * const rows = await planNearest(repo, options, 'findNearest', ({ search, strategy }) => strategy.find(search));
 */
export async function planNearest<Entity extends ObjectLiteral, T>(
  repository: Repository<Entity>,
  options: FindNearestOptions<Entity>,
  caller: string,
  use: (plan: NearestPlan<Entity>) => Promise<T>,
): Promise<T> {
  if (typeof options !== 'object' || options === null) {
    throw new VectorConfigurationError(`${caller} options ${String(options)} are not an object; pass e.g. { column: 'embedding', vector: query }.`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTIONS.has(key)) throw new VectorConfigurationError(`${caller} has no option '${key}'; use ${OPTION_NAMES.join(', ')}.`);
  }
  const { column, vector, metric = 'l2', limit = 10, where, filter, search: tuning, useIndex, strict, readFrom } = options;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new VectorConfigurationError(`${caller} limit ${String(limit)} is not a positive integer; pass e.g. limit: 10.`);
  }
  if (typeof column !== 'string') {
    throw new VectorConfigurationError(`${caller} column ${String(column)} is not a property name; pass e.g. column: 'embedding'.`);
  }
  if (filter !== undefined && typeof filter !== 'function') {
    throw new VectorConfigurationError(`${caller} filter ${String(filter)} is not a function; pass e.g. filter: (qb) => qb.where('entity.lang = :lang', { lang: 'en' }).`);
  }
  if (where !== undefined && (typeof where !== 'object' || where === null)) {
    throw new VectorConfigurationError(`${caller} where ${String(where)} is not an object; pass find-style conditions, e.g. where: { category: 'news' }.`);
  }
  if (strict !== undefined && typeof strict !== 'boolean') {
    throw new VectorConfigurationError(`${caller} strict ${JSON.stringify(strict)} is not a boolean; pass strict: true or false.`);
  }
  checkUseIndex(useIndex);
  checkReadFrom(readFrom, caller);
  const dataSource = dataSourceOf(repository.manager);
  const dialect = dialectOf(dataSource);
  checkSearchTuning(dialect, tuning, `${caller} search`);
  const prepared = prepareResolvedQueryVector(dialect, resolveRepositoryVectorColumn(repository, ALIAS, column), vector, metric);
  checkIndexMetric(dataSource, prepared.column, prepared.metric, strict);
  // TypeORM checks the where conditions' property names when it builds them: build once now, so bad input throws before any query.
  if (where !== undefined) checkWhere(repository, where, caller);
  return onReadSide(repository.manager, readFrom, async (manager) => {
    const subject = `${prepared.column.entity.tablePath}.${prepared.column.column.databaseName}`;
    const escape = escapeIdentifier(dataSource);
    const columnName = prepared.column.column.databaseName;
    const readIndexes = () => readColumnIndexes(manager, dialect, repository.metadata.tablePath, columnName, escape);
    // Outside the caller's transaction the catalog read is cached briefly (one round trip less per search); inside one, it may see the transaction's own DDL.
    const cacheKey = `${repository.metadata.tablePath}\u0000${columnName}`;
    const read = () => (repository.manager.queryRunner ? readIndexes() : (freshVectorIndexes(dataSource, cacheKey) ?? cachedVectorIndexes(dataSource, cacheKey, readIndexes)));
    let indexes: CatalogVectorIndex[] = [];
    if (useIndex !== false) {
      const catalog = read();
      // Answered by the cache, it is no promise: nothing to wait for.
      indexes = withServedMetrics(Array.isArray(catalog) ? catalog : await catalog, prepared.column.entity, prepared.metric);
    }
    const declared = vectorIndexesOf(prepared.column.entity);
    const filterColumnsOf = (index: CatalogVectorIndex) => declared.find((attached) => attached.definition.name === index.name)?.filterColumns ?? {};
    const strategy = chooseNearestStrategy(dialect, subject, prepared, useIndex, indexes, filterColumnsOf);
    const conditions =
      filter || where
        ? (qb: SelectQueryBuilder<Entity>) => {
            if (filter) {
              filter(qb);
              // A filter's `a OR b` must not bind only its last term to what is ANDed after it.
              isolateWheres(qb);
            }
            if (where) qb.setFindOptions(whereOnly(where));
          }
        : undefined;
    const binaryReads = binaryVectorReads(repository.metadata, dataSource, dialect, ALIAS, escape);
    const search: NearestSearch<Entity> = {
      manager,
      table: {
        path: repository.metadata.tablePath,
        primaryColumns: repository.metadata.primaryColumns.map((primary) => primary.databaseName),
        softDeletes: repository.metadata.deleteDateColumn !== undefined,
      },
      keyOf: (entity) => JSON.stringify(repository.metadata.primaryColumns.map((primary) => String(primary.getEntityValue(entity)))),
      rawKeyOf: (raw) => JSON.stringify(repository.metadata.primaryColumns.map((primary) => String(raw[rawColumnKey(dataSource, ALIAS, primary.databaseName)]))),
      createQueryBuilder: (runner?: QueryRunner) => repository.createQueryBuilder(ALIAS, runner ?? manager.queryRunner),
      binaryReads,
      plainRows: plainEntityRows(repository.metadata, dataSource, ALIAS, binaryReads),
      reusesStatements: repository.createQueryBuilder === Repository.prototype.createQueryBuilder,
      conditions,
      whereOnly: filter ? undefined : where,
      // The distance is written as the index chosen holds it (a halfvec index found in the catalog alone included).
      vector: orderedLikeIndex(prepared, strategy.index),
      limit,
      tuning: resolveSearchTuning(dialect, tuning, { limit, filtered: conditions !== undefined, index: strategy.index }),
      countRows: () => countRows(manager, repository, dialect),
    };
    return use({ search, strategy, dialect });
  });
}

/** The table's rows, or the backend's estimate where counting them costs a scan, read through `manager`. */
async function countRows<Entity extends ObjectLiteral>(manager: EntityManager, repository: Repository<Entity>, dialect: VectorDialect): Promise<number> {
  const estimate = dialect.introspection.rowEstimate;
  const count = () => manager.count(repository.target, { withDeleted: true });
  if (!estimate) return count();
  const { sql, parameters } = estimate(repository.metadata.tablePath);
  const rows: unknown = await manager.query(sql, parameters);
  const estimated = Number((Array.isArray(rows) ? (rows[0] as Record<string, unknown> | undefined) : undefined)?.estimate);
  // No statistics yet (a new table): count.
  return estimated > 0 ? estimated : count();
}

/**
 * Builds `where` once, so bad conditions throw before any query: a property the entity does not have
 * is a VectorConfigurationError listing the entity's properties (TypeORM's own error as `cause`).
 */
function checkWhere<Entity extends ObjectLiteral>(repository: Repository<Entity>, where: FindNearestOptions<Entity>['where'], caller: string): void {
  try {
    repository.createQueryBuilder(ALIAS).setFindOptions(whereOnly(where)).getQuery();
  } catch (error) {
    const { metadata } = repository;
    const known = [...metadata.columns.map((c) => c.propertyPath), ...metadata.relations.map((r) => r.propertyPath), ...metadata.embeddeds.map((e) => e.propertyPath)];
    const conditions = (Array.isArray(where) ? where : [where]) as Array<Record<string, unknown>>;
    const unknown = conditions.flatMap((condition) => Object.keys(condition ?? {})).find((key) => !known.includes(key));
    const what = unknown === undefined ? `where ${JSON.stringify(where)} cannot be built for ${metadata.name} (${(error as Error).message})` : `where names '${unknown}', which is not a property of ${metadata.name}`;
    throw new VectorConfigurationError(`${caller} ${what}; use one of ${metadata.columns.map((c) => c.propertyPath).join(', ')}.`, { cause: error });
  }
}

function whereOnly<Entity extends ObjectLiteral>(where: FindNearestOptions<Entity>['where']) {
  return { where, loadEagerRelations: false };
}


