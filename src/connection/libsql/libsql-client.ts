import { VectorConfigurationError } from '../../errors';
import { isLocalLibsqlUrl, type LibsqlConnectionOptions } from './libsql-options';

/** The part of a `@libsql/client` result the driver reads (structural, so `@libsql/client` stays optional). */
export interface LibsqlResultSet {
  columns: string[];
  rows: ArrayLike<unknown>[];
  rowsAffected: number;
  lastInsertRowid: bigint | undefined;
}

/** Something that executes one statement: a client, or an open transaction. */
export interface LibsqlExecutor {
  execute(statement: { sql: string; args: unknown[] }): Promise<LibsqlResultSet>;
}

/** An interactive libSQL transaction. */
export interface LibsqlTransaction extends LibsqlExecutor {
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): void;
}

/** The part of a `@libsql/client` Client the driver uses. */
export interface LibsqlClient extends LibsqlExecutor {
  transaction(mode: 'write' | 'read' | 'deferred'): Promise<LibsqlTransaction>;
  close(): void;
}

interface LibsqlClientModule {
  createClient(config: Record<string, unknown>): LibsqlClient;
}

/**
 * Opens a `@libsql/client` client. Local databases (`file:`, `:memory:`) get a single connection,
 * as TypeORM's SQLite drivers have, so PRAGMAs and transactions stay on one connection; integers
 * come back as JavaScript numbers, as TypeORM expects.
 *
 * @example
 * const client = openLibsqlClient({ url: 'file:app.db' });
 */
export function openLibsqlClient(connection: LibsqlConnectionOptions): LibsqlClient {
  let module: LibsqlClientModule;
  try {
    module = require('@libsql/client') as LibsqlClientModule;
  } catch (cause) {
    throw new VectorConfigurationError('The @libsql/client package is not installed, so a libSQL DataSource cannot connect; run npm install @libsql/client.', {
      cause,
    });
  }
  const config: Record<string, unknown> = { ...connection, intMode: 'number' };
  if (isLocalLibsqlUrl(connection.url)) config.concurrency = 1;
  try {
    return module.createClient(config);
  } catch (cause) {
    throw new VectorConfigurationError(
      `Opening the libSQL database ${connection.url} failed (${(cause as Error).message}); check the url and authToken.`,
      { cause },
    );
  }
}
