import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { VectorInput } from '../codecs';
import type { VectorMetric } from '../dialects/dialect';
import { VectorConfigurationError } from '../errors';
import { joinNearestIndex } from './nearest-index-join';
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
  const { column, vector, metric = 'l2', limit = 10, filter, strict } = options;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new VectorConfigurationError(`findNearest limit ${String(limit)} is not a positive integer; pass e.g. limit: 10.`);
  }
  if (typeof column !== 'string') {
    throw new VectorConfigurationError(`findNearest column ${String(column)} is not a property name; pass e.g. column: 'embedding'.`);
  }
  const qb = repository.createQueryBuilder(ALIAS);
  const reference = `${ALIAS}.${column}`;
  orderByDistance(qb, reference, vector, metric, { strict });
  addSelectDistance(qb, reference, vector, metric, DISTANCE);
  if (filter) filter(qb);
  else await joinNearestIndex(qb, reference, vector, metric, limit);
  qb.limit(limit);
  const { raw, entities } = await qb.getRawAndEntities();
  return entities.map((entity, index) => ({ entity, distance: Number((raw[index] as Record<string, unknown>)[DISTANCE]) }));
}
