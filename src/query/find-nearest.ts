import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { VectorInput } from '../codecs';
import type { VectorMetric } from '../dialects/dialect';
import { VectorConfigurationError } from '../errors';
import { joinNearestIndex } from './nearest-index-join';
import { bindVector, findNearestIndex, type IndexChoice } from './nearest-index';
import { uniqueParameterName } from './distance-expression';
import { addSelectDistance, orderByDistance } from './vector-query-functions';

/** Options of `findNearest`. */
export interface FindNearestOptions<Entity extends ObjectLiteral> {
  /** Vector property of the entity, e.g. `'embedding'`. */
  column: string;
  /** The query vector. */
  vector: VectorInput;
  /** Distance metric (default `'l2'`). */
  metric?: VectorMetric;
  /** How many rows to return (default 10). */
  limit?: number;
  /** Extra conditions: receives the query builder (entity alias `entity`) before it runs. */
  filter?: (qb: SelectQueryBuilder<Entity>) => void;
  /**
   * Throw instead of logging a warning when the column has `@VectorIndex`es and none serves
   * `metric` (default: the index's own `strict`).
   */
  strict?: boolean;
  /**
   * On backends whose vector index must be named in the query (libSQL's `vector_top_k`): unset uses
   * an index on the column for the metric when one exists, `true` requires one, a string names it,
   * `false` forces an exact scan. Elsewhere only unset and `false` are accepted.
   */
  useIndex?: boolean | string;
}

/** One result of `findNearest`. */
export interface Nearest<Entity> {
  entity: Entity;
  /** Distance to the query vector; for `inner_product`, the negative inner product. */
  distance: number;
}

const ALIAS = 'entity';
const DISTANCE = 'tv_distance';

/**
 * The `limit` entities nearest to `vector`, closest first, with their distances. On SQLite, a
 * `@VectorIndex` (vec0) of the same metric is searched with `MATCH ? AND k = ?` when it exists and
 * there is no `filter` (a filter after a k-nearest search could return fewer than `limit` rows, so
 * filtered searches are exact).
 *
 * @example
 * const near = await findNearest(dataSource.getRepository(Doc), { column: 'embedding', vector: query, metric: 'cosine', limit: 5 });
 * // [{ entity: Doc { id: 4, ... }, distance: 0.012 }, ...]
 */
export async function findNearest<Entity extends ObjectLiteral>(
  repository: Repository<Entity>,
  options: FindNearestOptions<Entity>,
): Promise<Array<Nearest<Entity>>> {
  const { column, vector, metric = 'l2', limit = 10, filter, useIndex, strict } = options;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new VectorConfigurationError(`findNearest limit ${String(limit)} is not a positive integer; pass e.g. limit: 10.`);
  }
  if (typeof column !== 'string') {
    throw new VectorConfigurationError(`findNearest column ${String(column)} is not a property name; pass e.g. column: 'embedding'.`);
  }
  const build = (): SelectQueryBuilder<Entity> => {
    const qb = repository.createQueryBuilder(ALIAS);
    const reference = `${ALIAS}.${column}`;
    orderByDistance(qb, reference, vector, metric, { strict });
    addSelectDistance(qb, reference, vector, metric, DISTANCE);
    filter?.(qb);
    return qb.limit(limit);
  };
  const exact = build();
  const index = await findNearestIndex(repository, column, metric, useIndex);
  if (!index) {
    // sqlite-vec's vec0 table (a @VectorIndex), searched with MATCH/k when there is no filter.
    if (!filter && useIndex !== false) await joinNearestIndex(exact, `${ALIAS}.${column}`, vector, metric, limit);
    return run(exact);
  }
  return findThroughIndex(repository, build, index, vector, limit, filter !== undefined, () => run(exact));
}

async function run<Entity extends ObjectLiteral>(qb: SelectQueryBuilder<Entity>): Promise<Array<Nearest<Entity>>> {
  const { raw, entities } = await qb.getRawAndEntities();
  return entities.map((entity, index) => ({ entity, distance: Number((raw[index] as Record<string, unknown>)[DISTANCE]) }));
}

/**
 * Fewest candidates asked of a vector index: libSQL's `vector_top_k` searches with a beam as wide as
 * `k`, and with `k = 1` it returned a far row after an UPDATE where `k = 5` found the right one, so
 * small limits are reranked exactly from at least this many candidates.
 */
const MIN_INDEX_CANDIDATES = 10;

/**
 * Reads candidates from a named vector index, ordered by exact distance. The index returns its `k`
 * nearest rows before any filter applies, so when fewer than `limit` of them pass, `k` grows
 * fourfold and the query runs again; once `k` reaches the table size the exact scan answers.
 */
async function findThroughIndex<Entity extends ObjectLiteral>(
  repository: Repository<Entity>,
  build: () => SelectQueryBuilder<Entity>,
  index: IndexChoice,
  vector: VectorInput,
  limit: number,
  filtered: boolean,
  exactScan: () => Promise<Array<Nearest<Entity>>>,
): Promise<Array<Nearest<Entity>>> {
  let k = Math.max(MIN_INDEX_CANDIDATES, filtered ? limit * 4 : limit);
  let total: number | undefined;
  for (;;) {
    const qb = build();
    const vectorSql = index.dialect.parameterSql(`:${bindVector(qb, index, vector)}`);
    const kName = uniqueParameterName('k');
    const rowId = index.dialect.nearestIndex!.rowIdSql(qb.escape(ALIAS));
    qb.andWhere(index.dialect.nearestIndex!.candidatesSql(rowId, index.name, vectorSql, `:${kName}`), { [kName]: k });
    const found = await run(qb);
    if (found.length >= limit) return found;
    total ??= await repository.count();
    if (k >= total) return exactScan();
    k = Math.min(k * 4, total);
  }
}
