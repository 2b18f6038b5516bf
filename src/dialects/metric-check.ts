import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { isVectorMetric, quotedList, VECTOR_METRICS, type VectorElementType, type VectorMetric } from '../vocabulary';
import type { VectorDialect } from './dialect';
import { elementTypeSupport } from './element-types';

/**
 * Throws unless `metric` is a known metric that `dialect` computes on vectors of element type `type`.
 *
 * @example
 * assertMetric(sqliteVecDialect, 'inner_product'); // throws UnsupportedVectorFeatureError
 * assertMetric(postgresDialect, 'l2', 'bit');       // throws: use 'hamming', 'jaccard'
 */
export function assertMetric(dialect: VectorDialect, metric: unknown, type: VectorElementType = 'float32'): asserts metric is VectorMetric {
  if (!isVectorMetric(metric)) {
    throw new VectorConfigurationError(`Unknown metric ${JSON.stringify(metric)}; use one of ${quotedList(VECTOR_METRICS)}.`);
  }
  const { name, noDistanceMessage } = dialect.capabilities;
  const { metrics } = elementTypeSupport(dialect, type);
  if (metrics.includes(metric)) return;
  if (noDistanceMessage) throw new UnsupportedVectorFeatureError(noDistanceMessage(metric));
  if (type !== 'float32') {
    throw new UnsupportedVectorFeatureError(`${name} has no '${metric}' distance on ${type} vectors; use ${metrics.length ? quotedList(metrics) : 'another element type'} instead.`);
  }
  const advice =
    metric === 'inner_product'
      ? `use 'cosine' on normalised vectors instead (it orders them the same way)`
      : `use one of ${quotedList(metrics)} instead`;
  throw new UnsupportedVectorFeatureError(`${name} has no '${metric}' distance; ${advice}.`);
}
