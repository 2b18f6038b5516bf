import type { CatalogTable } from './dialect';

/**
 * The declared type of each column of a MariaDB/MySQL table (`COLUMN_TYPE`, e.g. `vector(3)`),
 * as rows `{ name, type }`: the `declaredColumnTypes` of both MySQL-family dialects.
 *
 * @example
 * mysqlDeclaredColumnTypes({ tableName: 'doc' });
 * // { sql: 'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM ... WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?', parameters: [null, 'doc'] }
 */
export function mysqlDeclaredColumnTypes(table: CatalogTable): { sql: string; parameters: unknown[] } {
  return {
    sql:
      'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM INFORMATION_SCHEMA.COLUMNS ' +
      'WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
    parameters: [table.database ?? null, table.tableName],
  };
}
