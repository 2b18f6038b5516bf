import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { isVectorMetric, quotedList, VECTOR_METRICS, type VectorMetric } from '../vocabulary';
import type { VectorDialect } from './dialect';

/**
 * Throws unless `metric` is a known metric that `dialect` computes.
 *
 * @example
 * assertMetric(sqliteVecDialect, 'inner_product'); // throws UnsupportedVectorFeatureError
 */
export function assertMetric(dialect: VectorDialect, metric: unknown): asserts metric is VectorMetric {
  if (!isVectorMetric(metric)) {
    throw new VectorConfigurationError(`Unknown metric ${JSON.stringify(metric)}; use one of ${quotedList(VECTOR_METRICS)}.`);
  }
  const { name, metrics, noDistanceMessage } = dialect.capabilities;
  if (metrics.includes(metric)) return;
  if (noDistanceMessage) throw new UnsupportedVectorFeatureError(noDistanceMessage(metric));
  const advice =
    metric === 'inner_product'
      ? `use 'cosine' on normalised vectors instead (it orders them the same way)`
      : `use one of ${quotedList(metrics)} instead`;
  throw new UnsupportedVectorFeatureError(`${name} has no '${metric}' distance; ${advice}.`);
}
