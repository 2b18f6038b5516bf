import type { SelectQueryBuilder } from 'typeorm';
import { validateVector } from '../codecs';
import { assertMetric, dialectOf, type VectorDialect } from '../dialects';
import { dataSourceOf } from '../typeorm-internals';
import type { VectorMetric } from '../vocabulary';
import { uniqueParameterName } from './parameter-names';
import { resolveVectorColumn, type ResolvedVectorColumn } from './vector-column-reference';

/** A query vector checked against its column and metric and encoded for the backend; nothing bound yet. */
export interface PreparedQueryVector {
  readonly dialect: VectorDialect;
  readonly column: ResolvedVectorColumn;
  readonly metric: VectorMetric;
  /** The value to bind. */
  readonly encoded: unknown;
}

/** A prepared query vector bound once on a query builder. */
export interface BoundQueryVector extends PreparedQueryVector {
  /** SQL reading the bound parameter as a vector, e.g. `CAST(:tv_vector_3 AS vector)`. */
  readonly vectorSql: string;
  /** SQL of the distance between the column and the vector; smaller is closer. */
  readonly distanceSql: string;
}

/**
 * Validates a column reference (`'alias.property'`), a metric and a query vector for `qb`'s
 * backend, and encodes the vector. Touches nothing: call `bindQueryVector` once the rest of the
 * input is checked, so bad input leaves the query builder as it was.
 *
 * @example
 * const prepared = prepareQueryVector(qb, 'doc.embedding', [1, 2, 3], 'l2');
 */
export function prepareQueryVector(qb: SelectQueryBuilder<any>, column: string, vector: unknown, metric: unknown): PreparedQueryVector {
  const dialect = dialectOf(dataSourceOf(qb));
  assertMetric(dialect, metric);
  const resolved = resolveVectorColumn(qb, column);
  const subject = `Query vector for ${resolved.spec.subject}`;
  const encoded = dialect.codec.encode(validateVector(vector, resolved.spec.dimensions, subject), subject);
  return { dialect, column: resolved, metric, encoded };
}

/**
 * Binds a prepared query vector on `qb` as one parameter, and returns the SQL that reads it and
 * its distance, to use as many times as the query needs (ORDER BY, SELECT, a candidate condition).
 *
 * @example
 * const bound = bindQueryVector(qb, prepared);
 * qb.orderBy(bound.distanceSql); // PostgreSQL: ("doc"."embedding" <-> CAST(:tv_vector_3 AS vector))
 */
export function bindQueryVector(qb: SelectQueryBuilder<any>, prepared: PreparedQueryVector): BoundQueryVector {
  const name = uniqueParameterName('vector');
  qb.setParameter(name, prepared.encoded);
  const vectorSql = prepared.dialect.codec.parameterSql(`:${name}`);
  return { ...prepared, vectorSql, distanceSql: prepared.dialect.sql.distance(prepared.metric, prepared.column.sql, vectorSql) };
}
