import type { DataSourceOptions } from 'typeorm';
import { decodeFloat32Blob, encodeFloat32Blob } from '../codecs';
import { loadSqliteVec } from '../connection/load-sqlite-vec';
import { SqliteVecSubscriber } from '../connection/sqlite-vec-subscriber';
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
 * sqlite-vec is loaded on every connection by `SqliteVecSubscriber`.
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
  setUpConnection: addSqliteVecSubscriber,
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

function addSqliteVecSubscriber(options: DataSourceOptions): ConnectionSetup {
  const subscribers = Array.isArray(options.subscribers) ? options.subscribers : Object.values(options.subscribers ?? {});
  if (subscribers.includes(SqliteVecSubscriber)) return { options };
  return { options: { ...options, subscribers: [...subscribers, SqliteVecSubscriber] } as DataSourceOptions };
}

function loadInPrepareDatabase(options: DataSourceOptions): ConnectionSetup {
  const userPrepare = (options as { prepareDatabase?: (db: unknown) => unknown }).prepareDatabase;
  return {
    options: {
      ...options,
      prepareDatabase: async (db: unknown) => {
        loadSqliteVec(db as never);
        await userPrepare?.(db);
      },
    } as DataSourceOptions,
  };
}
