import type { SelectQueryBuilder } from 'typeorm';
import type { VectorValueInput } from '../codecs';
import { VectorConfigurationError } from '../errors';
import { dataSourceOf } from '../typeorm-internals';
import { isPlainIdentifier, quotedList, type VectorMetric } from '../vocabulary';
import { checkIndexMetric } from './index-metric-check';
import { uniqueParameterName } from './parameter-names';
import { bindQueryVector, prepareQueryVector } from './query-vector';

/**
 * Comparison operators `andWhereDistance` accepts.
 *
 * @example
 * andWhereDistance(qb, 'doc.embedding', query, 'cosine', '<=' satisfies DistanceComparison, 0.3);
 */
export type DistanceComparison = '<' | '<=' | '>' | '>=';

const COMPARISONS: readonly DistanceComparison[] = ['<', '<=', '>', '>='];

/**
 * Orders by Euclidean (L2) distance to `vector`, nearest first, replacing any earlier ORDER BY.
 *
 * @example
 * orderByL2(repo.createQueryBuilder('doc'), 'doc.embedding', [0.1, 0.2, 0.3]).limit(10).getMany();
 * // PostgreSQL: ORDER BY ("doc"."embedding" <-> CAST($1 AS vector)) ASC
 */
export function orderByL2<T extends SelectQueryBuilder<any>>(qb: T, column: string, vector: VectorValueInput): T {
  return orderByDistance(qb, column, vector, 'l2');
}

/**
 * Orders by cosine distance to `vector`, nearest first, replacing any earlier ORDER BY.
 *
 * @example
 * orderByCosine(repo.createQueryBuilder('doc'), 'doc.embedding', query).limit(10).getMany();
 * // SQLite: ORDER BY vec_distance_cosine("doc"."embedding", ?) ASC
 */
export function orderByCosine<T extends SelectQueryBuilder<any>>(qb: T, column: string, vector: VectorValueInput): T {
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
export function orderByInnerProduct<T extends SelectQueryBuilder<any>>(qb: T, column: string, vector: VectorValueInput): T {
  return orderByDistance(qb, column, vector, 'inner_product');
}

/**
 * Orders by Hamming distance (differing bits) to the bit vector `vector`, nearest first, replacing
 * any earlier ORDER BY: for `@VectorColumn(N, { type: 'bit' })` columns.
 *
 * @example
 * orderByHamming(repo.createQueryBuilder('doc'), 'doc.hash', '10110010').limit(10).getMany();
 * // PostgreSQL: ORDER BY ("doc"."hash" <~> CAST($1 AS bit(8))) ASC
 */
export function orderByHamming<T extends SelectQueryBuilder<any>>(qb: T, column: string, vector: VectorValueInput): T {
  return orderByDistance(qb, column, vector, 'hamming');
}

/**
 * Orders by Jaccard distance to the bit vector `vector`, nearest first, replacing any earlier ORDER BY.
 *
 * @example
 * orderByJaccard(repo.createQueryBuilder('doc'), 'doc.hash', '10110010').limit(10).getMany();
 * // PostgreSQL: ORDER BY ("doc"."hash" <%> CAST($1 AS bit(8))) ASC
 */
export function orderByJaccard<T extends SelectQueryBuilder<any>>(qb: T, column: string, vector: VectorValueInput): T {
  return orderByDistance(qb, column, vector, 'jaccard');
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
  vector: VectorValueInput,
  metric: VectorMetric,
  options: { strict?: boolean } = {},
): T {
  // Everything is checked before anything is bound: bad input leaves the query builder as it was.
  const prepared = prepareQueryVector(qb, column, vector, metric);
  checkIndexMetric(dataSourceOf(qb), prepared.column, prepared.metric, options.strict);
  qb.orderBy(bindQueryVector(qb, prepared).distanceSql, 'ASC');
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
  vector: VectorValueInput,
  metric: VectorMetric,
  alias: string,
): T {
  if (!isPlainIdentifier(alias)) {
    throw new VectorConfigurationError(
      `Distance alias ${JSON.stringify(alias)} is not a plain identifier; use letters, digits and underscores, e.g. 'distance'.`,
    );
  }
  const prepared = prepareQueryVector(qb, column, vector, metric);
  qb.addSelect(bindQueryVector(qb, prepared).distanceSql, alias);
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
  vector: VectorValueInput,
  metric: VectorMetric,
  op: DistanceComparison,
  threshold: number,
): T {
  if (!COMPARISONS.includes(op)) {
    throw new VectorConfigurationError(
      `Distance comparison ${JSON.stringify(op)} is not supported; use one of ${quotedList(COMPARISONS)}.`,
    );
  }
  if (typeof threshold !== 'number' || !Number.isFinite(threshold)) {
    throw new VectorConfigurationError(`Distance threshold ${String(threshold)} is not a finite number; pass e.g. 0.5.`);
  }
  const prepared = prepareQueryVector(qb, column, vector, metric);
  const thresholdName = uniqueParameterName('threshold');
  qb.andWhere(`${bindQueryVector(qb, prepared).distanceSql} ${op} :${thresholdName}`, { [thresholdName]: threshold });
  return qb;
}
