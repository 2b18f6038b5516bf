import type { DataSourceOptions } from 'typeorm';
import { loadSqliteVec } from '../load-sqlite-vec';
import { installedSqlite3WithSqliteVec, sqlite3WithSqliteVec, type Sqlite3Module } from '../sqlite3-with-sqlite-vec';
import type { ConnectionSetup } from './connection-setup';

/**
 * sqlite-vec on better-sqlite3: loaded by the driver's `prepareDatabase` hook (composed with the
 * user's), which runs on every connection before TypeORM's first query. Synchronous up to the user's
 * hook: older TypeORM 0.3 releases call prepareDatabase without awaiting it, so a failed load must
 * throw here, not reject a promise nobody handles.
 *
 * @example
 * new DataSource(betterSqlite3Setup({ type: 'better-sqlite3', database: 'app.db' }).options);
 */
export function betterSqlite3Setup(options: DataSourceOptions): ConnectionSetup {
  const userPrepare = (options as { prepareDatabase?: (db: unknown) => unknown }).prepareDatabase;
  return {
    options: {
      ...options,
      prepareDatabase: (db: unknown) => {
        loadSqliteVec(db as never);
        return userPrepare?.(db);
      },
    } as DataSourceOptions,
  };
}

/**
 * sqlite-vec on TypeORM 0.3's `sqlite` driver (node sqlite3): the driver module is wrapped so every
 * database it opens loads sqlite-vec before the open callback fires. The driver, not a subscriber:
 * the TypeORM CLI's migration commands clear `subscribers` before connecting, and a failed load then
 * fails `initialize()` instead of a later query.
 *
 * @example
 * new DataSource(sqlite3Setup({ type: 'sqlite', database: 'app.db' }).options);
 */
export function sqlite3Setup(options: DataSourceOptions): ConnectionSetup {
  const userDriver = (options as { driver?: Sqlite3Module }).driver;
  const driver = userDriver ? sqlite3WithSqliteVec(userDriver) : installedSqlite3WithSqliteVec();
  return { options: { ...options, driver } as DataSourceOptions };
}
