import { mkdirSync } from 'node:fs';
import { VectorConfigurationError } from '../../errors';
import { describePglite, type PgliteConnectionOptions, type PgliteInstance } from './pglite-options';
import { loadPg, loadPglitePackages, type PgClient, type PgModule } from './pglite-packages';
import { PgliteSession } from './pglite-session';

/**
 * A stand-in for the `pg` module, given to TypeORM's PostgreSQL driver as its `driver` option: its
 * `Pool` opens the PGlite database (or takes the caller's instance), creates pgvector's extension,
 * and connects real `pg` clients to it through PGlite's node-postgres bridge
 * (`@electric-sql/pglite/node-postgres`), so TypeORM's driver, query runner and `pg`'s type
 * parsing run unchanged. PGlite is one PostgreSQL session, which the pool's clients share through
 * a `PgliteSession`: statements take turns, and a transaction has the session to itself until it
 * ends (see pglite-session.ts). Ending the pool closes a database it opened. A database opened
 * from `dataDir` creates the folder if missing.
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
    private ready: Promise<void> | undefined;

    constructor(options: Record<string, unknown>) {
      const { database, owned, PglitePgConnection } = openDatabase(connection, where);
      const session = new PgliteSession(database, Number(options.connectionTimeoutMillis ?? 0), where);
      const Connection = session.connectionClass(PglitePgConnection);
      class PgliteClient extends pg.Client {
        constructor(config: Record<string, unknown>) {
          super({ ...config, connection: new Connection({ pglite: database }) });
        }
      }
      super({ ...options, Client: PgliteClient });
      this.database = database;
      this.owned = owned;
    }

    override connect(callback?: (error: Error | undefined, client?: PgClient, done?: (error?: Error | boolean) => void) => void): Promise<PgClient> {
      this.ready ??= prepareDatabase(this.database, where);
      const connected = this.ready.then(() => super.connect());
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
