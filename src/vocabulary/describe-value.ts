/**
 * A short description of any value for an error message: `null`, `the string "abc"`, `an array of
 * length 3`, `a Float64Array`, `NaN`.
 *
 * @example
 * describeValue('[1,2]'); // 'the string "[1,2]"'
 * describeValue({ a: 1 }); // 'an object with keys [a]'
 * describeValue(new Float64Array(2)); // 'a Float64Array'
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === Object.prototype || prototype === null) return `an object with keys [${Object.keys(value as object).slice(0, 5).join(', ')}]`;
    const name = (value as object).constructor?.name ?? 'object';
    return `${/^[AEIOU]/i.test(name) ? 'an' : 'a'} ${name}`;
  }
  return `a ${typeof value}`;
}
