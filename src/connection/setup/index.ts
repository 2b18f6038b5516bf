import type { DataSourceOptions } from 'typeorm';
import type { DriverKind } from '../../dialects';
import type { ConnectionSetup } from './connection-setup';
import { cockroachdbSetup } from './cockroachdb-setup';
import { libsqlSetup } from './libsql-setup';
import { mysql2Setup } from './mysql2-setup';
import { pgSetup } from './pg-setup';
import { pgliteSetup } from './pglite-setup';
import { betterSqlite3Setup, sqlite3Setup } from './sqlite-setup';

export type { ConnectionSetup, MetadataContext } from './connection-setup';

/**
 * The connection setup of each Node driver, keyed by the `DriverKind` that `resolveOptions` read
 * from the options (this file never reads `options.type`).
 *
 * @example
 * CONNECTION_SETUPS['better-sqlite3'](options).options.prepareDatabase; // loads sqlite-vec
 */
export const CONNECTION_SETUPS: Readonly<Record<DriverKind, (options: DataSourceOptions) => ConnectionSetup>> = {
  pg: pgSetup,
  pglite: pgliteSetup,
  'pg-cockroachdb': cockroachdbSetup,
  'better-sqlite3': betterSqlite3Setup,
  sqlite3: sqlite3Setup,
  'libsql-client': libsqlSetup,
  mysql2: mysql2Setup,
};
