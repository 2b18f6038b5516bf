import type { EntityManager, ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import type { CatalogVectorIndex, ResolvedSearchTuning } from '../dialects';
import type { NearestStrategyName } from '../vocabulary';
import { hydrateBinaryVectors, selectBinaryVectors, type BinaryVectorSelection } from './binary-vector-reads';
import { loadsRowsPlainly, queryRunnerOf } from '../typeorm-internals';
import type { PlainEntityRows } from './plain-rows';
import { bindQueryVector, queryVectorParameter, type BoundQueryVector, type PreparedQueryVector } from './query-vector';

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
  /** The vector index the search was planned on (the planner may still scan: `explainNearest` says), or undefined for an exact search. */
  index: string | undefined;
  /**
   * Candidates the last index read asked for, where the library sets that number (libSQL, sqlite-vec,
   * MariaDB); undefined where the database scans on its own (pgvector), and for an exact search that
   * did not read the index first (a filter the index ran out for moments ago: `EXACT_FALLBACK_MEMORY`).
   */
  scanned: number | undefined;
}

/** What a strategy needs to run one search. */
export interface NearestSearch<Entity extends ObjectLiteral> {
  readonly manager: EntityManager;
  /** The searched table, its primary key columns (database names), and whether it soft-deletes rows. */
  readonly table: { readonly path: string; readonly primaryColumns: readonly string[]; readonly softDeletes: boolean };
  /** A row's primary key as one string, from an entity and from a raw result row. */
  keyOf(entity: Entity): string;
  rawKeyOf(raw: Record<string, unknown>): string;
  /** A fresh query builder of the entity (alias `entity`), on `runner` when given, with nothing added. */
  createQueryBuilder(runner?: QueryRunner): SelectQueryBuilder<Entity>;
  /** The vector columns an ordered query selects in binary and `runOrdered` hydrates (pgvector's `vector_send`); empty elsewhere. */
  readonly binaryReads: BinaryVectorSelection | undefined;
  /** Where TypeORM would load the entity from one row with nothing else to do: how `runOrdered` reads it itself (`plainEntityRows`). */
  readonly plainRows: PlainEntityRows | undefined;
  /**
   * Whether the SQL of a search without conditions may be built once and reused: false for a
   * repository whose own `createQueryBuilder` could add something different each time (`extend`).
   */
  readonly reusesStatements: boolean;
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

/** The alias of the selected distance in every ordered query. */
export const DISTANCE_ALIAS = 'tv_distance';
const DISTANCE = DISTANCE_ALIAS;

/**
 * Selects the entity's columns (its vector columns in binary where `search.binaryReads` says), then
 * the distance once, and orders by its alias (so the vector appears in the statement once,
 * plus once in a candidate condition: drivers that bind positionally send it once per use), applies
 * the caller's conditions, then `restrict` (a candidate condition, ANDed after them), and the limit.
 */
export function orderedQuery<Entity extends ObjectLiteral>(
  qb: SelectQueryBuilder<Entity>,
  search: NearestSearch<Entity>,
  { restrict, unindexed = false, limit = search.limit }: { restrict?: (bound: BoundQueryVector) => void; unindexed?: boolean; limit?: number } = {},
): SelectQueryBuilder<Entity> {
  selectBinaryVectors(qb, search.binaryReads);
  const bound = bindQueryVector(qb, search.vector);
  const hide = unindexed ? search.vector.dialect.sql.unindexedDistance : undefined;
  qb.addSelect(hide ? hide(bound.distanceSql) : bound.distanceSql, DISTANCE).orderBy(DISTANCE, 'ASC');
  search.conditions?.(qb);
  restrict?.(bound);
  // take, not limit: with a join to many rows (a where on a one-to-many relation) TypeORM limits distinct entities.
  return qb.take(limit);
}

/**
 * `runOrdered(orderedQuery(search.createQueryBuilder(runner), search, options), search)`. Where the
 * search has no conditions and its entity is plain (`search.plainRows`), the SQL is built by
 * TypeORM once per shape (column, metric, storage, limit, exactness) and reused with each query
 * vector. TypeORM's SQL building and entity loading were most of what a kNN costs in JavaScript
 * (bench/overhead.ts).
 *
 * @example
 * const rows = await runOrderedSearch(search, runner, { unindexed: true });
 */
export async function runOrderedSearch<Entity extends ObjectLiteral>(
  search: NearestSearch<Entity>,
  runner: QueryRunner | undefined,
  options: { unindexed?: boolean; limit?: number } = {},
): Promise<Array<Nearest<Entity>>> {
  const plain = search.plainRows;
  const build = () => orderedQuery(search.createQueryBuilder(runner), search, options);
  if (!plain || search.conditions || !search.reusesStatements) return runOrdered(build(), search);
  const { vector } = search;
  const shape = `${vector.column.column.propertyPath}|${vector.metric}|${vector.storage ?? ''}|${options.unindexed === true}|${options.limit ?? search.limit}`;
  let sql = plain.statements.get(shape);
  if (sql === undefined) {
    const qb = build();
    const [built, parameters] = qb.getQueryAndParameters();
    // The query vector, bound once, is the only parameter of a search without conditions; anything else is left to TypeORM.
    if (parameters.length !== 1) return runOrdered(qb, search);
    plain.statements.set(shape, (sql = built));
  }
  return plainNearest<Entity>(plain, await (runner ?? search.manager).query(sql, [queryVectorParameter(vector)]));
}

/** One entity per raw row, with the row's distance. */
function plainNearest<Entity extends ObjectLiteral>(plain: PlainEntityRows, rows: unknown): Array<Nearest<Entity>> {
  const raw = rows as Array<Record<string, unknown>>;
  const entities = plain.entities(raw) as Entity[];
  return entities.map((entity, i) => ({ entity, distance: Number(raw[i]![DISTANCE]) }));
}

/**
 * Runs an ordered query: its entities, each with its selected distance (and its binary-read vector
 * columns), through `entitiesWithRows`.
 */
export async function runOrdered<Entity extends ObjectLiteral>(
  qb: SelectQueryBuilder<Entity>,
  search: Pick<NearestSearch<Entity>, 'keyOf' | 'rawKeyOf' | 'binaryReads' | 'plainRows' | 'manager'>,
): Promise<Array<Nearest<Entity>>> {
  return (await entitiesWithRows(qb, search)).map(({ entity, row }) => ({ entity, distance: row ? Number(row[DISTANCE]) : Number.NaN }));
}

/**
 * Runs a query of the search's entity: each entity with its first raw row (what else the query
 * selected: a distance, a score; binary-read vector columns are already hydrated). Where the
 * entity is plain (`search.plainRows`) and the query loads it plainly (no join, no relation ids,
 * no result cache: `loadsRowsPlainly`), the query builder's SQL runs on its query runner and
 * `plainRows` makes one entity per row; otherwise TypeORM loads them, and entities and raw rows are
 * paired by primary key, since a join to many rows repeats an entity across raw rows.
 *
 * @example
 * const rows = await entitiesWithRows(qb.addSelect('score', 'tv_score'), search); // [{ entity, row: { tv_score: 0.03, ... } }, ...]
 */
export async function entitiesWithRows<Entity extends ObjectLiteral>(
  qb: SelectQueryBuilder<Entity>,
  search: Pick<NearestSearch<Entity>, 'keyOf' | 'rawKeyOf' | 'binaryReads' | 'plainRows' | 'manager'>,
): Promise<Array<{ entity: Entity; row: Record<string, unknown> | undefined }>> {
  if (search.plainRows && loadsRowsPlainly(qb)) {
    const [sql, parameters] = qb.getQueryAndParameters();
    const raw = (await (queryRunnerOf(qb) ?? search.manager).query(sql, parameters)) as Array<Record<string, unknown>>;
    return search.plainRows.entities(raw).map((entity, i) => ({ entity: entity as Entity, row: raw[i] }));
  }
  const { raw, entities } = await qb.getRawAndEntities();
  // Each entity's first raw row, keyed once: what else it selected and its binary-read vectors come from it.
  const firstRows = new Map<string, Record<string, unknown>>();
  for (const row of raw as Array<Record<string, unknown>>) {
    const key = search.rawKeyOf(row);
    if (!firstRows.has(key)) firstRows.set(key, row);
  }
  return entities.map((entity) => {
    const row = firstRows.get(search.keyOf(entity));
    if (row) hydrateBinaryVectors(entity, row, search.binaryReads);
    return { entity, row };
  });
}

/** Rows a planner search asks for: `limit x overFetch`. */
export function overFetched(search: Pick<NearestSearch<ObjectLiteral>, 'limit' | 'tuning'>): number {
  return search.limit * (search.tuning.overFetch ?? 1);
}


/** Closest first; a stable sort, so rows at equal distance keep the database's order. */
export function sortByDistance<Entity>(rows: Array<Nearest<Entity>>): Array<Nearest<Entity>> {
  return rows.sort((a, b) => a.distance - b.distance);
}
