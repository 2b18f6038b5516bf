import type { SelectQueryBuilder } from 'typeorm';
import type { VectorInput } from '../codecs';
import type { VectorMetric } from '../dialects/dialect';
import { VectorConfigurationError } from '../errors';
import { distanceExpression, uniqueParameterName } from './distance-expression';
import { checkIndexMetric } from './index-metric-check';

/** Comparison operators `andWhereDistance` accepts. */
export type DistanceComparison = '<' | '<=' | '>' | '>=';

const COMPARISONS: readonly DistanceComparison[] = ['<', '<=', '>', '>='];
const ALIAS = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Orders by Euclidean (L2) distance to `vector`, nearest first, replacing any earlier ORDER BY.
 *
 * @example
 * orderByL2(repo.createQueryBuilder('doc'), 'doc.embedding', [0.1, 0.2, 0.3]).limit(10).getMany();
 * // PostgreSQL: ORDER BY ("doc"."embedding" <-> CAST($1 AS vector)) ASC
 */
export function orderByL2<T extends SelectQueryBuilder<any>>(qb: T, column: string, vector: VectorInput): T {
  return orderByDistance(qb, column, vector, 'l2');
}

/**
 * Orders by cosine distance to `vector`, nearest first, replacing any earlier ORDER BY.
 *
 * @example
 * orderByCosine(repo.createQueryBuilder('doc'), 'doc.embedding', query).limit(10).getMany();
 * // SQLite: ORDER BY vec_distance_cosine("doc"."embedding", ?) ASC
 */
export function orderByCosine<T extends SelectQueryBuilder<any>>(qb: T, column: string, vector: VectorInput): T {
  return orderByDistance(qb, column, vector, 'cosine');
}

/**
 * Orders by inner product with `vector`, largest first, replacing any earlier ORDER BY.
 * Backends without an inner product (sqlite-vec) throw `UnsupportedVectorFeatureError`.
 *
 * @example
 * orderByInnerProduct(repo.createQueryBuilder('doc'), 'doc.embedding', query).limit(10).getMany();
 * // PostgreSQL: ORDER BY ("doc"."embedding" <#> CAST($1 AS vector)) ASC
 */
export function orderByInnerProduct<T extends SelectQueryBuilder<any>>(qb: T, column: string, vector: VectorInput): T {
  return orderByDistance(qb, column, vector, 'inner_product');
}

/**
 * Orders by distance in any metric, nearest first, replacing any earlier ORDER BY. When the column
 * has `@VectorIndex`es and none serves `metric`, a warning goes to TypeORM's logger (or, with
 * `strict`, an UnsupportedVectorFeatureError is thrown): such a query scans every row.
 *
 * @example
 * orderByDistance(qb, 'doc.embedding', query, 'l1');
 */
export function orderByDistance<T extends SelectQueryBuilder<any>>(
  qb: T,
  column: string,
  vector: VectorInput,
  metric: VectorMetric,
  options: { strict?: boolean } = {},
): T {
  const expression = distanceExpression(qb, column, vector, metric);
  checkIndexMetric(qb, column, metric, options.strict);
  qb.orderBy(expression, 'ASC');
  return qb;
}

/**
 * Adds the distance to `vector` as a selected column named `alias` (read it with `getRawMany` or
 * `getRawAndEntities`). For `inner_product` the value is the negative inner product.
 *
 * @example
 * addSelectDistance(qb, 'doc.embedding', query, 'cosine', 'distance').getRawMany();
 * // [{ doc_id: 1, ..., distance: 0.013 }]
 */
export function addSelectDistance<T extends SelectQueryBuilder<any>>(
  qb: T,
  column: string,
  vector: VectorInput,
  metric: VectorMetric,
  alias: string,
): T {
  if (typeof alias !== 'string' || !ALIAS.test(alias)) {
    throw new VectorConfigurationError(
      `Distance alias ${JSON.stringify(alias)} is not a plain identifier; use letters, digits and underscores, e.g. 'distance'.`,
    );
  }
  qb.addSelect(distanceExpression(qb, column, vector, metric), alias);
  return qb;
}

/**
 * Keeps only rows whose distance to `vector` compares to `threshold` with `op` (ANDed to the WHERE).
 *
 * @example
 * andWhereDistance(qb, 'doc.embedding', query, 'cosine', '<', 0.2);
 * // PostgreSQL: AND ("doc"."embedding" <=> CAST($1 AS vector)) < $2
 */
export function andWhereDistance<T extends SelectQueryBuilder<any>>(
  qb: T,
  column: string,
  vector: VectorInput,
  metric: VectorMetric,
  op: DistanceComparison,
  threshold: number,
): T {
  if (!COMPARISONS.includes(op)) {
    throw new VectorConfigurationError(
      `Distance comparison ${JSON.stringify(op)} is not supported; use one of ${COMPARISONS.map((c) => `'${c}'`).join(', ')}.`,
    );
  }
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new VectorConfigurationError(`Distance threshold ${String(threshold)} is not a finite number; pass e.g. 0.5.`);
  }
  const expression = distanceExpression(qb, column, vector, metric);
  const thresholdName = uniqueParameterName('threshold');
  qb.andWhere(`${expression} ${op} :${thresholdName}`, { [thresholdName]: threshold });
  return qb;
}
