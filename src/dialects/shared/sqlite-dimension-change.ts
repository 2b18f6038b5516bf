import { escapeTable, type EscapeIdentifier } from '../../vocabulary';
import type { ColumnDimensionChange } from '../dialect';

/**
 * What runs before a SQLite or libSQL vector column's vectors must all have `change.to`
 * dimensions (TypeORM's table copy into `F32_BLOB(M)`, a vec0 index rebuilt for M): a nullable
 * column has the vectors of another dimension count set to NULL (they cannot be converted: re-embed
 * them); a NOT NULL column gets a guard that fails naming them.
 *
 * @example
 * sqliteDimensionChange({ table: 'doc', column: 'embedding', from: 3, to: 4, nullable: true, primaryColumns: ['id'] }, escape);
 * // ['UPDATE "doc" SET "embedding" = NULL WHERE "embedding" IS NOT NULL AND (typeof("embedding") <> \'blob\' OR length("embedding") <> 16)']
 */
export function sqliteDimensionChange(change: ColumnDimensionChange, escape: EscapeIdentifier): string[] {
  if (change.to === undefined) return [];
  if (change.nullable) return [`UPDATE ${escapeTable(change.table, escape)} SET ${escape(change.column)} = NULL WHERE ${otherDimensions(change, escape)}`];
  return [sqliteDimensionGuard(change, escape)];
}

/** The rows whose vector is not a float32 BLOB of `change.to` dimensions (4 bytes each). */
function otherDimensions(change: ColumnDimensionChange, escape: EscapeIdentifier): string {
  const column = escape(change.column);
  return `${column} IS NOT NULL AND (typeof(${column}) <> 'blob' OR length(${column}) <> ${4 * change.to!})`;
}

/**
 * A SELECT that fails, naming up to ten rows by primary key (else rowid), when a vector of the
 * column does not have `change.to` dimensions. SQLite has no RAISE outside triggers: the message is
 * made the path of a `json_extract`, which fails with it (`bad JSON path: '<message>'`).
 */
function sqliteDimensionGuard(change: ColumnDimensionChange, escape: EscapeIdentifier): string {
  const table = escapeTable(change.table, escape);
  const other = otherDimensions(change, escape);
  const keys = change.primaryColumns.length ? change.primaryColumns.map(escape).join(` || '/' || `) : 'rowid';
  const keyName = change.primaryColumns.length ? change.primaryColumns.join('/') : 'rowid';
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const message =
    `${literal(`${change.table}.${change.column} has `)} || n || ${literal(` rows whose vectors do not have ${change.to} dimensions (${keyName} `)} || keys || ` +
    `CASE WHEN n > 10 THEN ', ...' ELSE '' END || '); re-embed them, delete them or set them to NULL, then run this again.'`;
  return (
    `SELECT json_extract('{}', ${message}) FROM (SELECT count(*) AS n, ` +
    `(SELECT group_concat(k, ', ') FROM (SELECT ${keys} AS k FROM ${table} WHERE ${other} LIMIT 10)) AS keys FROM ${table} WHERE ${other}) WHERE n > 0`
  );
}
