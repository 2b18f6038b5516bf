/**
 * A plain SQL identifier: letters, digits and underscores, not starting with a digit. The one
 * definition every layer uses for index names, aliases and parameter names.
 *
 * @example
 * PLAIN_IDENTIFIER.test('doc_embedding_idx'); // true
 */
export const PLAIN_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * `PLAIN_IDENTIFIER` without its anchors, to build larger patterns from.
 *
 * @example
 * new RegExp(`^(${PLAIN_IDENTIFIER_PATTERN})\\.(${PLAIN_IDENTIFIER_PATTERN})$`).test('doc.embedding'); // true
 */
export const PLAIN_IDENTIFIER_PATTERN = PLAIN_IDENTIFIER.source.slice(1, -1);

/**
 * Whether `value` is a plain SQL identifier (`PLAIN_IDENTIFIER`).
 *
 * @example
 * isPlainIdentifier("x'; DROP TABLE t"); // false
 */
export function isPlainIdentifier(value: unknown): value is string {
  return typeof value === 'string' && PLAIN_IDENTIFIER.test(value);
}
