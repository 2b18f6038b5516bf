import type { SelectQueryBuilder } from 'typeorm';
import { validateVector } from '../codecs';
import { assertMetric, type VectorMetric } from '../dialects/dialect';
import { resolveDialect } from '../dialects/resolve';
import { resolveVectorColumn } from './vector-column-reference';

let parameterCounter = 0;

/**
 * A fresh parameter name for a query builder (`tv_vector_1`, `tv_vector_2`, ...), never reused.
 *
 * @example
 * uniqueParameterName('vector'); // 'tv_vector_7'
 */
export function uniqueParameterName(kind: string): string {
  parameterCounter += 1;
  return `tv_${kind}_${parameterCounter}`;
}

/**
 * Validates a column reference, a query vector and a metric, binds the vector as a parameter on
 * `qb`, and returns the distance SQL. Nothing is bound when validation fails.
 *
 * @example
 * distanceExpression(qb, 'doc.embedding', [1, 2, 3], 'l2'); // '("doc"."embedding" <-> CAST(:tv_vector_1 AS vector))'
 */
export function distanceExpression(
  qb: SelectQueryBuilder<any>,
  column: string,
  vector: unknown,
  metric: VectorMetric,
): string {
  const dialect = resolveDialect(qb.connection);
  assertMetric(dialect, metric);
  const resolved = resolveVectorColumn(qb, column);
  const subject = `Query vector for ${resolved.spec.subject}`;
  const encoded = dialect.encode(validateVector(vector, resolved.spec.dimensions, subject), subject);
  const name = uniqueParameterName('vector');
  qb.setParameter(name, encoded);
  return dialect.distanceSql(metric, resolved.sql, dialect.parameterSql(`:${name}`));
}
