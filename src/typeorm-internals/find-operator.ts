/** The `'@instanceof'` markers of TypeORM's find operators: `EqualOperator` (what `Equal()` makes) replaces FindOperator's with its own. */
const FIND_OPERATOR_MARKERS = [Symbol.for('FindOperator'), Symbol.for('EqualOperator')];

/**
 * Whether `value` is a TypeORM `FindOperator` (`In(...)`, `IsNull()`, `Equal(...)`, ...) from any
 * copy of TypeORM: a transformer must pass those through untouched, and a filter translator reads
 * their public `type`, `value` and `child`.
 *
 * Touch point: the `'@instanceof'` marker TypeORM sets on FindOperator (`Symbol.for('FindOperator')`)
 * and on its subclass EqualOperator (`Symbol.for('EqualOperator')`), as TypeORM's own
 * `InstanceChecker.isFindOperator` reads them.
 *
 * @example
 * isFindOperator(IsNull()); // true
 * isFindOperator(Equal(3)); // true
 */
export function isFindOperator(value: unknown): boolean {
  return typeof value === 'object' && value !== null && FIND_OPERATOR_MARKERS.includes((value as { '@instanceof'?: unknown })['@instanceof'] as symbol);
}
