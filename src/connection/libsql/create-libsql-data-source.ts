import type { DataSourceOptions } from 'typeorm';
import { VectorDataSource } from '../vector-data-source';
import { libsql, LIBSQL_CONNECTION_KEYS, type CreateLibsqlDataSourceOptions } from './libsql-options';

/**
 * A `VectorDataSource` on libSQL (local `file:` / `:memory:`, Turso, sqld), in one call: the
 * connection options of `libsql()` and TypeORM's DataSource options side by side.
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
    else rest[key] = value;
  }
  return new VectorDataSource({ ...rest, ...libsql(connection as never) } as DataSourceOptions);
}
