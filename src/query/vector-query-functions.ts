import type { SelectQueryBuilder } from 'typeorm';
import type { VectorValueInput } from '../codecs';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { dataSourceOf } from '../typeorm-internals';
import { INDEX_STORAGE_RERANKED, isPlainIdentifier, quotedList, type VectorIndexStorage, type VectorMetric } from '../vocabulary';
import { checkIndexMetric } from './index-metric-check';
import { uniqueParameterName } from './parameter-names';
import { bindQueryVector, prepareQueryVector, type PreparedQueryVector } from './query-vector';

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
 * Options of `orderByDistance`.
 *
 * @example
 * const options: OrderByDistanceOptions = { storage: 'halfvec' };
 */
export interface OrderByDistanceOptions {
  /** Throw instead of warning when the column's `@VectorIndex`es serve other metrics (default: the index's own `strict`). */
  strict?: boolean;
  /**
   * Order by the distance an index of this storage holds, for an index no `@VectorIndex` declares
   * (made by `createVectorIndex` or by hand): `'halfvec'` orders by
   * `CAST(column AS halfvec(N)) <op> CAST(vector AS halfvec(N))`, the expression of a
   * `storage: 'halfvec'` index, so the planner can read it. A `@VectorIndex` with `storage:
   * 'halfvec'` for the metric already does this. `'binary'` is refused: a binary index returns
   * candidates to re-rank, which one ORDER BY cannot do; `findNearest` does it.
   */
  storage?: VectorIndexStorage;
}

/**
 * Orders by distance in any metric, nearest first, replacing any earlier ORDER BY. When the column
 * has `@VectorIndex`es and none serves `metric`, a warning goes to TypeORM's logger (or, with
 * `strict`, an UnsupportedVectorFeatureError is thrown): such a query scans every row. The
 * distance is written on the expression of the `@VectorIndex` serving the metric (`storage:
 * 'halfvec'`: the halfvec casts), or of `options.storage`; a `storage: 'binary'` index is not read
 * by a query-builder ORDER BY (it orders by the exact distance): use `findNearest`.
 *
 * @example
 * orderByDistance(qb, 'doc.embedding', query, 'l1');
 * orderByDistance(qb, 'doc.embedding', query, 'cosine', { storage: 'halfvec' });
 * // PostgreSQL: ORDER BY (CAST("doc"."embedding" AS halfvec(3072)) <=> CAST(CAST($1 AS vector) AS halfvec(3072))) ASC
 */
export function orderByDistance<T extends SelectQueryBuilder<any>>(
  qb: T,
  column: string,
  vector: VectorValueInput,
  metric: VectorMetric,
  options: OrderByDistanceOptions = {},
): T {
  // Everything is checked before anything is bound: bad input leaves the query builder as it was.
  if (typeof options !== 'object' || options === null) {
    throw new VectorConfigurationError(`orderByDistance options ${String(options)} are not an object; pass e.g. { storage: 'halfvec' }.`);
  }
  const unknown = Object.keys(options).find((key) => key !== 'strict' && key !== 'storage');
  if (unknown !== undefined) throw new VectorConfigurationError(`orderByDistance has no option '${unknown}'; use strict, storage.`);
  const prepared = prepareQueryVector(qb, column, vector, metric);
  const ordered = options.storage === undefined ? prepared : withQueryStorage(prepared, options.storage);
  checkIndexMetric(dataSourceOf(qb), prepared.column, prepared.metric, options.strict);
  qb.orderBy(bindQueryVector(qb, ordered).distanceSql, 'ASC');
  return qb;
}

/** `prepared` ordered as an index of `storage` holds the column, when one ORDER BY can read such an index. */
function withQueryStorage(prepared: PreparedQueryVector, storage: unknown): PreparedQueryVector {
  const { dialect, column } = prepared;
  const options = dialect.capabilities.indexes?.storage ?? [];
  if (typeof storage !== 'string' || !(options as readonly string[]).includes(storage)) {
    throw new VectorConfigurationError(
      `orderByDistance storage ${JSON.stringify(storage)} is not an index storage of ${dialect.capabilities.name}; ${options.length ? `use ${quotedList(options)} or leave it out` : 'leave it out'}.`,
    );
  }
  if (column.spec.type !== 'float32') {
    throw new VectorConfigurationError(`orderByDistance storage '${storage}' converts float32 columns, but ${column.spec.subject} holds ${column.spec.type} vectors; leave storage out.`);
  }
  if (!dialect.sql.indexStorage?.[storage as VectorIndexStorage] || INDEX_STORAGE_RERANKED[storage as VectorIndexStorage]) {
    throw new UnsupportedVectorFeatureError(
      `orderByDistance cannot read a storage: '${storage}' index on ${dialect.capabilities.name}: it returns candidates to re-rank by the exact distance, which one ORDER BY cannot do; use findNearest(repository, { column: '${column.column.propertyPath}', metric: '${prepared.metric}', vector }), or leave storage out to order by the exact distance.`,
    );
  }
  return { ...prepared, storage: storage as VectorIndexStorage };
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
