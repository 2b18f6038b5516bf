/**
 * The dimensions a declared `vector(N)` (or pgvector `sparsevec(N)`) column type names, as
 * PostgreSQL's `format_type` and MariaDB/MySQL's `COLUMN_TYPE` write it, or undefined for any other type.
 *
 * @example
 * declaredVectorDimensions('vector(384)'); // 384
 * declaredVectorDimensions('blob');        // undefined
 */
export function declaredVectorDimensions(declaredType: string): number | undefined {
  const match = /^(?:vector|sparsevec)\((\d+)\)$/i.exec(declaredType);
  return match ? Number(match[1]) : undefined;
}
