import type { DataSource } from 'typeorm';
import { vectorIndexesOf } from '../column/vector-index-attachment';
import { UnsupportedVectorFeatureError } from '../errors';
import type { VectorMetric } from '../vocabulary';
import type { ResolvedVectorColumn } from './vector-column-reference';

const warned = new WeakMap<DataSource, Set<string>>();

/**
 * When `resolved`'s column has `@VectorIndex`es and none serves `metric`, the query cannot use them and scans
 * every row: logs a warning through TypeORM's logger (once per DataSource, column and metric), or
 * throws `UnsupportedVectorFeatureError` when `strict` (or the index's own `strict`) is set.
 *
 * @example
 * checkIndexMetric(dataSource, resolveVectorColumn(qb, 'doc.embedding'), 'l2'); // warns: its vector index serves 'cosine'
 */
export function checkIndexMetric(dataSource: DataSource, resolved: ResolvedVectorColumn, metric: VectorMetric, strict?: boolean): void {
  const indexes = vectorIndexesOf(resolved.entity).filter((index) => index.column.propertyPath === resolved.column.propertyPath);
  if (!indexes.length || indexes.some((index) => index.definition.metric === metric)) return;
  const names = indexes.map((index) => `'${index.definition.name}' (${index.definition.metric})`).join(', ');
  const message = `${resolved.spec.subject} is ordered by '${metric}' distance but its vector index ${names} serves another metric, so every row is scanned; order by ${indexes.map((i) => `'${i.definition.metric}'`).join(' or ')} or add @VectorIndex({ metric: '${metric}' }).`;
  if (strict ?? indexes.some((index) => index.strict)) throw new UnsupportedVectorFeatureError(message);
  let seen = warned.get(dataSource);
  if (!seen) warned.set(dataSource, (seen = new Set()));
  const key = `${resolved.entity.name}.${resolved.column.propertyPath}:${metric}`;
  if (seen.has(key)) return;
  seen.add(key);
  dataSource.logger.log('warn', message);
}
