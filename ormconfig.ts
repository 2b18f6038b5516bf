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
import { VectorDataSource } from './src';
import { backendOptions } from './sample-app/backend-options';
import { Document } from './sample-app/entities/document';

const migrationsDir = path.resolve(process.env.MIGRATIONS_DIR ?? path.join(__dirname, 'migrations'));

export const dataSource = new VectorDataSource({
  ...backendOptions(process.env.DATABASE_URL, path.join(__dirname, 'typeorm-vector.sqlite')),
  entities: [Document],
  migrations: [path.join(migrationsDir, '*.{ts,js}')],
} as DataSourceOptions);
