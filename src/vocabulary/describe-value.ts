/**
 * A short description of any value for an error message: `null`, `the string "abc"`, `an array of
 * length 3`, `a Float64Array`, `NaN`.
 *
 * @example
 * describeValue('[1,2]'); // 'the string "[1,2]"'
 * describeValue({});      // 'a Object'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return `a ${(value as object).constructor?.name ?? 'object'}`;
  return `a ${typeof value}`;
}
