/**
 * The DataSource the TypeORM CLI reads:
 *
 *   npx typeorm-ts-node-commonjs migration:generate -d ormconfig.ts migrations/Init
 *   npx typeorm-ts-node-commonjs migration:run -d ormconfig.ts
 *   npx typeorm-ts-node-commonjs migration:revert -d ormconfig.ts
 *
 * The backend comes from DATABASE_URL: postgres://... (PostgreSQL + pgvector), mysql://... or
 * mariadb://... (MariaDB), libsql://..., https://..., ws://... or file:... (libSQL, with
 * DATABASE_AUTH_TOKEN for Turso), otherwise a SQLite file path (default ./typeorm-vector.sqlite,
 * with sqlite-vec). MIGRATIONS_DIR overrides the migrations folder (default ./migrations).
 */
import 'reflect-metadata';
import * as path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { libsql, VectorDataSource } from './src';
import { Document } from './sample-app/entities/document';

const migrationsDir = path.resolve(process.env.MIGRATIONS_DIR ?? path.join(__dirname, 'migrations'));

function backendOptions(url: string | undefined): DataSourceOptions {
  if (!url) return { type: 'better-sqlite3', database: path.join(__dirname, 'typeorm-vector.sqlite') };
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

export const dataSource = new VectorDataSource({
  ...backendOptions(process.env.DATABASE_URL),
  entities: [Document],
  migrations: [path.join(migrationsDir, '*.{ts,js}')],
} as DataSourceOptions);
