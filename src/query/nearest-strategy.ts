import type { EntityManager, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import type { CatalogVectorIndex, ResolvedSearchTuning, VectorDialect } from '../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { escapeTable, isPlainIdentifier, type EscapeIdentifier, type IndexedFilterColumn, type IndexSearchPath, type NearestStrategyName } from '../vocabulary';
import { uniqueParameterName } from './parameter-names';
import { bindQueryVector, type BoundQueryVector, type PreparedQueryVector } from './query-vector';
import { applyTransactionSettings, inSearchTransaction } from './search-scope';

/**
 * One row of a nearest-neighbour search.
 *
 * @example
 * const [first]: Array<Nearest<Doc>> = await findNearest(repo, { column: 'embedding', vector: query }); first.distance;
 */
export interface Nearest<Entity> {
  entity: Entity;
  /** Distance to the query vector; for `inner_product`, the negative inner product. */
  distance: number;
}

/**
 * Rows of a nearest-neighbour search and how they were found.
 *
 * @example
 * const { rows, strategy, index, scanned } = await searchNearest(repo, { column: 'embedding', vector: query, where: { category: 'rare' } });
 * // strategy 'index-iterative', index 'document_embedding_hnsw_l2'
 */
export interface NearestOutcome<Entity> {
  rows: Array<Nearest<Entity>>;
  strategy: NearestStrategyName;
  /** The vector index the search read, or undefined for an exact search with no index. */
  index: string | undefined;
  /** Candidates the last index read asked for, where the library sets that number (libSQL, sqlite-vec, MariaDB); undefined where the database scans on its own (pgvector). */
  scanned: number | undefined;
}

/** What a strategy needs to run one search. */
export interface NearestSearch<Entity extends ObjectLiteral> {
  readonly manager: EntityManager;
  /** The searched table and its primary key columns (database names). */
  readonly table: { readonly path: string; readonly primaryColumns: readonly string[] };
  /** A fresh query builder of the entity (alias `entity`), on `runner` when given, with nothing added. */
  createQueryBuilder(runner?: QueryRunner): SelectQueryBuilder<Entity>;
  /** The caller's conditions (`filter`, then `where`), applied after the distance ordering (so a filter's `addOrderBy` breaks ties). */
  readonly conditions: ((qb: SelectQueryBuilder<Entity>) => void) | undefined;
  /** The caller's `where` alone, when it is the only condition (an index may evaluate it inside its search). */
  readonly whereOnly: unknown;
  readonly vector: PreparedQueryVector;
  readonly limit: number;
  /** Knobs with every default filled in. */
  readonly tuning: ResolvedSearchTuning;
  /**
   * The number of rows in the table, soft-deleted ones included, or the backend's estimate of it
   * where counting scans the table (asked only when candidates run short).
   */
  countRows(): Promise<number>;
}

/**
 * How the `limit` rows nearest to a query vector are found on one backend. Every strategy reports
 * the exact distance and returns rows closest first, and ends in an exact search when the index
 * runs out, so `limit` rows come back whenever that many pass the conditions.
 */
export interface NearestStrategy {
  /** The index the strategy reads, if any. */
  readonly index: CatalogVectorIndex | undefined;
  find<Entity extends ObjectLiteral>(search: NearestSearch<Entity>): Promise<NearestOutcome<Entity>>;
  /** Runs `inspect` on the first query `find` runs, built and scoped as `find` builds it (what `explainNearest` explains). */
  inspectFirstQuery<Entity extends ObjectLiteral, T>(search: NearestSearch<Entity>, inspect: (qb: SelectQueryBuilder<Entity>, runner: QueryRunner | undefined) => Promise<T>): Promise<T>;
}

const DISTANCE = 'tv_distance';


/**
 * `ORDER BY distance LIMIT n` with the conditions, the distance selected: an exact search, for a
 * column with no vector index serving the metric.
 *
 * @example
 * await EXACT.find(search); // { rows, strategy: 'exact', index: undefined, scanned: undefined }
 */
export const EXACT: NearestStrategy = {
  index: undefined,
  async find(search) {
    return { rows: await runOrdered(orderedQuery(search.createQueryBuilder(), search)), strategy: 'exact', index: undefined, scanned: undefined };
  },
  inspectFirstQuery: (search, inspect) => inspect(orderedQuery(search.createQueryBuilder(), search), undefined),
};

/**
 * An exact search on a column that has a vector index the database would otherwise pick
 * (`useIndex: false`, and the last step of every index strategy): index scans off for its
 * transaction on PostgreSQL, the distance hidden from the index on MariaDB; elsewhere a plain
 * `ORDER BY distance` never reads a vector index.
 *
 * @example
 * await exactWithoutIndex(postgresDialect).find(search); // strategy 'exact'
 */
export function exactWithoutIndex(dialect: VectorDialect): NearestStrategy {
  const exactScan = dialect.sql.transactionSettings?.exactScan;
  const inScope = <Entity extends ObjectLiteral, T>(search: NearestSearch<Entity>, run: (runner: QueryRunner | undefined) => Promise<T>) =>
    exactScan
      ? inSearchTransaction(search.manager, async (runner) => {
          await runner.query(exactScan.sql, [...exactScan.parameters]);
          return run(runner);
        })
      : run(undefined);
  return {
    index: undefined,
    find: (search) =>
      inScope(search, async (runner) => ({
        rows: await runOrdered(orderedQuery(search.createQueryBuilder(runner), search, { unindexed: true })),
        strategy: 'exact',
        index: undefined,
        scanned: undefined,
      })),
    inspectFirstQuery: (search, inspect) => inScope(search, (runner) => inspect(orderedQuery(search.createQueryBuilder(runner), search, { unindexed: true }), runner)),
  };
}

/**
 * For indexes the database picks itself (pgvector): `ORDER BY distance LIMIT limit x overFetch`
 * with the conditions, in a transaction whose settings (`SET LOCAL hnsw.ef_search`, iterative scans,
 * IVFFlat probes) end with it. Relaxed-order iterative scans return rows nearly in order: the rows
 * are re-sorted by exact distance and the first `limit` kept (on the bench's 1% filter, overFetch 4
 * raised recall@10 from 0.94 to 1.00). When fewer than `limit` rows come back, index scans are
 * turned off for the rest of the transaction and the query runs again, exactly.
 *
 * @example
 * await plannerIndex(postgresDialect, index).find(search); // strategy 'index-iterative' when filtered
 */
export function plannerIndex(dialect: VectorDialect, index: CatalogVectorIndex): NearestStrategy {
  const settings = (tuning: ResolvedSearchTuning) => dialect.sql.searchSettings?.(tuning) ?? {};
  return {
    index,
    find: (search) =>
      inSearchTransaction(search.manager, async (runner) => {
        await applyTransactionSettings(dialect, runner, settings(search.tuning));
        const fetched = await runOrdered(orderedQuery(search.createQueryBuilder(runner), search, { limit: overFetched(search) }));
        const rows = sortByDistance(fetched).slice(0, search.limit);
        const iterative = search.conditions !== undefined && search.tuning.iterativeScan !== 'off';
        if (rows.length >= search.limit) return { rows, strategy: iterative ? 'index-iterative' : 'index', index: index.name, scanned: undefined };
        const exactScan = dialect.sql.transactionSettings?.exactScan;
        if (exactScan) await runner.query(exactScan.sql, [...exactScan.parameters]);
        const exact = await runOrdered(orderedQuery(search.createQueryBuilder(runner), search, { unindexed: true }));
        return { rows: exact, strategy: 'exact-fallback', index: index.name, scanned: undefined };
      }),
    inspectFirstQuery: (search, inspect) =>
      inSearchTransaction(search.manager, async (runner) => {
        await applyTransactionSettings(dialect, runner, settings(search.tuning));
        return inspect(orderedQuery(search.createQueryBuilder(runner), search, { limit: overFetched(search) }), runner);
      }),
  };
}

/**
 * Reads candidates from an index in a subquery (libSQL `vector_top_k`, sqlite-vec `vec0`,
 * MariaDB's `ORDER BY distance LIMIT k` in a derived table) and filters and re-ranks them by exact
 * distance. The first read asks for `limit x overFetch` candidates (at least `efSearch` and the
 * index's minimum); when fewer than `limit` pass the conditions, `k` grows by the pass rate seen
 * (2x to 16x) and the query runs again; once `k` would pass the index's `exactBeyond` share of the
 * table (or its cap on `k`), an exact search answers. An exact index (vec0) reads every row each
 * time, so it is read once.
 *
 * @example
 * const strategy = candidateIndex(libsqlDialect, { name: 'doc_idx', column: 'embedding', kind: 'diskann', ... }, path);
 */
export function candidateIndex(
  dialect: VectorDialect,
  index: CatalogVectorIndex,
  path: Extract<IndexSearchPath, { kind: 'candidates' }>,
  filterColumns: Readonly<Record<string, IndexedFilterColumn>> = {},
): NearestStrategy {
  const condition = index.kind && dialect.sql.candidates?.[index.kind];
  if (!condition || !index.column) {
    throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} cannot read candidates from index '${index.name}'; pass useIndex: false for an exact search.`);
  }
  const column = index.column;
  const cap = path.maxK ?? Number.POSITIVE_INFINITY;
  /** `where` as conditions the index evaluates inside its search, when all of it can be (then one read is exact). */
  const pushed = (search: Pick<NearestSearch<ObjectLiteral>, 'whereOnly'>, escape: EscapeIdentifier) =>
    search.whereOnly !== undefined && Object.keys(filterColumns).length ? dialect.sql.pushDown?.(search.whereOnly, filterColumns, escape) : undefined;
  const build = <Entity extends ObjectLiteral>(search: NearestSearch<Entity>, k: number) => {
    const qb = search.createQueryBuilder();
    const escape = (identifier: string) => qb.escape(identifier);
    const restrict = (bound: BoundQueryVector) => {
      const kName = uniqueParameterName('k');
      const inside = pushed(search, escape);
      const candidates = condition({
        aliasSql: escape(qb.alias),
        tableSql: escapeTable(search.table.path, escape),
        primaryColumnsSql: search.table.primaryColumns.map(escape),
        index: index.name,
        column,
        metric: bound.metric,
        vectorSql: bound.vectorSql,
        kSql: `:${kName}`,
        ...(inside ? { pushedSql: bindPositional(qb, inside.sql, inside.parameters) } : {}),
        escape,
      });
      qb.andWhere(candidates, { [kName]: k });
    };
    return orderedQuery(qb, search, { restrict });
  };
  const firstK = (search: Pick<NearestSearch<ObjectLiteral>, 'limit' | 'tuning'>) =>
    Math.min(cap, Math.max(path.minK, search.limit * (search.tuning.overFetch ?? 1), search.tuning.efSearch ?? 0));
  const exact = exactWithoutIndex(dialect);
  return {
    index,
    async find(search) {
      if (search.limit > cap) return { ...(await exact.find(search)), strategy: 'exact-fallback', index: index.name };
      let k = firstK(search);
      let total: number | undefined;
      // An exact index evaluating every condition itself returns the nearest `limit` that pass: one read answers.
      const answersAlone = path.exact && pushed(search, (name) => name) !== undefined;
      if (answersAlone) k = Math.min(cap, Math.max(path.minK, search.limit));
      for (let round = 0; ; round++) {
        const rows = await runOrdered(build(search, k));
        const strategy = round === 0 ? 'index' : 'index-iterative';
        if (rows.length >= search.limit || answersAlone) return { rows, strategy, index: index.name, scanned: k };
        total ??= await search.countRows();
        // Every row was a candidate: an exact index has answered; an approximate one may have missed rows.
        if (k >= total && path.exact) return { rows, strategy, index: index.name, scanned: k };
        const next = Math.min(nextK(k, rows.length, search.limit), total, cap);
        // An exact index scans every row per read; a graph read of k candidates costs about as much
        // as an exact scan of k / exactBeyond rows: past that, or at a cap, the exact search is cheaper.
        if (path.exact || k >= cap || next > total * path.exactBeyond) {
          return { ...(await exact.find(search)), strategy: 'exact-fallback', index: index.name, scanned: k };
        }
        k = next;
      }
    },
    inspectFirstQuery: (search, inspect) => inspect(build(search, firstK(search)), undefined),
  };
}

/**
 * The next candidate count after `found` of `k` candidates passed: enough for `limit` at the pass
 * rate seen, with half again as margin, growing at least 2x and at most 16x per round.
 *
 * @example
 * nextK(40, 0, 10); // 640
 * nextK(640, 6, 10); // 1600
 */
export function nextK(k: number, found: number, limit: number): number {
  const wanted = found === 0 ? Number.POSITIVE_INFINITY : Math.ceil(((k * limit) / found) * 1.5);
  return Math.min(k * 16, Math.max(k * 2, wanted));
}

/**
 * The strategy `findNearest` uses for a column and metric, following `useIndex`: unset reads an
 * index serving the metric when the column has one (else an exact search), `true` requires one, a
 * name picks it (where queries name their index), `false` forces an exact search. `indexes` are
 * the column's vector indexes from the catalog.
 *
 * @example
 * chooseNearestStrategy(dialect, 'doc.embedding', 'cosine', undefined, indexes); // vector_top_k on libSQL
 */
export function chooseNearestStrategy(
  dialect: VectorDialect,
  subject: string,
  vector: PreparedQueryVector,
  useIndex: unknown,
  indexes: readonly CatalogVectorIndex[],
  filterColumnsOf: (index: CatalogVectorIndex) => Readonly<Record<string, IndexedFilterColumn>> = () => ({}),
): NearestStrategy {
  checkUseIndex(useIndex);
  if (useIndex === false) return exactWithoutIndex(dialect);
  const pathOf = (index: CatalogVectorIndex) => (index.kind ? dialect.capabilities.indexes?.kinds[index.kind]?.search : undefined);
  const strategyOf = (index: CatalogVectorIndex) => {
    const path = pathOf(index)!;
    return path.kind === 'candidates' ? candidateIndex(dialect, index, path, filterColumnsOf(index)) : plannerIndex(dialect, index);
  };
  const usable = indexes.filter((index) => pathOf(index));
  if (typeof useIndex === 'string') {
    if (!Object.values(dialect.capabilities.indexes?.kinds ?? {}).some((kind) => kind.search.kind === 'candidates' && kind.search.namesIndex)) {
      throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} picks its vector indexes itself, so findNearest cannot name one; leave useIndex unset.`);
    }
    const named = usable.find((index) => index.name === useIndex);
    if (!named) {
      throw new VectorConfigurationError(`findNearest useIndex '${useIndex}' is not a vector index on ${subject}; use one of: ${usable.map((i) => i.name).join(', ') || '(none)'}.`);
    }
    if (named.metric !== vector.metric) {
      throw new VectorConfigurationError(`Vector index '${useIndex}' orders by '${named.metric}' distance, not '${vector.metric}'; pass metric: '${named.metric}' or another index.`);
    }
    return strategyOf(named);
  }
  const matching = usable.find((index) => index.metric === vector.metric);
  if (matching) return strategyOf(matching);
  if (useIndex === true) {
    throw new VectorConfigurationError(`${subject} has no vector index for '${vector.metric}' distance; create one or leave useIndex unset for an exact search.`);
  }
  return EXACT;
}

/**
 * Throws unless `useIndex` is unset, a boolean or a plain index name.
 *
 * @example
 * checkUseIndex('doc; DROP TABLE doc'); // throws VectorConfigurationError
 */
export function checkUseIndex(useIndex: unknown): asserts useIndex is boolean | string | undefined {
  if (useIndex !== undefined && typeof useIndex !== 'boolean' && !isPlainIdentifier(useIndex)) {
    throw new VectorConfigurationError(`findNearest useIndex ${JSON.stringify(useIndex)} is not true, false or an index name; pass e.g. useIndex: 'doc_embedding_idx'.`);
  }
}

/**
 * Selects the distance once and orders by its alias (so the vector appears in the statement once,
 * plus once in a candidate condition: drivers that bind positionally send it once per use), applies
 * the caller's conditions, then `restrict` (a candidate condition, ANDed after them), and the limit.
 */
function orderedQuery<Entity extends ObjectLiteral>(
  qb: SelectQueryBuilder<Entity>,
  search: NearestSearch<Entity>,
  { restrict, unindexed = false, limit = search.limit }: { restrict?: (bound: BoundQueryVector) => void; unindexed?: boolean; limit?: number } = {},
): SelectQueryBuilder<Entity> {
  const bound = bindQueryVector(qb, search.vector);
  const hide = unindexed ? search.vector.dialect.sql.unindexedDistance : undefined;
  qb.addSelect(hide ? hide(bound.distanceSql) : bound.distanceSql, DISTANCE).orderBy(DISTANCE, 'ASC');
  search.conditions?.(qb);
  restrict?.(bound);
  return qb.limit(limit);
}

async function runOrdered<Entity extends ObjectLiteral>(qb: SelectQueryBuilder<Entity>): Promise<Array<Nearest<Entity>>> {
  const { raw, entities } = await qb.getRawAndEntities();
  return entities.map((entity, index) => ({ entity, distance: Number((raw[index] as Record<string, unknown>)[DISTANCE]) }));
}

/**
 * Binds constraints written with positional `?` parameters on `qb` under fresh names, and returns
 * them with named placeholders (`:tv_filter_3`).
 */
function bindPositional(qb: SelectQueryBuilder<any>, sql: string, parameters: readonly unknown[]): string {
  const parts = sql.split('?');
  if (parts.length !== parameters.length + 1) throw new Error(`Internal error: ${parameters.length} parameters for the pushed-down conditions ${sql}.`);
  return parts.reduce((text, part, i) => {
    if (i === 0) return part;
    const name = uniqueParameterName('filter');
    qb.setParameter(name, parameters[i - 1]);
    return `${text}:${name}${part}`;
  }, '');
}

/** Rows a planner search asks for: `limit x overFetch`. */
function overFetched(search: Pick<NearestSearch<ObjectLiteral>, 'limit' | 'tuning'>): number {
  return search.limit * (search.tuning.overFetch ?? 1);
}

/** Closest first; a stable sort, so rows at equal distance keep the database's order. */
function sortByDistance<Entity>(rows: Array<Nearest<Entity>>): Array<Nearest<Entity>> {
  return rows.sort((a, b) => a.distance - b.distance);
}
