import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { findVectorColumn } from '../column/vector-column-registry';
import { vectorIndexesOf } from '../column/vector-index-attachment';
import { dialectOf, type CatalogVectorIndex, type PlanRows, type VectorDialect, type VectorExplain } from '../dialects';
import { UnsupportedVectorFeatureError, VectorIndexNotUsedError } from '../errors';
import { dataSourceOf, escapeIdentifier, entityAliases, selectQueryShape, type SelectQueryShape } from '../typeorm-internals';
import { INDEX_STORAGE_RERANKED, type IndexSearchPath, type NearestStrategyName, type VectorMetric, type VectorSearchTuning } from '../vocabulary';
import { distanceOrder, type DistanceOrder } from './distance-order';
import { CAUSES, type ExplainedColumn } from './explain-causes';
import { planNearest, type FindNearestOptions, type NearestPlan } from './find-nearest';
import { asRows, readColumnCatalog, type ColumnCatalog, type SqlExecutor } from './vector-catalog';
import { withServedMetrics } from './served-metric';
import { resolveVectorColumn, type ResolvedVectorColumn } from './vector-column-reference';

/**
 * What the database plans for a vector query: whether it reads a vector index (and which), the
 * plan as text (one line per plan row), and one sentence per cause found that keeps the index from
 * being read or from answering well, each with its fix.
 *
 * @example
 * const { usesIndex, index, warnings, plan }: QueryExplanation = await explainNearestQuery(qb);
 */
export interface QueryExplanation {
  usesIndex: boolean;
  /** The vector index the plan reads, or undefined. */
  index: string | undefined;
  warnings: string[];
  /** The backend's EXPLAIN output, one line per row. */
  plan: string;
}

/**
 * `QueryExplanation` of a `findNearest` search, with the strategy it starts with.
 *
 * @example
 * const { strategy }: NearestExplanation = await explainNearest(repo, { column: 'embedding', vector: query }); // 'index'
 */
export interface NearestExplanation extends QueryExplanation {
  /** How findNearest starts: `'index'` or `'index-iterative'` when it reads an index, else `'exact'`. */
  strategy: NearestStrategyName;
  /** Every vector index the catalog lists on the column, read by this query or not. */
  indexes: string[];
}

/**
 * Explains the first query `findNearest(repository, options)` would run, scoped as it runs it (on
 * PostgreSQL in its transaction, search settings included), with the backend's EXPLAIN (`EXPLAIN
 * QUERY PLAN` on SQLite and libSQL), and says why no vector index is read, if none is: no index on
 * the column, an index of another metric, one declared but not migrated, one the planner passed
 * over (small table, selective filter), a dimension mismatch, and, where the index is read, a
 * setting that caps its rows (pgvector's `hnsw.ef_search` under the limit) or a filter that makes
 * the search end exactly (checked by running the search once). The same options as findNearest;
 * a column whose index is `strict` is not refused here unless `strict: true` is passed.
 * On a libSQL file the EXPLAIN runs on a client of its own (libSQL's lock after an EXPLAIN of
 * `vector_top_k`: docs/libsql.md), except inside a transaction.
 *
 * @example
 * const { usesIndex, index, warnings, plan } = await explainNearest(repo, { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
 * // usesIndex false, warnings ["The HNSW index doc_embedding_hnsw_l2 serves l2, but this query orders by cosine: add @VectorIndex({ metric: 'cosine' }) to Doc.embedding or query with metric 'l2'."]
 */
export async function explainNearest<Entity extends ObjectLiteral>(repository: Repository<Entity>, options: FindNearestOptions<Entity>): Promise<NearestExplanation> {
  // A strict index throws for a metric it does not serve; explaining that is this function's job.
  const lenient = typeof options === 'object' && options !== null && options.strict === undefined ? { ...options, strict: false } : options;
  return planNearest(repository, lenient, 'explainNearest', (plan) => explainPlan(repository, options, plan));
}

/** `explainNearest` on the plan's server (the query runner `planNearest` opened). */
async function explainPlan<Entity extends ObjectLiteral>(repository: Repository<Entity>, options: FindNearestOptions<Entity>, { search, strategy, dialect }: NearestPlan<Entity>): Promise<NearestExplanation> {
  const explain = explainOf(dialect);
  const target = explainedColumn(search.vector.column, `entity.${search.vector.column.column.propertyPath}`);
  const dataSource = dataSourceOf(repository.manager);
  const stored = await readColumnCatalog(search.manager, dialect, target.table, target.column, escapeIdentifier(dataSource));
  const catalog = { ...stored, indexes: withServedMetrics(stored.indexes, search.vector.column.entity, search.vector.metric) };
  const { rows, sql, alias } = await strategy.inspectFirstQuery(search, (qb, runner) => runExplain(explain, qb, runner ?? search.manager));
  const read = catalog.indexes.find((index) => readsAny(explain, rows, index, sql));
  const metric = search.vector.metric;
  const filtered = search.conditions !== undefined;
  const warnings: string[] = [];
  if (!read) {
    const serving = catalog.indexes.find((index) => index.metric === metric);
    if (options.useIndex === false && serving) warnings.push(CAUSES.exactRequested(serving));
    else if (strategy.index) warnings.push(CAUSES.skipped(dialect, target, strategy.index, filtered));
    else warnings.push(...missingIndex(target, catalog, metric));
  } else {
    const path = searchPath(dialect, read);
    if (path?.kind === 'candidates' && explain.scansTable(rows, { name: tableName(target.table), alias })) warnings.push(CAUSES.scansFirst(dialect, target, read));
    const capped = rowCap(explain, read, search.tuning, search.limit);
    if (capped) warnings.push(CAUSES.rowCap(capped.setting, capped.value, search.limit, read, `pass search: { efSearch: ${search.limit} } or more (findNearest otherwise ends in an exact search)`));
  }
  // Whether a filtered search ends exactly shows only by running it: once, as findNearest would.
  if (filtered && strategy.index && (await strategy.find(search)).strategy === 'exact-fallback') warnings.push(CAUSES.fallsBack(strategy.index));
  warnings.push(...dimensionWarnings(target, catalog));
  const path = strategy.index ? searchPath(dialect, strategy.index) : undefined;
  const iterative = path?.kind === 'planner' && filtered && search.tuning.iterativeScan !== undefined && search.tuning.iterativeScan !== 'off';
  return {
    usesIndex: read !== undefined,
    index: read?.name,
    strategy: strategy.index ? (iterative ? 'index-iterative' : 'index') : 'exact',
    indexes: catalog.indexes.map((index) => index.name),
    warnings,
    plan: explain.planText(rows),
  };
}

/**
 * Explains a query you built (e.g. with `orderByCosine(...).limit(k)`) with the backend's EXPLAIN,
 * on the query builder's query runner when it has one, and says why no vector index is read, if
 * none is: ORDER BY distance DESC, an ORDER BY expression other than the index's (a cast, another
 * operator or function: another metric), no LIMIT, no index or one of another metric, an index
 * only a named query reads (libSQL, sqlite-vec: use findNearest), an index the planner passed over,
 * a dimension mismatch; and, where the index is read, a WHERE that may leave fewer rows than the
 * limit, a setting that caps the rows (pgvector's `hnsw.ef_search`), or a candidate lookup that
 * scans the table first.
 *
 * @example
 * const { usesIndex, warnings } = await explainNearestQuery(repo.createQueryBuilder('doc').orderByCosine('doc.embedding', query).limit(10));
 */
export async function explainNearestQuery(qb: SelectQueryBuilder<any>): Promise<QueryExplanation> {
  const dataSource = dataSourceOf(qb);
  const dialect = dialectOf(dataSource);
  const explain = explainOf(dialect);
  const shape = selectQueryShape(qb);
  const executor: SqlExecutor = shape.queryRunner ?? dataSource.manager;
  const { rows, sql } = await runExplain(explain, qb, executor);
  const order = distanceOrder(qb, dialect, shape);
  const columns = await Promise.all(
    searchedColumns(qb, order).map(async ({ resolved, alias }) => ({
      target: explainedColumn(resolved, `${alias}.${resolved.column.propertyPath}`),
      alias,
      columnSql: resolved.sql,
      catalog: await readColumnCatalog(executor, dialect, resolved.entity.tablePath, resolved.column.databaseName, escapeIdentifier(dataSource)),
    })),
  );
  let read: { index: CatalogVectorIndex; column: SearchedColumn } | undefined;
  for (const column of columns) {
    const index = column.catalog.indexes.find((candidate) => readsAny(explain, rows, candidate, sql));
    if (index) {
      read = { index, column };
      break;
    }
  }
  const warnings = read
    ? await warningsWhileRead(dialect, explain, rows, shape, executor, read.index, read.column)
    : order
      ? warningsWhyUnread(dialect, shape, order, columns[0]!)
      : [CAUSES.notOrdered(columns.map((column) => column.target.reference))];
  for (const { target, catalog } of columns) warnings.push(...dimensionWarnings(target, catalog));
  return { usesIndex: read !== undefined, index: read?.index.name, warnings, plan: explain.planText(rows) };
}

/** A vector column a query may search, with what the catalog says about it. */
interface SearchedColumn {
  readonly target: ExplainedColumn;
  readonly alias: string;
  readonly columnSql: string;
  readonly catalog: ColumnCatalog;
}

/** The column the query orders by, or else every vector column of its main alias. */
function searchedColumns(qb: SelectQueryBuilder<any>, order: DistanceOrder | undefined): Array<{ resolved: ResolvedVectorColumn; alias: string }> {
  if (order) return [{ resolved: order.column, alias: order.alias }];
  const main = entityAliases(qb)[0];
  if (!main) return [];
  return main.metadata.columns
    .filter((column) => findVectorColumn(column.target, column.propertyName))
    .map((column) => ({ resolved: resolveVectorColumn(qb, `${main.name}.${column.propertyPath}`), alias: main.name }));
}

/** Why a query ordered by a vector column reads none of its indexes. */
function warningsWhyUnread(dialect: VectorDialect, shape: SelectQueryShape, order: DistanceOrder, { target, catalog, columnSql }: SearchedColumn): string[] {
  if (order.metric === undefined) {
    return catalog.indexes.length ? [CAUSES.expressionDiffers(dialect, target, catalog.indexes[0]!, order.expression, columnSql)] : missingIndex(target, catalog, undefined);
  }
  const serving = catalog.indexes.find((index) => index.metric === order.metric && index.storage === order.storage);
  if (!serving) {
    // An index of the metric on another expression of the column (a halfvec cast), or binary codes only findNearest re-ranks.
    const otherStorage = catalog.indexes.find((index) => index.metric === order.metric && index.storage !== undefined && !INDEX_STORAGE_RERANKED[index.storage]);
    if (otherStorage) return [CAUSES.storageDiffers(dialect, target, otherStorage, order.metric, order.expression, columnSql)];
    const reranked = catalog.indexes.find((index) => index.storage !== undefined && INDEX_STORAGE_RERANKED[index.storage]);
    if (reranked && !catalog.indexes.some((index) => index.metric === order.metric)) return [CAUSES.rerankedOnly(target, reranked, order.metric)];
    return missingIndex(target, catalog, order.metric);
  }
  const path = searchPath(dialect, serving);
  if (path?.kind === 'candidates' && path.namesIndex) return [CAUSES.namedOnly(dialect, target, serving)];
  const warnings: string[] = [];
  if (order.order === 'DESC') warnings.push(CAUSES.descending(serving));
  if (shape.limit === undefined) warnings.push(CAUSES.noLimit(dialect, serving));
  return warnings.length ? warnings : [CAUSES.skipped(dialect, target, serving, shape.filtered)];
}

/** What keeps an index a query reads from answering well: a scan before the candidate lookup, a WHERE after the index, a row cap under the limit. */
async function warningsWhileRead(
  dialect: VectorDialect,
  explain: VectorExplain,
  rows: PlanRows,
  shape: SelectQueryShape,
  executor: SqlExecutor,
  index: CatalogVectorIndex,
  { target, alias }: SearchedColumn,
): Promise<string[]> {
  const warnings: string[] = [];
  const path = searchPath(dialect, index);
  if (path?.kind === 'candidates' && explain.scansTable(rows, { name: tableName(target.table), alias })) warnings.push(CAUSES.scansFirst(dialect, target, index));
  // Indexes the database picks for ORDER BY distance LIMIT k hand the WHERE their first candidates only.
  const picked = path?.kind === 'planner' || (path?.kind === 'candidates' && !path.namesIndex);
  if (!picked) return warnings;
  const current = await currentTuning(explain, executor);
  if (shape.filtered && (current.iterativeScan ?? 'off') === 'off') warnings.push(CAUSES.filteredAfterIndex(index, shape.limit));
  const capped = shape.limit === undefined ? undefined : rowCap(explain, index, current, shape.limit);
  if (capped) warnings.push(CAUSES.rowCap(capped.setting, capped.value, shape.limit!, index, `raise ${capped.setting} to ${shape.limit} or more`));
  return warnings;
}

/**
 * `explainNearest`, for tests: resolves with the explanation when the search reads a vector
 * index, and otherwise throws a `VectorIndexNotUsedError` whose message lists every warning.
 *
 * @example
 * it('searches documents through the HNSW index', async () => {
 *   await assertIndexUsed(dataSource.getRepository(Doc), { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
 * });
 */
export async function assertIndexUsed<Entity extends ObjectLiteral>(repository: Repository<Entity>, options: FindNearestOptions<Entity>): Promise<NearestExplanation> {
  const explanation = await explainNearest(repository, options);
  const subject = `findNearest on ${repository.metadata.name}.${String(options.column)} (${options.metric ?? 'l2'})`;
  return assertUsed(subject, explanation);
}

/**
 * `explainNearestQuery`, for tests: resolves with the explanation when the query reads a vector
 * index, and otherwise throws a `VectorIndexNotUsedError` whose message lists every warning.
 *
 * @example
 * await assertIndexUsedQuery(repo.createQueryBuilder('doc').orderByCosine('doc.embedding', query).limit(10));
 */
export async function assertIndexUsedQuery(qb: SelectQueryBuilder<any>): Promise<QueryExplanation> {
  return assertUsed(`The query on ${qb.alias}`, await explainNearestQuery(qb));
}

function assertUsed<T extends QueryExplanation>(subject: string, explanation: T): T {
  if (explanation.usesIndex) return explanation;
  const causes = explanation.warnings.map((warning) => warning.replace(/\.$/, '')).join('; ');
  const message = causes
    ? `${subject} reads no vector index: ${causes}.`
    : `${subject} reads no vector index and explainNearest knows no cause for it; read the plan in error.explanation.plan.`;
  throw new VectorIndexNotUsedError(message, explanation);
}

/** Whether the plan reads `index`, or its copy on a partition (a partitioned table's plan names the partitions' indexes). */
function readsAny(explain: VectorExplain, rows: PlanRows, index: CatalogVectorIndex, sql: string): boolean {
  return [index.name, ...(index.partitionIndexes ?? [])].some((name) => explain.readsIndex(rows, name, sql));
}

function explainOf(dialect: VectorDialect): VectorExplain {
  if (!dialect.explain) {
    throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} has no vector index to explain; explainNearest runs on PostgreSQL, SQLite (sqlite-vec), libSQL and MariaDB.`);
  }
  return dialect.explain;
}

async function runExplain(explain: VectorExplain, qb: SelectQueryBuilder<any>, executor: SqlExecutor): Promise<{ rows: PlanRows; sql: string; alias: string }> {
  const [sql, parameters] = qb.getQueryAndParameters();
  return { rows: asRows(await executor.query(explain.prefix + sql, parameters)), sql, alias: qb.alias };
}

function explainedColumn(resolved: ResolvedVectorColumn, reference: string): ExplainedColumn {
  const declared = vectorIndexesOf(resolved.entity).filter((index) => index.column.propertyPath === resolved.column.propertyPath);
  return {
    declared: declared.map(({ definition }) => ({ name: definition.name, metric: definition.metric })),
    table: resolved.entity.tablePath,
    column: resolved.column.databaseName,
    subject: resolved.spec.subject,
    property: resolved.column.propertyPath,
    reference,
    dimensions: resolved.spec.dimensions,
  };
}


/** `schema.table` -> `table`: plans name tables without their schema. */
function tableName(tablePath: string): string {
  return tablePath.split('.').pop()!;
}

function searchPath(dialect: VectorDialect, index: CatalogVectorIndex): IndexSearchPath | undefined {
  return index.kind ? dialect.capabilities.indexes?.kinds[index.kind]?.search : undefined;
}

/** Declared `@VectorIndex`es of the column (for `metric`, when given) that the database does not have. */
function notBuilt(target: ExplainedColumn, catalog: ColumnCatalog, metric: VectorMetric | undefined): string[] {
  return target.declared.filter((index) => (metric === undefined || index.metric === metric) && !catalog.indexes.some((built) => built.name === index.name)).map((index) => index.name);
}

function missingIndex(target: ExplainedColumn, catalog: ColumnCatalog, metric: VectorMetric | undefined): string[] {
  const missing = notBuilt(target, catalog, metric);
  if (missing.length) return missing.map((name) => CAUSES.notBuilt(target, name));
  if (!catalog.indexes.length) return [CAUSES.noIndex(target, metric)];
  return metric === undefined ? [] : [CAUSES.metricMismatch(target, catalog.indexes[0]!, metric)];
}

function dimensionWarnings(target: ExplainedColumn, catalog: ColumnCatalog): string[] {
  const warnings: string[] = [];
  if (catalog.dimensions !== undefined && catalog.dimensions !== target.dimensions) warnings.push(CAUSES.columnDimensions(target, catalog.dimensions));
  for (const index of catalog.indexes) {
    if (index.dimensions !== undefined && index.dimensions !== target.dimensions) warnings.push(CAUSES.indexDimensions(target, index, index.dimensions));
  }
  return warnings;
}

/** The capping setting and its value when it leaves `index` fewer rows than `limit` (iterative scans off). */
function rowCap(explain: VectorExplain, index: CatalogVectorIndex, tuning: VectorSearchTuning, limit: number): { setting: string; value: number } | undefined {
  const cap = explain.rowCap;
  if (!cap || !index.kind || !cap.kinds.includes(index.kind)) return undefined;
  const value = tuning[cap.knob];
  if (value === undefined || value >= limit || (tuning.iterativeScan ?? 'off') !== 'off') return undefined;
  return { setting: cap.setting, value };
}

async function currentTuning(explain: VectorExplain, executor: SqlExecutor): Promise<VectorSearchTuning> {
  if (!explain.currentTuning) return {};
  const { query, read } = explain.currentTuning;
  return read(asRows(await executor.query(query.sql, [...query.parameters])));
}
