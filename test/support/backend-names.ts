/**
 * Backend names, the `TEST_BACKENDS` filter, and the database server each backend needs. Imports
 * nothing, so that Jest's global setup (test/support/global-setup.ts) can work out which servers
 * to start without loading TypeORM or the library; test/support/backends.ts builds on it.
 */

export const BACKEND_NAMES = ['sqlite', 'sqlite3', 'postgres', 'mariadb', 'libsql', 'libsql-memory', 'pglite'] as const;

export type BackendName = (typeof BACKEND_NAMES)[number];

/**
 * A database server the harness starts (or finds) for a run. `postgres-replica` is a streaming
 * standby of `postgres`, started only for runs that include a test needing it (REPLICA_TESTS).
 */
export type ServerName = 'postgres' | 'mariadb' | 'postgres-replica';

/** Test files (relative to the repository) that need the `postgres-replica` server beside `postgres`. */
export const REPLICA_TESTS = ['test/read-replicas.test.ts'] as const;

/** The server each backend runs on; the SQLite, libSQL and PGlite backends run inside the test process. */
const SERVER_OF: Record<BackendName, Exclude<ServerName, 'postgres-replica'> | undefined> = {
  sqlite: undefined,
  sqlite3: undefined,
  postgres: 'postgres',
  mariadb: 'mariadb',
  libsql: undefined,
  'libsql-memory': undefined,
  pglite: undefined,
};

/**
 * The backend names `TEST_BACKENDS` (comma-separated) lists, or `undefined` when it is unset or
 * empty (every backend runs). An unknown name fails the run.
 *
 * @example
 * backendFilter({ TEST_BACKENDS: 'sqlite, postgres' }); // ['sqlite', 'postgres']
 */
export function backendFilter(env: NodeJS.ProcessEnv = process.env): BackendName[] | undefined {
  const names = env.TEST_BACKENDS?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!names?.length) return undefined;
  const unknown = names.filter((name) => !(BACKEND_NAMES as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`TEST_BACKENDS names unknown backends: ${unknown.join(', ')}; use ${BACKEND_NAMES.join(', ')}.`);
  return names as BackendName[];
}

/**
 * The servers the selected backends need: both when `TEST_BACKENDS` is unset, none for
 * `TEST_BACKENDS=sqlite,libsql`; with `replica`, the PostgreSQL standby too when PostgreSQL runs.
 *
 * @example
 * serversNeeded({ TEST_BACKENDS: 'sqlite,mariadb' }); // ['mariadb']
 */
export function serversNeeded(env: NodeJS.ProcessEnv = process.env, { replica = false }: { replica?: boolean } = {}): ServerName[] {
  const names = backendFilter(env) ?? BACKEND_NAMES;
  const servers: ServerName[] = names.map((name) => SERVER_OF[name]).filter((server) => server !== undefined);
  if (replica && servers.includes('postgres')) servers.push('postgres-replica');
  return [...new Set(servers)];
}
