import type { DataSource, DataSourceOptions } from 'typeorm';
import { UnsupportedVectorFeatureError } from '../errors';
import type { VectorDialect } from './dialect';
import { libsqlConnectionOf } from '../connection/libsql/libsql-options';
import { libsqlDialect } from './libsql';
import { mariadbDialect } from './mariadb';
import { mysqlDialect } from './mysql';
import { detectMysqlFamilyDialect } from './mysql-family';
import { postgresDialect } from './postgres';
import { betterSqlite3VecDialect, sqliteVecDialect } from './sqlite-vec';

/**
 * The dialect for DataSource options. This file is the only place in the library that reads
 * `options.type`. For `mysql` and `mariadb` this is provisional: mysql2 reaches both servers, so
 * `detectDialect` asks the server once it is connected. A libSQL DataSource has
 * `type: 'better-sqlite3'` (TypeORM's SQLite query building) and, as its `driver`, the marker
 * that `libsql()` puts there.
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
    case 'mariadb':
      return mariadbDialect;
    case 'mysql':
      return mysqlDialect;
    default:
      throw new UnsupportedVectorFeatureError(
        `typeorm-vector does not support DataSource type '${type}'; use postgres, better-sqlite3, sqlite, mariadb or mysql, or spread libsql({ url }) into the options.`,
      );
  }
}

/** Databases whose options type does not tell the server apart, with how to ask the server. */
const SERVER_DETECTORS: Partial<Record<string, (dataSource: DataSource) => Promise<VectorDialect>>> = {
  mysql: detectMysqlFamilyDialect,
  mariadb: detectMysqlFamilyDialect,
};

const detectedDialects = new WeakMap<DataSource, VectorDialect>();

/**
 * Settles the dialect of a connected DataSource, asking the server where the options type is not
 * enough (MariaDB or MySQL behind mysql2), once per DataSource; `resolveDialect` then returns it.
 * `VectorDataSource` calls this while it initializes.
 *
 * @example
 * await detectDialect(dataSource); // MariaDB for type: 'mysql' pointed at MariaDB 11.8
 */
export async function detectDialect(dataSource: DataSource): Promise<VectorDialect> {
  const known = detectedDialects.get(dataSource);
  if (known) return known;
  // Nothing to ask before the driver connected: keep the options' dialect, and ask next time.
  if (!dataSource.isInitialized) return dialectForOptions(dataSource.options);
  const detector = SERVER_DETECTORS[dataSource.options.type];
  const dialect = detector ? await detector(dataSource) : dialectForOptions(dataSource.options);
  detectedDialects.set(dataSource, dialect);
  return dialect;
}

/**
 * The dialect of a DataSource: the one `detectDialect` settled, or else the one its options name.
 *
 * @example
 * resolveDialect(dataSource).name; // 'SQLite (sqlite-vec)'
 */
export function resolveDialect(dataSource: DataSource): VectorDialect {
  return detectedDialects.get(dataSource) ?? dialectForOptions(dataSource.options);
}
