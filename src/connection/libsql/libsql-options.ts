import type { DataSourceOptions } from 'typeorm';
import { LIBSQL_CONNECTION } from '../../dialects';
import { VectorConfigurationError } from '../../errors';

/**
 * How to reach a libSQL database, passed to `@libsql/client`'s `createClient`: `file:` paths and
 * `:memory:` locally, `libsql://`, `https://`, `wss://` URLs (Turso, sqld) with `authToken`, and
 * embedded replicas (`url: 'file:...'` with `syncUrl`).
 *
 * @example
 * const connection: LibsqlConnectionOptions = { url: 'libsql://db-org.turso.io', authToken: process.env.TURSO_TOKEN };
 */
export interface LibsqlConnectionOptions {
  /** `file:app.db`, `:memory:`, `libsql://db-org.turso.io`, `http://127.0.0.1:8080`, ... */
  url: string;
  /** Token for Turso / sqld. */
  authToken?: string;
  /** Embedded replica: the remote database this local file syncs from. */
  syncUrl?: string;
  /** Embedded replica: seconds between automatic syncs. */
  syncInterval?: number;
  /** Encryption key of a local database file. */
  encryptionKey?: string;
  /** Whether remote connections use TLS (default: decided by the URL scheme). */
  tls?: boolean;
  /** Concurrent requests on a remote client (default 20). Local databases always use one connection. */
  concurrency?: number;
}

/**
 * Options `libsql()` returns: TypeORM's SQLite query building, with the libSQL client marked as the driver.
 *
 * @example
 * const options: LibsqlDataSourceOptions = libsql({ url: 'file:app.db' }); // { type: 'better-sqlite3', database: 'file:app.db', driver: <marker> }
 */
export interface LibsqlDataSourceOptions {
  type: 'better-sqlite3';
  database: string;
  driver: LibsqlDriverMarker;
}

/** The `driver` value that marks a DataSource as libSQL; constructing it (plain `DataSource`) explains what to do. */
export interface LibsqlDriverMarker {
  new (...args: never[]): never;
  readonly [LIBSQL_CONNECTION]: Readonly<LibsqlConnectionOptions>;
}

/**
 * The option names of `LibsqlConnectionOptions`, the ones `libsql()` accepts.
 *
 * @example
 * LIBSQL_CONNECTION_KEYS.includes('authToken'); // true
 */
export const LIBSQL_CONNECTION_KEYS: readonly string[] = ['url', 'authToken', 'syncUrl', 'syncInterval', 'encryptionKey', 'tls', 'concurrency'];

/**
 * DataSource options for a libSQL database through `@libsql/client`. TypeORM 1.x has no libSQL
 * driver, so these options borrow TypeORM's SQLite query building (`type: 'better-sqlite3'`) and
 * mark the connection with a `driver` value that `VectorDataSource` recognises and replaces with
 * typeorm-vector's libSQL driver. This marker is the documented way the library tells a libSQL
 * DataSource apart; a plain `new DataSource(...)` with these options fails at `initialize()` with
 * a sentence saying to use `VectorDataSource`.
 *
 * @example
 * const dataSource = new VectorDataSource({
 *   ...libsql({ url: process.env.TURSO_URL!, authToken: process.env.TURSO_TOKEN }),
 *   entities: [Doc],
 *   synchronize: true,
 * });
 */
export function libsql(connection: LibsqlConnectionOptions): LibsqlDataSourceOptions {
  const checked = validateConnection(connection);
  const marker = function LibsqlClientMarker(): never {
    throw new VectorConfigurationError(
      `The libSQL options for ${checked.url} need typeorm-vector's libSQL driver; create the DataSource with new VectorDataSource(options) or createLibsqlDataSource(options) instead of new DataSource(options).`,
    );
  } as unknown as LibsqlDriverMarker;
  Object.defineProperty(marker, LIBSQL_CONNECTION, { value: Object.freeze(checked), enumerable: false });
  return { type: 'better-sqlite3', database: checked.url, driver: marker };
}

/**
 * Whether a libSQL URL is served by the local engine inside this process (`file:` or `:memory:`)
 * rather than by a server.
 *
 * @example
 * isLocalLibsqlUrl('file:app.db'); // true
 * isLocalLibsqlUrl('libsql://db.turso.io'); // false
 */
export function isLocalLibsqlUrl(url: string): boolean {
  return url === ':memory:' || url.startsWith('file:');
}

/**
 * The file a `file:` URL names, or undefined for `:memory:` and remote URLs.
 *
 * @example
 * localFilePath('file:data/app.db'); // 'data/app.db'
 * localFilePath('file::memory:');    // undefined
 */
export function localFilePath(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined;
  const withoutQuery = url.slice('file:'.length).split('?')[0]!;
  if (withoutQuery === '' || withoutQuery === ':memory:') return undefined;
  return decodeURIComponent(withoutQuery.replace(/^\/\/(localhost)?(?=\/)/, ''));
}

function validateConnection(connection: LibsqlConnectionOptions): LibsqlConnectionOptions {
  if (typeof connection !== 'object' || connection === null) {
    throw new VectorConfigurationError(`libsql() options ${String(connection)} are not an object; pass e.g. libsql({ url: 'file:app.db' }).`);
  }
  const unknown = Object.keys(connection).filter((key) => !LIBSQL_CONNECTION_KEYS.includes(key));
  if (unknown.length) {
    throw new VectorConfigurationError(`libsql() has no option '${unknown[0]!}'; use ${LIBSQL_CONNECTION_KEYS.join(', ')}.`);
  }
  const { url, authToken } = connection;
  if (typeof url !== 'string' || !/^(:memory:|file:|libsql:|https?:|wss?:)/.test(url)) {
    throw new VectorConfigurationError(
      `libSQL url ${JSON.stringify(url)} is not a libSQL URL; pass e.g. 'file:app.db', ':memory:' or 'libsql://your-db.turso.io'.`,
    );
  }
  if (authToken !== undefined && (typeof authToken !== 'string' || authToken === '')) {
    throw new VectorConfigurationError(`libSQL authToken ${JSON.stringify(authToken)} is not a non-empty string; pass the token Turso gave you, or leave it out.`);
  }
  return { ...connection };
}

/**
 * Options of `createLibsqlDataSource`: the libSQL connection plus TypeORM's DataSource options.
 *
 * @example
 * createLibsqlDataSource({ url: 'file:app.db', entities: [Doc], synchronize: true } satisfies CreateLibsqlDataSourceOptions);
 */
export type CreateLibsqlDataSourceOptions = LibsqlConnectionOptions &
  Omit<Extract<DataSourceOptions, { type: 'better-sqlite3' }>, 'type' | 'database' | 'driver' | 'prepareDatabase' | 'nativeBinding' | 'key'>;
