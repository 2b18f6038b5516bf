/**
 * DataSource options for the backend a DATABASE_URL names, shared by the demo (sample-app/main.ts)
 * and the TypeORM CLI's ormconfig.ts: postgres://... (PostgreSQL + pgvector), mysql://... or
 * mariadb://... (MariaDB), libsql://..., https://..., ws://... or file:... (libSQL, with
 * DATABASE_AUTH_TOKEN for Turso), otherwise a SQLite file path (with sqlite-vec).
 */
import type { DataSourceOptions } from 'typeorm';
import { libsql } from '../src';

export function backendOptions(url: string | undefined, defaultSqliteFile: string): DataSourceOptions {
  if (!url) return { type: 'better-sqlite3', database: defaultSqliteFile };
  if (/^postgres(ql)?:\/\//i.test(url)) return { type: 'postgres', url };
  if (/^(mysql|mariadb):\/\//i.test(url)) return { type: 'mariadb', url };
  if (/^(libsql|https?|wss?):\/\//i.test(url) || /^file:/i.test(url)) {
    return libsql({ url, ...(process.env.DATABASE_AUTH_TOKEN ? { authToken: process.env.DATABASE_AUTH_TOKEN } : {}) }) as DataSourceOptions;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error(`DATABASE_URL ${url.replace(/\/\/[^@/]*@/, '//***@')} has an unsupported scheme; use postgres://, mysql://, mariadb://, libsql://, file: or a SQLite file path.`);
  }
  return { type: 'better-sqlite3', database: url };
}

/** A DATABASE_URL fit for a log line (the password hidden). */
export function describeUrl(url: string | undefined, defaultSqliteFile: string): string {
  return url ? url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@') : defaultSqliteFile;
}
