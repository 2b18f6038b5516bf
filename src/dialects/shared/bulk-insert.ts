import type { BulkLoadDialect } from '../bulk-load';

/**
 * SQLite and libSQL: multi-row INSERTs of at most 32,766 bound values (SQLITE_MAX_VARIABLE_NUMBER
 * since SQLite 3.32), generated keys read back with `RETURNING` (SQLite 3.35+).
 *
 * @example
 * sqliteBulkInsert.maxParameters; // 32766
 */
export const sqliteBulkInsert: BulkLoadDialect = { kind: 'insert', maxParameters: 32766, returning: true };

/**
 * MariaDB: multi-row INSERTs of at most 65,535 placeholders (the client/server protocol's limit),
 * run as prepared statements through mysql2's `execute` (binary protocol), generated keys read
 * back with `INSERT ... RETURNING` (MariaDB 10.5+).
 *
 * @example
 * mariadbBulkInsert.returning; // true
 */
export const mariadbBulkInsert: BulkLoadDialect = { kind: 'insert', maxParameters: 65535, returning: true, execute: true };

/**
 * MySQL: as MariaDB, but without `INSERT ... RETURNING`, so generated keys are not read back.
 *
 * @example
 * mysqlBulkInsert.returning; // false
 */
export const mysqlBulkInsert: BulkLoadDialect = { kind: 'insert', maxParameters: 65535, returning: false, execute: true };
