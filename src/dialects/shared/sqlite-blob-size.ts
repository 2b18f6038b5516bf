/**
 * A `VectorCodec.sizeCheckSql` for SQLite's and libSQL's BLOBs of `bytesOf(dimensions)` bytes: it
 * holds for NULL and a BLOB of that size, and fails for a text or number value or a BLOB of another size.
 *
 * @example
 * sqliteSizeCheck((dimensions) => 4 * dimensions)('"embedding"', 4);
 * // `"embedding" IS NULL OR (typeof("embedding") = 'blob' AND length("embedding") = 16)`
 */
export function sqliteSizeCheck(bytesOf: (dimensions: number) => number): (columnSql: string, dimensions: number) => string {
  return (columnSql, dimensions) => `${columnSql} IS NULL OR (typeof(${columnSql}) = 'blob' AND length(${columnSql}) = ${bytesOf(dimensions)})`;
}
