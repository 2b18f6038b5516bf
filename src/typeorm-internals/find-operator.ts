/**
 * Whether `value` is a TypeORM `FindOperator` (`In(...)`, `IsNull()`, ...) from any copy of TypeORM:
 * a transformer must pass those through untouched.
 *
 * Touch point: the `'@instanceof'` marker, `Symbol.for('FindOperator')`, TypeORM sets on FindOperator.
 *
 * @example
 * isFindOperator(IsNull()); // true
 */
export function isFindOperator(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { '@instanceof'?: unknown })['@instanceof'] === Symbol.for('FindOperator');
}
