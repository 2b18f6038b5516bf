/**
 * DataSource options for the backend a DATABASE_URL names, shared by the sample app (sample-app/app.ts)
 * and the TypeORM CLI's ormconfig.ts: postgres://... (PostgreSQL + pgvector), mysql://... or
 * mariadb://... (MariaDB), libsql://..., https://..., ws://... or file:... (libSQL, with
 * DATABASE_AUTH_TOKEN for Turso), pglite:./folder (PGlite with pgvector in that folder; pglite:
 * alone for an in-memory database), otherwise a SQLite file path (with sqlite-vec).
 */
import type { DataSourceOptions } from 'typeorm';
import { libsql, pglite } from '../src';

/** The sample app's backends; each has its own folder of migrations (sample-app/migrations/<kind>), PGlite uses PostgreSQL's. */
export type BackendKind = 'sqlite' | 'postgres' | 'mariadb' | 'libsql' | 'pglite';

/** The prefix of a PGlite DATABASE_URL: `pglite:./data/db` (a folder), `pglite:` (in memory). */
const PGLITE_PREFIX = /^pglite:/i;

/** Which backend a DATABASE_URL names (unset: SQLite). */
export function backendKind(url: string | undefined): BackendKind {
  if (!url) return 'sqlite';
  if (/^postgres(ql)?:\/\//i.test(url)) return 'postgres';
  if (PGLITE_PREFIX.test(url)) return 'pglite';
  if (/^(mysql|mariadb):\/\//i.test(url)) return 'mariadb';
  if (/^(libsql|https?|wss?):\/\//i.test(url) || /^file:/i.test(url)) return 'libsql';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error(`DATABASE_URL ${describeUrl(url, '')} has an unsupported scheme; use postgres://, mysql://, mariadb://, libsql://, file:, pglite: or a SQLite file path.`);
  }
  return 'sqlite';
}

export function backendOptions(url: string | undefined, defaultSqliteFile: string): DataSourceOptions {
  switch (backendKind(url)) {
    case 'postgres':
      return { type: 'postgres', url };
    case 'pglite': {
      const dataDir = url!.replace(PGLITE_PREFIX, '');
      return pglite(dataDir ? { dataDir } : {}) as DataSourceOptions;
    }
    case 'mariadb':
      return { type: 'mariadb', url };
    case 'libsql':
      return libsql({ url: url!, ...(process.env.DATABASE_AUTH_TOKEN ? { authToken: process.env.DATABASE_AUTH_TOKEN } : {}) }) as DataSourceOptions;
    case 'sqlite':
      return { type: 'better-sqlite3', database: url ?? defaultSqliteFile };
  }
}

/** A DATABASE_URL fit for a log line (the password hidden). */
export function describeUrl(url: string | undefined, defaultSqliteFile: string): string {
  return url ? url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@') : defaultSqliteFile;
}
