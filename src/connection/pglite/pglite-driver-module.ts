import { mkdirSync } from 'node:fs';
import { VectorConfigurationError } from '../../errors';
import { describePglite, type PgliteConnectionOptions, type PgliteInstance } from './pglite-options';
import { loadPg, loadPglitePackages, type PgClient, type PgModule, type PgPool } from './pglite-packages';

/** pg-pool's message when a caller waited `connectionTimeoutMillis` for a free client. */
const POOL_WAIT_TIMEOUT = /timeout exceeded when trying to connect/i;

/**
 * A stand-in for the `pg` module, given to TypeORM's PostgreSQL driver as its `driver` option: its
 * `Pool` opens the PGlite database (or takes the caller's instance), creates pgvector's extension,
 * and connects real `pg` clients to it through PGlite's node-postgres bridge
 * (`@electric-sql/pglite/node-postgres`), so TypeORM's driver, query runner and `pg`'s type
 * parsing run unchanged. PGlite is one PostgreSQL session, so the pool holds one client: queries
 * from other query runners wait for it (up to `connectTimeoutMS`), and a client that was discarded
 * is replaced by one that first rolls back whatever transaction it left open. Ending the pool
 * closes a database it opened. A database opened from `dataDir` creates the folder if missing.
 *
 * @example
 * new DataSource({ type: 'postgres', driver: pgliteDriverModule({ dataDir: './db' }) }); // what VectorDataSource sets up
 */
export function pgliteDriverModule(connection: Readonly<PgliteConnectionOptions>): Pick<PgModule, 'Pool' | 'defaults' | 'types'> {
  const where = describePglite(connection);
  const pg = loadPg(where);

  class PglitePool extends pg.Pool {
    private readonly database: PgliteInstance;
    private readonly owned: boolean;
    private readonly waitMs: number;
    private ready: Promise<void> | undefined;

    constructor(options: Record<string, unknown>) {
      const { database, owned, PglitePgConnection } = openDatabase(connection, where);
      let clients = 0;
      class PgliteClient extends pg.Client {
        constructor(config: Record<string, unknown>) {
          super({ ...config, connection: new PglitePgConnection({ pglite: database }) });
        }

        override async connect(callback?: (error?: Error) => void): Promise<void> {
          const connecting = (async () => {
            await super.connect();
            // PGlite is one session: a client replacing a discarded one must not inherit its open transaction.
            if (clients++ > 0) await this.query('ROLLBACK');
          })();
          if (!callback) return connecting;
          connecting.then(() => callback(), callback);
        }
      }
      super({ ...options, max: 1, idleTimeoutMillis: 0, Client: PgliteClient });
      this.database = database;
      this.owned = owned;
      this.waitMs = Number(options.connectionTimeoutMillis ?? 0);
    }

    override connect(callback?: (error: Error | undefined, client?: PgClient, done?: (error?: Error | boolean) => void) => void): Promise<PgClient> {
      this.ready ??= prepareDatabase(this.database, where);
      const connected = this.ready.then(
        () => super.connect(),
      ).catch((error: unknown) => {
        throw POOL_WAIT_TIMEOUT.test(String((error as Error)?.message))
          ? new VectorConfigurationError(
              `${where} has one connection, and another query runner held it for longer than connectTimeoutMS (${this.waitMs} ms); run this query through the EntityManager or query runner of the open transaction, or raise connectTimeoutMS.`,
              { cause: error },
            )
          : error;
      });
      if (!callback) return connected;
      connected.then(
        (client) => callback(undefined, client, (error) => client.release(error)),
        (error: Error) => callback(error),
      );
      return connected.catch(() => undefined as never);
    }

    override end(callback?: (error?: Error) => void): Promise<void> {
      const ended = super.end().then(() => (this.owned && !this.database.closed ? this.database.close() : undefined));
      if (!callback) return ended;
      ended.then(() => callback(), callback);
      return ended.catch(() => undefined);
    }
  }

  return {
    Pool: PglitePool,
    get defaults() {
      return pg.defaults;
    },
    get types() {
      return pg.types;
    },
  };
}

/** The caller's PGlite instance, or a new one with pgvector loaded (its folder created first). */
function openDatabase(connection: Readonly<PgliteConnectionOptions>, where: string) {
  const { PGlite, vector, PglitePgConnection } = loadPglitePackages(where);
  if (connection.instance) return { database: connection.instance, owned: false, PglitePgConnection };
  const { dataDir, extensions, relaxedDurability } = connection;
  if (dataDir !== undefined) {
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (cause) {
      throw new VectorConfigurationError(`PGlite dataDir ${dataDir} cannot be created (${(cause as Error).message}); pass a folder this process may write.`, { cause });
    }
  }
  const options: Record<string, unknown> = { extensions: { ...extensions, vector } };
  if (dataDir !== undefined) options.dataDir = dataDir;
  if (relaxedDurability !== undefined) options.relaxedDurability = relaxedDurability;
  return { database: new PGlite(options), owned: true, PglitePgConnection };
}

/** Waits for PGlite to start, then creates pgvector's extension (a no-op when it exists). */
async function prepareDatabase(database: PgliteInstance, where: string): Promise<void> {
  try {
    await database.waitReady;
  } catch (cause) {
    throw new VectorConfigurationError(
      `Opening ${where} failed (${(cause as Error).message}); check that the folder is one PGlite of this version created, and that no other process has it open.`,
      { cause },
    );
  }
  try {
    await database.exec('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (cause) {
    throw new VectorConfigurationError(
      `Creating pgvector's extension in ${where} failed (${(cause as Error).message}); create a PGlite instance you pass with new PGlite({ extensions: { vector } }), vector from @electric-sql/pglite-pgvector.`,
      { cause },
    );
  }
}
