import type { CatalogTable, ParameterizedSql } from '../../vocabulary';

/**
 * The declared type of each column of a MariaDB/MySQL table (`COLUMN_TYPE`, e.g. `vector(3)`),
 * as rows `{ name, type }`.
 *
 * @example
 * mysqlDeclaredColumnTypes({ tableName: 'doc' }).parameters; // [null, 'doc']
 */
export function mysqlDeclaredColumnTypes(table: CatalogTable): ParameterizedSql {
  return {
    sql: 'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?',
    parameters: [table.database ?? null, table.tableName],
  };
}

