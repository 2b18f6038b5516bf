import { VectorConfigurationError } from '../../errors';
import type { PgliteInstance } from './pglite-options';

/** The part of `pg` the PGlite connection uses (structural, so `pg` stays an optional peer dependency). */
export interface PgModule {
  Pool: new (options: Record<string, unknown>) => PgPool;
  Client: new (config: Record<string, unknown>) => PgClient;
  defaults: object;
  types: unknown;
}

/** A `pg` Pool, as far as the PGlite connection overrides it. */
export interface PgPool {
  connect(): Promise<PgClient>;
  end(): Promise<void>;
}

/** A `pg` Client, as far as the PGlite connection overrides it. */
export interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  release(error?: Error | boolean): void;
}

/** What PGlite's packages give the connection: the database class, pgvector, and the node-postgres bridge. */
export interface PglitePackages {
  PGlite: new (options: Record<string, unknown>) => PgliteInstance;
  vector: unknown;
  PglitePgConnection: new (config: { pglite: PgliteInstance }) => unknown;
}

/**
 * `pg`, which TypeORM's PostgreSQL driver runs on, also for PGlite.
 *
 * @example
 * const pg = loadPg('an in-memory PGlite database');
 */
export function loadPg(where: string): PgModule {
  return requirePackage<PgModule>('pg', `${where} cannot connect: TypeORM's PostgreSQL driver talks to PGlite through pg; run npm install pg`);
}

/**
 * `@electric-sql/pglite` (the database and its node-postgres bridge) and
 * `@electric-sql/pglite-pgvector`, loaded when a PGlite DataSource connects.
 *
 * @example
 * const { PGlite, vector } = loadPglitePackages('PGlite in ./db');
 */
export function loadPglitePackages(where: string): PglitePackages {
  const install = 'run npm install @electric-sql/pglite @electric-sql/pglite-pgvector';
  const { PGlite } = requirePackage<{ PGlite: PglitePackages['PGlite'] }>('@electric-sql/pglite', `${where} cannot open; ${install}`);
  const { PglitePgConnection } = requirePackage<{ PglitePgConnection: PglitePackages['PglitePgConnection'] }>(
    '@electric-sql/pglite/node-postgres',
    `${where} cannot open: this @electric-sql/pglite has no node-postgres bridge (0.5 or later has it); ${install}@latest`,
  );
  const { vector } = requirePackage<{ vector: unknown }>('@electric-sql/pglite-pgvector', `${where} cannot load pgvector; ${install}`);
  return { PGlite, vector, PglitePgConnection };
}

function requirePackage<T>(name: string, consequence: string): T {
  try {
    return require(name) as T;
  } catch (cause) {
    throw new VectorConfigurationError(`The ${name} package is not installed or does not load (${(cause as Error).message.split('\n')[0]}), so ${consequence}.`, { cause });
  }
}
