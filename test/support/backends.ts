/**
 * The backends every feature test loops over, each on a real database. `TEST_BACKENDS`
 * (comma-separated names) narrows the list; an unknown name fails the run. A backend that cannot
 * exist on the TypeORM line under test (test/support/typeorm-line.ts) says why in `unavailableOn`;
 * that is the only way a backend leaves a run.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSourceOptions, EntitySchema, MixedList, QueryRunner } from 'typeorm';
import { libsql, pglite, VectorDataSource } from '../../src';
import { backendFilter, type BackendName } from './backend-names';
import { withDatabase, withMysqlConnection, withPgClient } from './db-clients';
import { borrowPgliteDatabase, returnPgliteDatabase } from './pglite-instances';
import { TYPEORM_LINE, type TypeormLine } from './typeorm-line';

export type { BackendName } from './backend-names';

export interface Backend {
  name: BackendName;
  /** TypeORM lines this backend cannot run on, each with the reason. */
  unavailableOn?: Partial<Record<TypeormLine, string>>;
  /** TypeORM lines on which this backend runs in the listed test files only (to keep the suite's time), with the reason. */
  onlyInFilesOn?: Partial<Record<TypeormLine, { files: readonly string[]; reason: string }>>;
  /** Opens an initialized DataSource on a fresh, empty database (synchronize on unless overridden). */
  open(entities: MixedList<Function | string | EntitySchema>, options?: Partial<DataSourceOptions>): Promise<VectorDataSource>;
  /** Destroys the DataSource and drops its database. */
  close(dataSource: VectorDataSource | undefined): Promise<void>;
}

const droppers = new WeakMap<VectorDataSource, () => Promise<void>>();

const sqlite: Backend = {
  name: 'sqlite',
  async open(entities, options = {}) {
    const dataSource = new VectorDataSource({ type: 'better-sqlite3', database: ':memory:', entities, synchronize: true, ...options } as DataSourceOptions);
    return dataSource.initialize();
  },
  close: closeDataSource,
};

const sqlite3: Backend = {
  name: 'sqlite3',
  unavailableOn: { '1.x': "TypeORM 1.x removed the 'sqlite' driver (node sqlite3); its SQLite driver is better-sqlite3, tested as 'sqlite'" },
  async open(entities, options = {}) {
    const dataSource = new VectorDataSource({ type: 'sqlite', database: ':memory:', entities, synchronize: true, ...options } as unknown as DataSourceOptions);
    return dataSource.initialize();
  },
  close: closeDataSource,
};

const postgres: Backend = {
  name: 'postgres',
  async open(entities, options = {}) {
    const adminUrl = requiredUrl('TEST_POSTGRES_URL');
    const database = `tv_${randomBytes(6).toString('hex')}`;
    await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
    const url = withDatabase(adminUrl, database);
    await withPgClient(url, (client) => client.query('CREATE EXTENSION IF NOT EXISTS vector'));
    const dataSource = new VectorDataSource({ type: 'postgres', url, entities, synchronize: true, ...options } as DataSourceOptions);
    droppers.set(dataSource, async () => {
      await withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    });
    return dataSource.initialize();
  },
  close: closeDataSource,
};

const mariadb: Backend = {
  name: 'mariadb',
  open: (entities, options = {}) => openMysqlFamily('mariadb', entities, options),
  close: closeDataSource,
};

/** libSQL through @libsql/client on a fresh local `file:` database in a temporary directory. */
const libsqlFile: Backend = {
  name: 'libsql',
  async open(entities, options = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-libsql-'));
    const dataSource = new VectorDataSource({ ...libsql({ url: `file:${path.join(dir, 'test.db')}` }), entities, synchronize: true, ...options } as DataSourceOptions);
    droppers.set(dataSource, async () => fs.rmSync(dir, { recursive: true, force: true }));
    return initializeOrDrop(dataSource);
  },
  close: closeDataSource,
};

/** libSQL through @libsql/client on `:memory:`. */
const libsqlMemory: Backend = {
  name: 'libsql-memory',
  async open(entities, options = {}) {
    const dataSource = new VectorDataSource({ ...libsql({ url: ':memory:' }), entities, synchronize: true, ...options } as DataSourceOptions);
    return dataSource.initialize();
  },
  close: closeDataSource,
};

/**
 * PGlite (PostgreSQL 18 in WebAssembly) with pgvector, inside the test process: the PostgreSQL
 * dialect on `pglite()`. Each open gets a reset database of the file's own (test/support/pglite-instances.ts),
 * passed as `instance` so that a test file starts PGlite once, not once per DataSource; test/pglite.test.ts
 * covers `pglite()` opening its own databases (in memory and in a folder).
 */
const pgliteBackend: Backend = {
  name: 'pglite',
  onlyInFilesOn: {
    '0.3': {
      files: ['find-nearest.test.ts', 'query-builder.test.ts', 'vector-column.test.ts', 'schema-sync.test.ts', 'pg-vector-type-parser.test.ts', 'migrations-cli.test.ts', 'typeorm-lines.test.ts'],
      reason:
        "PGlite goes through TypeORM's own PostgreSQL driver, so on TypeORM 0.3 it runs where the TypeORM line matters (columns, query builder, findNearest, schema sync, the vector parser, the CLI); the other files run it on 1.x only, since each file starts PGlite (seconds) and the suite must stay fast",
    },
  },
  async open(entities, options = {}) {
    const instance = await borrowPgliteDatabase();
    const dataSource = new VectorDataSource({ ...pglite({ instance }), entities, synchronize: true, ...options } as DataSourceOptions);
    droppers.set(dataSource, async () => returnPgliteDatabase(instance));
    return initializeOrDrop(dataSource);
  },
  close: closeDataSource,
};

/**
 * Opens a DataSource of TypeORM type `type` (mysql2 either way) on a fresh database of the
 * MariaDB test server; `mysql` pointed at MariaDB must still pick the MariaDB dialect.
 */
export async function openMysqlFamily(
  type: 'mariadb' | 'mysql',
  entities: MixedList<Function | string | EntitySchema>,
  options: Partial<DataSourceOptions> = {},
): Promise<VectorDataSource> {
  const adminUrl = requiredUrl('TEST_MARIADB_URL');
  const database = `tv_${randomBytes(6).toString('hex')}`;
  await withMysqlConnection(adminUrl, (connection) => connection.query(`CREATE DATABASE ${database}`));
  const url = withDatabase(adminUrl, database);
  const dataSource = new VectorDataSource({ type, url, entities, synchronize: true, ...options } as DataSourceOptions);
  droppers.set(dataSource, async () => {
    await withMysqlConnection(adminUrl, (connection) => connection.query(`DROP DATABASE IF EXISTS ${database}`));
  });
  return initializeOrDrop(dataSource);
}

/** Initializes a DataSource whose dropper is set, running the dropper when initializing fails. */
async function initializeOrDrop(dataSource: VectorDataSource): Promise<VectorDataSource> {
  try {
    return await dataSource.initialize();
  } catch (error) {
    await droppers.get(dataSource)!();
    throw error;
  }
}

/** Destroys a DataSource a backend (or `openMysqlFamily`) opened, and drops its database. */
export async function closeDataSource(dataSource: VectorDataSource | undefined): Promise<void> {
  if (!dataSource) return;
  if (dataSource.isInitialized) await dataSource.destroy();
  await droppers.get(dataSource)?.();
}

/** Every backend, on any TypeORM line. */
export const ALL_BACKENDS: Backend[] = [sqlite, sqlite3, postgres, mariadb, libsqlFile, libsqlMemory, pgliteBackend];

/** The TypeORM `type` of a SQLite backend, for tests that open their own file databases. */
export function sqliteType(name: BackendName): 'better-sqlite3' | 'sqlite' {
  if (name === 'sqlite') return 'better-sqlite3';
  if (name === 'sqlite3') return 'sqlite';
  throw new Error(`Backend '${name}' is not a SQLite (sqlite-vec) backend.`);
}

/** The SQL family of a backend: both libSQL backends generate the same SQL, and so do both SQLite drivers, and PostgreSQL and PGlite. */
export function sqlFamily(name: BackendName): Exclude<BackendName, 'libsql-memory' | 'sqlite3' | 'pglite'> {
  if (name === 'libsql-memory') return 'libsql';
  if (name === 'pglite') return 'postgres';
  return name === 'sqlite3' ? 'sqlite' : name;
}

/** The backends this run tests: those of the TypeORM line under test, narrowed by TEST_BACKENDS. */
export const BACKENDS: Backend[] = selectBackends();

/**
 * The backends of this run that speak PostgreSQL with pgvector: the server (`postgres`) and PGlite
 * (`pglite`), for PostgreSQL-only tests that hold on both.
 *
 * @example
 * for (const backend of POSTGRES_FAMILY) describe(`halfvec on ${backend.name}`, () => { ... });
 */
export const POSTGRES_FAMILY: Backend[] = BACKENDS.filter((backend) => sqlFamily(backend.name) === 'postgres');

function selectBackends(): Backend[] {
  const onLine = ALL_BACKENDS.filter((b) => !b.unavailableOn?.[TYPEORM_LINE] && inThisFile(b));
  const filter = backendFilter();
  if (!filter) return onLine;
  const selected = onLine.filter((b) => filter.includes(b.name));
  if (!selected.length) {
    throw new Error(
      `TEST_BACKENDS=${filter.join(',')} leaves no backend on TypeORM ${TYPEORM_LINE}; run only the other line with npx jest --selectProjects.`,
    );
  }
  return selected;
}

/** Whether `backend` runs in the test file being loaded (see `Backend.onlyInFilesOn`). */
function inThisFile(backend: Backend): boolean {
  const files = backend.onlyInFilesOn?.[TYPEORM_LINE]?.files;
  if (!files) return true;
  const testPath = typeof expect === 'function' ? expect.getState().testPath : undefined;
  return testPath === undefined || files.includes(path.basename(testPath));
}

/**
 * Whether this run tests `name`. A test that needs a server outside the backend loop asks this,
 * so that `TEST_BACKENDS` leaving the backend out leaves the test out too (global setup starts
 * only the servers of the selected backends).
 *
 * @example
 * if (backendSelected('mariadb')) describe('MariaDB specifics', () => { ... });
 */
export function backendSelected(name: BackendName): boolean {
  return BACKENDS.some((backend) => backend.name === name);
}

/** The URL a test server was given under, failing loudly when the harness did not set it. */
export function requiredUrl(name: 'TEST_POSTGRES_URL' | 'TEST_MARIADB_URL' | 'TEST_POSTGRES_REPLICA_URL'): string {
  const url = process.env[name];
  if (!url) {
    throw new Error(
      `${name} is not set; the Jest global setup (test/support/global-setup.ts) sets it when TEST_BACKENDS selects its backend, so a test outside the backend loop must check backendSelected() first.`,
    );
  }
  return url;
}

/** Runs a query on the DataSource's own database and returns its rows. */
export function rows<T = Record<string, unknown>>(dataSource: VectorDataSource, sql: string, parameters: unknown[] = []): Promise<T[]> {
  return dataSource.query(sql, parameters);
}

/** Runs `work` and returns every SQL statement the DataSource sent meanwhile (with its parameters). */
export async function recordQueries(
  dataSource: VectorDataSource,
  work: () => Promise<unknown>,
): Promise<Array<{ query: string; parameters: unknown[] | undefined }>> {
  return (await recordQueryEvents(dataSource, work)).map(({ query, parameters }) => ({ query, parameters }));
}

/** TypeORM's event for a statement about to run: the statement, its parameters and the query runner running it. */
export interface QueryEvent {
  query: string;
  parameters: unknown[] | undefined;
  queryRunner: QueryRunner | undefined;
}

/** Runs `work` and returns TypeORM's event for every statement the DataSource sent meanwhile. */
export async function recordQueryEvents(dataSource: VectorDataSource, work: () => Promise<unknown>): Promise<QueryEvent[]> {
  const recorded: QueryEvent[] = [];
  const recorder = {
    beforeQuery: (event: { query: string; parameters?: unknown[]; queryRunner?: QueryRunner }) =>
      void recorded.push({ query: event.query, parameters: event.parameters, queryRunner: event.queryRunner }),
  };
  const subscribers = dataSource.subscribers as unknown as object[];
  subscribers.push(recorder);
  try {
    await work();
  } finally {
    subscribers.splice(subscribers.indexOf(recorder), 1);
  }
  return recorded;
}
