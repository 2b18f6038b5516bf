import type { DataSourceOptions } from 'typeorm';
import { VectorConfigurationError } from '../../errors';
import { VectorDataSource } from '../vector-data-source';
import { libsql, LIBSQL_CONNECTION_KEYS, type CreateLibsqlDataSourceOptions } from './libsql-options';

/**
 * A `VectorDataSource` on libSQL (local `file:` / `:memory:`, Turso, sqld), in one call: the
 * connection options of `libsql()` and TypeORM's DataSource options side by side. Keys that are not
 * libSQL's go to TypeORM, except a miscased libSQL key (`authtoken`), which is refused.
 *
 * @example
 * export const dataSource = createLibsqlDataSource({
 *   url: 'libsql://my-db-me.turso.io', authToken: process.env.TURSO_TOKEN,
 *   entities: [Doc], migrations: ['migrations/*.ts'],
 * });
 * await dataSource.initialize();
 */
export function createLibsqlDataSource(options: CreateLibsqlDataSourceOptions): VectorDataSource {
  const connection: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (LIBSQL_CONNECTION_KEYS.includes(key)) connection[key] = value;
    else if (LIBSQL_CONNECTION_KEYS.some((known) => known.toLowerCase() === key.toLowerCase())) {
      throw new VectorConfigurationError(`createLibsqlDataSource has no option '${key}'; use ${LIBSQL_CONNECTION_KEYS.join(', ')} or TypeORM's DataSource options.`);
    } else rest[key] = value;
  }
  return new VectorDataSource({ ...rest, ...libsql(connection as never) } as DataSourceOptions);
}
