import type { SelectQueryBuilder } from 'typeorm';
import { ELEMENT_VALUES, type ElementValues } from '../codecs';
import { vectorIndexesOf } from '../column/vector-index-attachment';
import { assertMetric, codecOf, dialectOf, type VectorCodec, type VectorDialect } from '../dialects';
import { dataSourceOf } from '../typeorm-internals';
import { INDEX_STORAGE_METRICS, type VectorIndexStorage, type VectorMetric } from '../vocabulary';
import { uniqueParameterName } from './parameter-names';
import { resolveVectorColumn, type ResolvedVectorColumn } from './vector-column-reference';

/** A query vector checked against its column and metric and encoded for the backend; nothing bound yet. */
export interface PreparedQueryVector {
  readonly dialect: VectorDialect;
  readonly column: ResolvedVectorColumn;
  readonly metric: VectorMetric;
  /** The value to bind. */
  readonly encoded: unknown;
  /** The codec of the column's element type. */
  readonly codec: VectorCodec<unknown>;
  /**
   * The storage of the `@VectorIndex` serving this column and metric, where it indexes an
   * expression of the column (`halfvec`): the distance is then written on that expression.
   */
  readonly storage: VectorIndexStorage | undefined;
}

/** A prepared query vector bound once on a query builder. */
export interface BoundQueryVector extends PreparedQueryVector {
  /** SQL reading the bound parameter as a vector, e.g. `CAST(:tv_vector_3 AS vector)`. */
  readonly vectorSql: string;
  /** SQL of the distance between the column and the vector; smaller is closer. */
  readonly distanceSql: string;
}

/**
 * Validates a column reference (`'alias.property'`), a metric and a query vector (for the column's
 * element type) for `qb`'s backend, and encodes the vector. Touches nothing: call `bindQueryVector` once the rest of the
 * input is checked, so bad input leaves the query builder as it was.
 *
 * @example
 * const prepared = prepareQueryVector(qb, 'doc.embedding', [1, 2, 3], 'l2');
 */
export function prepareQueryVector(qb: SelectQueryBuilder<any>, column: string, vector: unknown, metric: unknown): PreparedQueryVector {
  const dialect = dialectOf(dataSourceOf(qb));
  const resolved = resolveVectorColumn(qb, column);
  const { type, dimensions } = resolved.spec;
  assertMetric(dialect, metric, type);
  const subject = `Query vector for ${resolved.spec.subject}`;
  const codec = codecOf(dialect, type) as VectorCodec<unknown>;
  const encoded = codec.encode((ELEMENT_VALUES[type] as ElementValues<unknown>).validate(vector, dimensions, subject), subject);
  const storage = vectorIndexesOf(resolved.entity).find(
    (index) => index.column.propertyPath === resolved.column.propertyPath && index.definition.metric === metric && index.definition.storage !== undefined,
  )?.definition.storage;
  return { dialect, column: resolved, metric, encoded, codec, storage };
}

/**
 * Binds a prepared query vector on `qb` as one parameter, and returns the SQL that reads it and
 * its distance, to use as many times as the query needs (ORDER BY, SELECT, a candidate condition).
 *
 * @example
 * const bound = bindQueryVector(qb, prepared);
 * qb.orderBy(bound.distanceSql); // PostgreSQL: ("doc"."embedding" <-> CAST(:tv_vector_3 AS vector))
 * // with @VectorIndex({ metric: 'l2', storage: 'halfvec' }) on a vector(3072) column:
 * // (CAST("doc"."embedding" AS halfvec(3072)) <-> CAST(CAST(:tv_vector_3 AS vector) AS halfvec(3072)))
 */
export function bindQueryVector(qb: SelectQueryBuilder<any>, prepared: PreparedQueryVector): BoundQueryVector {
  const name = uniqueParameterName('vector');
  qb.setParameter(name, prepared.encoded);
  const { dialect, codec, storage, column } = prepared;
  const { dimensions } = column.spec;
  const vectorSql = codec.parameterSql(`:${name}`, dimensions);
  const columnSql = codec.columnSql?.(column.sql) ?? column.sql;
  // A storage re-ranked exactly (binary) leaves the distance exact: its index supplies candidates only.
  const stored = storage && !INDEX_STORAGE_METRICS[storage] ? dialect.sql.indexStorage?.[storage] : undefined;
  const distanceSql = stored
    ? dialect.sql.distance(prepared.metric, stored(columnSql, dimensions), stored(vectorSql, dimensions))
    : dialect.sql.distance(prepared.metric, columnSql, vectorSql);
  return { ...prepared, vectorSql, distanceSql };
}
