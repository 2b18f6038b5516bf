import type { DataSource, DataSourceOptions } from 'typeorm';
import { UnsupportedVectorFeatureError } from '../errors';
import type { VectorIndexKind } from '../vocabulary';
import type { VectorDialect } from './dialect';
import { cockroachdbDialect } from './cockroachdb';
import { libsqlDialect } from './libsql';
import { libsqlConnectionOf } from './libsql/options-marker';
import { pgliteConnectionOf } from './postgres/pglite-options-marker';
import { mariadbDialect } from './mariadb';
import { MYSQL_FAMILY_VERSION_QUERY, mysqlFamilyDialectForVersion } from './mysql-family';
import { mysqlDialect } from './mysql';
import { pgliteDialect, postgresDialect } from './postgres';
import { sqliteVecDialect } from './sqlite-vec';

/** The Node driver a DataSource connects through, which decides how the connection is set up (`pg-cockroachdb`: `pg` to CockroachDB). */
export type DriverKind = 'pg' | 'pglite' | 'pg-cockroachdb' | 'better-sqlite3' | 'sqlite3' | 'libsql-client' | 'mysql2';

/** What `resolve.ts` reads from DataSource options: the only place in the library that reads `options.type`. */
export interface ResolvedOptions {
  /** The dialect the options name (for `mysql`/`mariadb`, provisional until the server answers `serverCheck`). */
  dialect: VectorDialect;
  driver: DriverKind;
  /** A query to ask the server which dialect applies, where the options type cannot tell (mysql2 reaches MariaDB and MySQL). */
  serverCheck?: { sql: string; purpose: string; dialectFor(rows: Array<Record<string, unknown>>): VectorDialect };
}

const MYSQL_FAMILY_CHECK: ResolvedOptions['serverCheck'] = {
  sql: MYSQL_FAMILY_VERSION_QUERY,
  purpose: 'tell MariaDB from MySQL',
  dialectFor: (rows) => mysqlFamilyDialectForVersion(String(rows[0]?.version ?? '')),
};

/**
 * The dialect, driver and (for mysql2) server check for DataSource options. A libSQL DataSource has
 * `type: 'better-sqlite3'` (TypeORM's SQLite query building) and, as its `driver`, the marker that
 * `libsql()` puts there; a PGlite DataSource has `type: 'postgres'` and the marker `pglite()` puts there.
 *
 * @example
 * resolveOptions({ type: 'postgres' }).dialect.id; // 'postgres'
 * resolveOptions({ type: 'sqlite' }).driver;       // 'sqlite3'
 * resolveOptions({ type: 'cockroachdb' }).dialect.capabilities.name; // 'CockroachDB'
 */
export function resolveOptions(options: Pick<DataSourceOptions, 'type'> & { driver?: unknown }): ResolvedOptions {
  const type: string = options.type;
  switch (type) {
    case 'postgres':
      return pgliteConnectionOf(options) ? { dialect: pgliteDialect, driver: 'pglite' } : { dialect: postgresDialect, driver: 'pg' };
    case 'better-sqlite3':
      return libsqlConnectionOf(options) ? { dialect: libsqlDialect, driver: 'libsql-client' } : { dialect: sqliteVecDialect, driver: 'better-sqlite3' };
    case 'sqlite':
      return { dialect: sqliteVecDialect, driver: 'sqlite3' };
    case 'mariadb':
      return { dialect: mariadbDialect, driver: 'mysql2', serverCheck: MYSQL_FAMILY_CHECK };
    case 'mysql':
      return { dialect: mysqlDialect, driver: 'mysql2', serverCheck: MYSQL_FAMILY_CHECK };
    case 'cockroachdb':
      return { dialect: cockroachdbDialect, driver: 'pg-cockroachdb' };
    default:
      throw new UnsupportedVectorFeatureError(
        `typeorm-vector does not support DataSource type '${type}'; use postgres, cockroachdb, better-sqlite3, sqlite, mariadb or mysql, or spread libsql({ url }) or pglite() into the options.`,
      );
  }
}

/** Every dialect, in the order error messages list them. */
const DIALECTS: readonly VectorDialect[] = [postgresDialect, sqliteVecDialect, libsqlDialect, mariadbDialect, mysqlDialect, cockroachdbDialect];

/**
 * The tuning option names of every index kind of every backend (`m`, `efConstruction`, `lists`,
 * ...), read from the dialects' capabilities: what `@VectorIndex` accepts before it knows the backend.
 *
 * @example
 * indexTuningOptionNames().includes('maxNeighbors'); // true
 */
export function indexTuningOptionNames(): string[] {
  const names = DIALECTS.flatMap((dialect) => Object.values(dialect.capabilities.indexes?.kinds ?? {}).flatMap((kind) => Object.keys(kind.tuning)));
  return [...new Set(names)];
}

/**
 * The index kinds, over every backend, that can hold filter columns (`filterColumns`,
 * `partitionKey`), each with its backend's name: what `@VectorIndex` checks before it knows the
 * backend, and what errors name.
 *
 * @example
 * indexKindsWithFilterColumns(); // [{ backend: 'SQLite (sqlite-vec)', kind: 'vec0' }]
 */
export function indexKindsWithFilterColumns(): Array<{ backend: string; kind: VectorIndexKind }> {
  return DIALECTS.flatMap((dialect) =>
    Object.entries(dialect.capabilities.indexes?.kinds ?? {})
      .filter(([, kind]) => kind.filterColumns)
      .map(([kind]) => ({ backend: dialect.capabilities.name, kind: kind as VectorIndexKind })),
  );
}

const settledDialects = new WeakMap<DataSource, VectorDialect>();

/**
 * Records the dialect a connected DataSource's server answered to (`ResolvedOptions.serverCheck`);
 * `dialectOf` returns it from then on. Called once per DataSource by `VectorDataSource`.
 *
 * @example
 * settleDialect(dataSource, mariadbDialect);
 */
export function settleDialect(dataSource: DataSource, dialect: VectorDialect): void {
  settledDialects.set(dataSource, dialect);
}

/**
 * The dialect of a DataSource: the one its server settled, or else the one its options name.
 *
 * @example
 * dialectOf(dataSource).capabilities.name; // 'SQLite (sqlite-vec)'
 */
export function dialectOf(dataSource: DataSource): VectorDialect {
  return settledDialects.get(dataSource) ?? resolveOptions(dataSource.options).dialect;
}
