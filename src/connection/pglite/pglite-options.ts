import { PGLITE_CONNECTION } from '../../dialects';
import { VectorConfigurationError } from '../../errors';

/**
 * The part of a PGlite instance (`@electric-sql/pglite`) typeorm-vector uses: structural, so the
 * package stays an optional peer dependency.
 *
 * @example
 * const instance: PgliteInstance = new PGlite({ extensions: { vector } });
 */
export interface PgliteInstance {
  readonly waitReady: Promise<void>;
  readonly closed: boolean;
  exec(query: string): Promise<unknown>;
  close(): Promise<void>;
  execProtocolStream(message: Uint8Array, options?: unknown): Promise<unknown>;
}

/**
 * Where a PGlite database lives. With no option, a new in-memory database per `initialize()`.
 *
 * @example
 * const connection: PgliteConnectionOptions = { dataDir: './data/db' };
 */
export interface PgliteConnectionOptions {
  /** A folder on disk (created if missing) that keeps the database between runs; omitted: in memory. */
  dataDir?: string;
  /**
   * More PGlite extensions to load next to pgvector, as PGlite's `extensions` option takes them
   * (e.g. `{ pg_trgm }` from `@electric-sql/pglite/contrib/pg_trgm`).
   */
  extensions?: Record<string, unknown>;
  /** PGlite's `relaxedDurability`: do not wait for each write to reach the disk (faster; the last writes may be lost on a crash). */
  relaxedDurability?: boolean;
  /**
   * An open PGlite instance to use instead of creating one; it must have been created with
   * `extensions: { vector }`. The DataSource does not close it. Not together with the other options.
   */
  instance?: PgliteInstance;
}

/**
 * The `driver` value that marks a DataSource as PGlite; a plain `DataSource` that reaches for its
 * `Pool` gets a sentence saying to use `VectorDataSource`.
 *
 * @example
 * const marker: PgliteDriverMarker = pglite({ dataDir: './db' }).driver;
 */
export interface PgliteDriverMarker {
  readonly Pool: new (...args: never[]) => never;
  readonly [PGLITE_CONNECTION]: Readonly<PgliteConnectionOptions>;
}

/**
 * Options `pglite()` returns: TypeORM's PostgreSQL driver, with the PGlite connection marked as its `driver`.
 *
 * @example
 * const options: PgliteDataSourceOptions = pglite(); // { type: 'postgres', driver: <marker> }
 */
export interface PgliteDataSourceOptions {
  type: 'postgres';
  driver: PgliteDriverMarker;
}

/**
 * The option names of `PgliteConnectionOptions`, the ones `pglite()` accepts.
 *
 * @example
 * PGLITE_CONNECTION_KEYS.includes('dataDir'); // true
 */
export const PGLITE_CONNECTION_KEYS: readonly string[] = ['dataDir', 'extensions', 'relaxedDurability', 'instance'];

/**
 * DataSource options for PGlite, PostgreSQL compiled to WebAssembly and run inside this process,
 * with pgvector loaded: pgvector's types, operators and indexes (HNSW, IVFFlat, halfvec, bit,
 * sparsevec) with no server. TypeORM's own PostgreSQL driver and `pg` talk to it through PGlite's
 * node-postgres bridge, over one connection. `VectorDataSource` recognises the `driver` marker
 * these options carry and connects it (it needs `@electric-sql/pglite`,
 * `@electric-sql/pglite-pgvector` and `pg`); a plain `new DataSource(...)` with them fails at
 * `initialize()` with a sentence saying to use `VectorDataSource`. See docs/pglite.md.
 *
 * @example
 * const dataSource = new VectorDataSource({ ...pglite({ dataDir: './data/db' }), entities: [Doc], synchronize: true });
 * const inMemory = new VectorDataSource({ ...pglite(), entities: [Doc], synchronize: true });
 */
export function pglite(connection: PgliteConnectionOptions = {}): PgliteDataSourceOptions {
  const checked = validateConnection(connection);
  const where = describePglite(checked);
  class PgliteMarkerPool {
    constructor() {
      throw new VectorConfigurationError(
        `The PGlite options for ${where} need typeorm-vector's PGlite connection; create the DataSource with new VectorDataSource(options) instead of new DataSource(options).`,
      );
    }
  }
  const marker = { Pool: PgliteMarkerPool } as unknown as PgliteDriverMarker;
  Object.defineProperty(marker, PGLITE_CONNECTION, { value: Object.freeze(checked), enumerable: false });
  return { type: 'postgres', driver: marker };
}

/**
 * How error messages name a PGlite database: its folder, or "an in-memory database".
 *
 * @example
 * describePglite({ dataDir: './db' }); // "PGlite in ./db"
 */
export function describePglite(connection: Readonly<PgliteConnectionOptions>): string {
  if (connection.instance) return 'a PGlite instance passed as instance';
  return connection.dataDir === undefined ? 'an in-memory PGlite database' : `PGlite in ${connection.dataDir}`;
}

function validateConnection(connection: PgliteConnectionOptions): PgliteConnectionOptions {
  if (typeof connection !== 'object' || connection === null || Array.isArray(connection)) {
    throw new VectorConfigurationError(`pglite() options ${String(connection)} are not an object; pass e.g. pglite({ dataDir: './data/db' }), or pglite() for memory.`);
  }
  const unknown = Object.keys(connection).filter((key) => !PGLITE_CONNECTION_KEYS.includes(key));
  if (unknown.length) {
    throw new VectorConfigurationError(`pglite() has no option '${unknown[0]!}'; use ${PGLITE_CONNECTION_KEYS.join(', ')}.`);
  }
  const { dataDir, extensions, relaxedDurability, instance } = connection;
  if (dataDir !== undefined && (typeof dataDir !== 'string' || dataDir.trim() === '')) {
    throw new VectorConfigurationError(`PGlite dataDir ${JSON.stringify(dataDir)} is not a folder path; pass e.g. './data/db', or leave it out for an in-memory database.`);
  }
  if (dataDir !== undefined && /^[a-z][a-z0-9+.-]*:\/\//i.test(dataDir)) {
    throw new VectorConfigurationError(`PGlite dataDir ${JSON.stringify(dataDir)} is not a folder path on this machine; pass e.g. './data/db', or leave dataDir out for an in-memory database.`);
  }
  if (extensions !== undefined && (typeof extensions !== 'object' || extensions === null || Array.isArray(extensions))) {
    throw new VectorConfigurationError(`PGlite extensions ${String(extensions)} is not an object; pass e.g. { pg_trgm } as PGlite's extensions option takes it.`);
  }
  if (extensions && 'vector' in extensions) {
    throw new VectorConfigurationError("PGlite extensions names 'vector', which pglite() loads itself; leave it out of extensions.");
  }
  if (relaxedDurability !== undefined && typeof relaxedDurability !== 'boolean') {
    throw new VectorConfigurationError(`PGlite relaxedDurability ${JSON.stringify(relaxedDurability)} is not a boolean; pass true or false, or leave it out.`);
  }
  if (instance !== undefined) {
    if (typeof instance !== 'object' || instance === null || typeof instance.execProtocolStream !== 'function' || typeof instance.waitReady?.then !== 'function') {
      throw new VectorConfigurationError(`PGlite instance ${String(instance)} is not a PGlite instance; pass one made with new PGlite({ extensions: { vector } }), or leave instance out.`);
    }
    const others = Object.keys(connection).filter((key) => key !== 'instance' && connection[key as keyof PgliteConnectionOptions] !== undefined);
    if (others.length) {
      throw new VectorConfigurationError(`pglite() option '${others[0]!}' cannot go with instance, which is already open; set it where you create the PGlite instance, or leave instance out.`);
    }
  }
  return { ...connection };
}
