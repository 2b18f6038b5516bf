/**
 * Distance metrics. `inner_product` is the negative inner product, so smaller is closer for every
 * metric. `hamming` (differing bits) and `jaccard` (1 - shared / either) compare bit vectors.
 *
 * @example
 * const metric: VectorMetric = 'cosine';
 */
export type VectorMetric = 'l2' | 'cosine' | 'inner_product' | 'l1' | 'hamming' | 'jaccard';

/**
 * Every metric name the library knows, in the order error messages list them.
 *
 * @example
 * VECTOR_METRICS.includes('cosine'); // true
 */
export const VECTOR_METRICS: readonly VectorMetric[] = ['l2', 'cosine', 'inner_product', 'l1', 'hamming', 'jaccard'];

/**
 * Whether `value` names a metric the library knows (whatever a backend computes).
 *
 * @example
 * isVectorMetric('cosine'); // true
 * isVectorMetric('dot');    // false
 */
export function isVectorMetric(value: unknown): value is VectorMetric {
  return typeof value === 'string' && (VECTOR_METRICS as readonly string[]).includes(value);
}

/**
 * A list of names as error messages write it: `'l2', 'cosine'`.
 *
 * @example
 * quotedList(['l2', 'cosine']); // "'l2', 'cosine'"
 */
export function quotedList(names: readonly string[]): string {
  return names.map((name) => `'${name}'`).join(', ');
}
