import type { DataSource, DataSourceOptions } from 'typeorm';
import { UnsupportedVectorFeatureError } from '../errors';
import type { VectorDialect } from './dialect';
import { postgresDialect } from './postgres';
import { betterSqlite3VecDialect, sqliteVecDialect } from './sqlite-vec';

/**
 * The dialect for DataSource options. This file is the only place in the library that reads
 * `options.type`.
 *
 * @example
 * dialectForOptions({ type: 'postgres' }).name; // 'PostgreSQL (pgvector)'
 */
export function dialectForOptions(options: Pick<DataSourceOptions, 'type'>): VectorDialect {
  const type: string = options.type;
  switch (type) {
    case 'postgres':
      return postgresDialect;
    case 'better-sqlite3':
      return betterSqlite3VecDialect;
    case 'sqlite':
      return sqliteVecDialect;
    default:
      throw new UnsupportedVectorFeatureError(
        `typeorm-vector does not support DataSource type '${type}'; use postgres, better-sqlite3 or sqlite.`,
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
