import type { DataSource, DataSourceOptions } from 'typeorm';
import { UnsupportedVectorFeatureError } from '../errors';
import type { VectorDialect } from './dialect';
import { libsqlConnectionOf } from '../connection/libsql/libsql-options';
import { libsqlDialect } from './libsql';
import { postgresDialect } from './postgres';
import { betterSqlite3VecDialect, sqliteVecDialect } from './sqlite-vec';

/**
 * The dialect for DataSource options. This file is the only place in the library that reads
 * `options.type`. A libSQL DataSource has `type: 'better-sqlite3'` (TypeORM's SQLite query
 * building) and, as its `driver`, the marker that `libsql()` puts there.
 *
 * @example
 * dialectForOptions({ type: 'postgres' }).name; // 'PostgreSQL (pgvector)'
 */
export function dialectForOptions(options: Pick<DataSourceOptions, 'type'> & { driver?: unknown }): VectorDialect {
  const type: string = options.type;
  switch (type) {
    case 'postgres':
      return postgresDialect;
    case 'better-sqlite3':
      return libsqlConnectionOf(options) ? libsqlDialect : betterSqlite3VecDialect;
    case 'sqlite':
      return sqliteVecDialect;
    default:
      throw new UnsupportedVectorFeatureError(
        `typeorm-vector does not support DataSource type '${type}'; use postgres, better-sqlite3, sqlite, or libsql({ url }).`,
      );
  }
}

/**
 * The dialect of a DataSource.
 *
 * @example
 * resolveDialect(dataSource).name; // 'SQLite (sqlite-vec)'
 */
export function resolveDialect(dataSource: DataSource): VectorDialect {
  return dialectForOptions(dataSource.options);
}
