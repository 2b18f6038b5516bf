import type { DataSourceOptions } from 'typeorm';
import { pgliteConnectionOf } from '../../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../../errors';
import { pgliteDriverModule } from '../pglite/pglite-driver-module';
import { describePglite, type PgliteConnectionOptions } from '../pglite/pglite-options';
import type { ConnectionSetup } from './connection-setup';
import { pgSetup } from './pg-setup';

/**
 * How long a query runner waits for PGlite's one connection by default before it fails with a
 * sentence naming the cause (a query sent outside the open transaction that holds it).
 *
 * @example
 * new VectorDataSource({ ...pglite(), connectTimeoutMS: 5 * 60_000 }); // wait longer than PGLITE_CONNECT_TIMEOUT_MS
 */
export const PGLITE_CONNECT_TIMEOUT_MS = 60_000;

/**
 * PGlite: the PostgreSQL setup (vector type parser, catalog reads) on TypeORM's own PostgreSQL
 * driver, whose `pg` module is replaced by one that connects to PGlite (see
 * pglite-driver-module.ts). Options PGlite cannot honour are refused: `replication` (PGlite is one
 * database in this process, with no replicas) and a `poolSize` other than 1 (it is one session).
 *
 * @example
 * pgliteSetup(pglite({ dataDir: './db' })).options.driver; // a pg module that opens ./db
 */
export function pgliteSetup(options: DataSourceOptions): ConnectionSetup {
  const connection = pgliteConnectionOf<PgliteConnectionOptions>(options as { driver?: unknown });
  if (!connection) throw new VectorConfigurationError('These DataSource options were not made by pglite(); spread pglite({ dataDir }) into them.');
  const where = describePglite(connection);
  const { replication, poolSize, connectTimeoutMS } = options as { replication?: unknown; poolSize?: unknown; connectTimeoutMS?: number };
  if (replication !== undefined) {
    throw new UnsupportedVectorFeatureError(
      `${where} has no replicas to read from (PGlite is one database inside this process); remove replication from the options, or use a PostgreSQL server.`,
    );
  }
  if (poolSize !== undefined && poolSize !== 1) {
    throw new UnsupportedVectorFeatureError(
      `poolSize ${JSON.stringify(poolSize)} cannot apply to ${where}, which is one PostgreSQL session; remove poolSize (queries take turns on the one connection).`,
    );
  }
  return pgSetup({ ...options, driver: pgliteDriverModule(connection), connectTimeoutMS: connectTimeoutMS ?? PGLITE_CONNECT_TIMEOUT_MS } as DataSourceOptions);
}
