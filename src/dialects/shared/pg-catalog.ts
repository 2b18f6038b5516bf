import type { CatalogTable, ParameterizedSql } from '../../vocabulary';

/**
 * The declared type of each column of a table in a PostgreSQL-compatible `pg_catalog`
 * (PostgreSQL, CockroachDB): `format_type` gives `vector(3)`, as rows `{ name, type }`.
 *
 * @example
 * pgDeclaredColumnTypes({ tableName: 'doc' }).parameters; // [null, 'doc']
 */
export function pgDeclaredColumnTypes(table: CatalogTable): ParameterizedSql {
  return {
    sql:
      'SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type FROM pg_catalog.pg_attribute a ' +
      'JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
      'WHERE n.nspname = COALESCE($1::text, current_schema()) AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped',
    parameters: [table.schema ?? null, table.tableName],
  };
}
