import type { DataSourceOptions } from 'typeorm';
import { decodeFloat32Blob, encodeFloat32Blob } from '../codecs';
import { loadSqliteVec } from '../connection/load-sqlite-vec';
import { installedSqlite3WithSqliteVec, sqlite3WithSqliteVec, type Sqlite3Module } from '../connection/sqlite3-with-sqlite-vec';
import { VectorValueError } from '../errors';
import { sqliteVecIndexes } from './sqlite-vec-index';
import type { ConnectionSetup, VectorDialect, VectorMetric } from './dialect';

const FUNCTIONS: Partial<Record<VectorMetric, string>> = {
  l2: 'vec_distance_l2',
  cosine: 'vec_distance_cosine',
  l1: 'vec_distance_l1',
};

/**
 * SQLite with the sqlite-vec extension: float32 little-endian BLOB columns and the
 * `vec_distance_l2`, `vec_distance_cosine` and `vec_distance_l1` functions (no inner product).
 * On TypeORM 0.3's `sqlite` driver (node sqlite3), sqlite-vec is loaded into every connection by
 * the wrapped `driver` module (`sqlite3WithSqliteVec`), before TypeORM's first statement.
 *
 * @example
 * sqliteVecDialect.distanceSql('l2', '"doc"."embedding"', '?'); // vec_distance_l2("doc"."embedding", ?)
 */
export const sqliteVecDialect: VectorDialect = {
  name: 'SQLite (sqlite-vec)',
  maxDimensions: 8192,
  metrics: ['l2', 'cosine', 'l1'],
  columnType: () => ({ type: 'blob' }),
  encode: encodeFloat32Blob,
  decode(raw, subject) {
    if (raw instanceof Uint8Array) return decodeFloat32Blob(raw, subject);
    throw new VectorValueError(`${subject} returned a ${typeof raw} instead of a float32 BLOB; was it written by typeorm-vector?`);
  },
  parameterSql: (placeholder) => placeholder,
  distanceSql: (metric, columnSql, vectorSql) => `${FUNCTIONS[metric]!}(${columnSql}, ${vectorSql})`,
  setUpConnection: loadThroughSqlite3Driver,
  indexes: sqliteVecIndexes,
};

/**
 * sqlite-vec on better-sqlite3: loaded by the driver's `prepareDatabase` hook, which runs on every
 * connection before TypeORM's first query.
 *
 * @example
 * betterSqlite3VecDialect.setUpConnection!({ type: 'better-sqlite3', database: ':memory:' });
 */
export const betterSqlite3VecDialect: VectorDialect = { ...sqliteVecDialect, setUpConnection: loadInPrepareDatabase };

/**
 * The driver, not a subscriber: the TypeORM CLI's migration commands clear `subscribers` before
 * connecting, and a failed load then fails `initialize()` instead of a later query.
 */
function loadThroughSqlite3Driver(options: DataSourceOptions): ConnectionSetup {
  const userDriver = (options as { driver?: Sqlite3Module }).driver;
  const driver = userDriver ? sqlite3WithSqliteVec(userDriver) : installedSqlite3WithSqliteVec();
  return { options: { ...options, driver } as DataSourceOptions };
}

function loadInPrepareDatabase(options: DataSourceOptions): ConnectionSetup {
  const userPrepare = (options as { prepareDatabase?: (db: unknown) => unknown }).prepareDatabase;
  return {
    options: {
      ...options,
      // Synchronous up to the user's hook: older TypeORM 0.3 releases call prepareDatabase without
      // awaiting it, so a failed load must throw here, not reject a promise nobody handles.
      prepareDatabase: (db: unknown) => {
        loadSqliteVec(db as never);
        return userPrepare?.(db);
      },
    } as DataSourceOptions,
  };
}
