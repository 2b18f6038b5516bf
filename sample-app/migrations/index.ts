/**
 * The sample app's migrations, made by `migration:generate` (see ormconfig.ts), one folder per
 * backend because each backend's SQL differs. The app runs its backend's list at start-up.
 */
import type { BackendKind } from '../backend-options';
import { Init1796167193536 as PostgresInit } from './postgres/1796167193536-Init';
import { Init1796167192229 as SqliteInit } from './sqlite/1796167192229-Init';
import { Init1796167194093 as MariadbInit } from './mariadb/1796167194093-Init';
import { Init1796167193586 as LibsqlInit } from './libsql/1796167193586-Init';

export const MIGRATIONS: Record<BackendKind, Function[]> = {
  postgres: [PostgresInit],
  pglite: [PostgresInit],
  sqlite: [SqliteInit],
  mariadb: [MariadbInit],
  libsql: [LibsqlInit],
};
