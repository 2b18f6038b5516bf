/** An SQL statement with its bound parameters. */
export interface ParameterizedSql {
  sql: string;
  parameters: unknown[];
}

/** Quotes one identifier the way the connection's driver does (`driver.escape`). */
export type EscapeIdentifier = (identifier: string) => string;

/** A table as the driver's `parseTableName` names it; `database`/`schema` absent means the current one. */
export interface CatalogTable {
  database?: string;
  schema?: string;
  tableName: string;
}

/**
 * Splits `schema.table` into its parts (one or two).
 *
 * @example
 * tableParts('search.document'); // { schema: 'search', name: 'document' }
 */
export function tableParts(table: string): { schema: string | undefined; name: string } {
  const parts = table.split('.');
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: undefined, name: parts[0]! };
}

/**
 * `"schema"."table"` or `"table"`, each part quoted with `escape`.
 *
 * @example
 * escapeTable('search.document', (n) => `"${n}"`); // '"search"."document"'
 */
export function escapeTable(table: string, escape: EscapeIdentifier): string {
  return table.split('.').map(escape).join('.');
}
