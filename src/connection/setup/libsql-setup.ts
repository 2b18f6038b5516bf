import type { DataSourceOptions } from 'typeorm';
import { libsqlConnectionOf } from '../../dialects';
import { VectorConfigurationError } from '../../errors';
import { LibsqlDriver } from '../libsql/libsql-driver';
import type { LibsqlConnectionOptions } from '../libsql/libsql-options';
import type { ConnectionSetup } from './connection-setup';

/**
 * libSQL through `@libsql/client`: typeorm-vector's own driver replaces the better-sqlite3 driver
 * TypeORM built for the options `libsql()` made.
 *
 * @example
 * libsqlSetup(libsql({ url: ':memory:' })).createDriver!(dataSource);
 */
export function libsqlSetup(options: DataSourceOptions): ConnectionSetup {
  const connection = libsqlConnectionOf<LibsqlConnectionOptions>(options as { driver?: unknown });
  if (!connection) {
    throw new VectorConfigurationError('These DataSource options were not made by libsql(); spread libsql({ url }) into them.');
  }
  return { options, createDriver: (dataSource) => new LibsqlDriver(dataSource, connection) };
}
