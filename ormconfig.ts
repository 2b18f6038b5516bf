/**
 * The DataSource the TypeORM CLI reads:
 *
 *   npx typeorm-ts-node-commonjs migration:generate -d ormconfig.ts sample-app/migrations/sqlite/Init
 *   npx typeorm-ts-node-commonjs migration:run -d ormconfig.ts
 *   npx typeorm-ts-node-commonjs migration:revert -d ormconfig.ts
 *
 * The backend comes from DATABASE_URL: postgres://... (PostgreSQL + pgvector), mysql://... or
 * mariadb://... (MariaDB), libsql://..., https://..., ws://... or file:... (libSQL, with
 * DATABASE_AUTH_TOKEN for Turso), pglite:./folder (PGlite with pgvector, the database kept in that
 * folder), otherwise a SQLite file path (default ./typeorm-vector.sqlite, with sqlite-vec). The
 * migrations are the sample app's, one folder per backend
 * (sample-app/migrations/<sqlite|postgres|mariadb|libsql>; PGlite uses postgres); MIGRATIONS_DIR
 * overrides the folder.
 */
import 'reflect-metadata';
import * as path from 'node:path';
import type { DataSourceOptions } from 'typeorm';
import { VectorDataSource } from './src';
import { backendKind, backendOptions } from './sample-app/backend-options';
import { Document } from './sample-app/entities/document';
import { EmbeddingSettings } from './sample-app/entities/embedding-settings';

const kind = backendKind(process.env.DATABASE_URL);
const migrationsDir = path.resolve(process.env.MIGRATIONS_DIR ?? path.join(__dirname, 'sample-app', 'migrations', kind === 'pglite' ? 'postgres' : kind));

export const dataSource = new VectorDataSource({
  ...backendOptions(process.env.DATABASE_URL, path.join(__dirname, 'typeorm-vector.sqlite')),
  entities: [Document, EmbeddingSettings],
  migrations: [path.join(migrationsDir, '*.{ts,js}')],
} as DataSourceOptions);
