/**
 * `text` as a regular expression matching itself, for names read out of plan text.
 *
 * @example
 * new RegExp(literalPattern('doc.v1')).test('doc.v1'); // true, and false for 'docxv1'
 */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A name as a plan may print it: bare, or quoted with `"` (PostgreSQL quotes names that need it).
 *
 * @example
 * new RegExp(`^${planName('Doc')}$`).test('"Doc"'); // true
 */
export function planName(name: string): string {
  const bare = literalPattern(name);
  return `(?:${bare}|"${literalPattern(name.replace(/"/g, '""'))}")`;
}
