import type { SelectQueryBuilder } from 'typeorm';
import { validateVector } from '../codecs';
import { vectorIndexesOf } from '../connection/bind-vector-indexes';
import type { VectorMetric } from '../dialects/dialect';
import { resolveDialect } from '../dialects/resolve';
import { uniqueParameterName } from './distance-expression';
import { resolveVectorColumn } from './vector-column-reference';

const JOIN_ALIAS = 'tv_knn';

/**
 * When `reference`'s column has a `@VectorIndex` of `metric` that is searched through its own table
 * (sqlite-vec's vec0: `WHERE col MATCH ? AND k = ?`) and that table exists, inner-joins the `k`
 * nearest rowids to `qb` and returns true; otherwise leaves `qb` alone and returns false (exact search).
 *
 * @example
 * await joinNearestIndex(qb, 'entity.embedding', query, 'cosine', 10); // true on SQLite with @VectorIndex({ metric: 'cosine' })
 */
export async function joinNearestIndex(qb: SelectQueryBuilder<any>, reference: string, vector: unknown, metric: VectorMetric, k: number): Promise<boolean> {
  const dialect = resolveDialect(qb.connection);
  const support = dialect.indexes;
  if (!support) return false;
  const resolved = resolveVectorColumn(qb, reference);
  const index = vectorIndexesOf(resolved.entity).find(
    (candidate) =>
      candidate.column.propertyPath === resolved.column.propertyPath &&
      candidate.definition.metric === metric &&
      support.kinds[candidate.definition.kind]?.nearestRowids !== undefined,
  );
  const nearest = index && support.kinds[index.definition.kind]!.nearestRowids!;
  if (!index || !nearest || k > nearest.maxK) return false;
  const escape = (identifier: string) => qb.connection.driver.escape(identifier);
  const exists = support.indexExistsQuery(index.definition, escape);
  const rows: unknown = await qb.connection.query(exists.sql, exists.parameters);
  if (!Array.isArray(rows) || rows.length === 0) return false;
  const subject = `Query vector for ${resolved.spec.subject}`;
  const encoded = dialect.encode(validateVector(vector, resolved.spec.dimensions, subject), subject);
  const vectorName = uniqueParameterName('vector');
  const kName = uniqueParameterName('k');
  qb.setParameter(vectorName, encoded);
  qb.setParameter(kName, k);
  const subquery = nearest.sql(index.definition, escape, dialect.parameterSql(`:${vectorName}`), `:${kName}`);
  const alias = qb.alias;
  qb.innerJoin(`(${subquery})`, JOIN_ALIAS, `${escape(JOIN_ALIAS)}.${escape('tv_rowid')} = ${escape(alias)}.${nearest.rowidSql}`);
  return true;
}
