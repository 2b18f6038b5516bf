import type { DataSourceOptions } from 'typeorm';
import { pgliteConnectionOf } from '../../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../../errors';
import { pgliteDriverModule } from '../pglite/pglite-driver-module';
import { describePglite, type PgliteConnectionOptions } from '../pglite/pglite-options';
import type { ConnectionSetup } from './connection-setup';
import { pgSetup } from './pg-setup';

/**
 * How long a statement waits for PGlite's one session by default (while another query runner's
 * transaction holds it) before it fails with a sentence naming the cause, typically a query sent
 * outside the open transaction from inside it.
 *
 * @example
 * new VectorDataSource({ ...pglite(), connectTimeoutMS: 5 * 60_000 }); // wait longer than PGLITE_CONNECT_TIMEOUT_MS
 */
export const PGLITE_CONNECT_TIMEOUT_MS = 60_000;

/**
 * PGlite: the PostgreSQL setup (vector type parser, catalog reads) on TypeORM's own PostgreSQL
 * driver, whose `pg` module is replaced by one that connects to PGlite (see
 * pglite-driver-module.ts). `replication` is refused: PGlite is one database in this process, with
 * no replicas. `poolSize` keeps its meaning (clients of the pool), but the clients share PGlite's
 * one session: statements take turns and transactions run one at a time.
 *
 * @example
 * pgliteSetup(pglite({ dataDir: './db' })).options.driver; // a pg module that opens ./db
 */
export function pgliteSetup(options: DataSourceOptions): ConnectionSetup {
  const connection = pgliteConnectionOf<PgliteConnectionOptions>(options as { driver?: unknown });
  if (!connection) throw new VectorConfigurationError('These DataSource options were not made by pglite(); spread pglite({ dataDir }) into them.');
  const where = describePglite(connection);
  const { replication, connectTimeoutMS } = options as { replication?: unknown; connectTimeoutMS?: number };
  if (replication !== undefined) {
    throw new UnsupportedVectorFeatureError(
      `${where} has no replicas to read from (PGlite is one database inside this process); remove replication from the options, or use a PostgreSQL server.`,
    );
  }
  return pgSetup({ ...options, driver: pgliteDriverModule(connection), connectTimeoutMS: connectTimeoutMS ?? PGLITE_CONNECT_TIMEOUT_MS } as DataSourceOptions);
}
