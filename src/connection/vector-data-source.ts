import type { DataSourceOptions } from 'typeorm';
import { attachVectorColumns } from '../column/vector-column-attachment';
import { attachVectorIndexes, registerVectorIndexes } from '../column/vector-index-attachment';
import { attachFullTextIndexes } from '../column/full-text-index-attachment';
import { dialectOf, resolveOptions, settleDialect, type ResolvedOptions } from '../dialects';
import { VectorConfigurationError } from '../errors';
import { allowColumnType, DataSourceWithMetadataHook, driverKnowsColumnType, listenAfterQuery, replaceDriver, wrapSchemaBuilder } from '../typeorm-internals';
import { forgetVectorIndexesAfter } from '../query/vector-index-cache';
import { forgetSessionSettingsAfter } from '../query/session-settings';
import { CONNECTION_SETUPS, type ConnectionSetup } from './setup';
import { FullTextSchemaBuilder } from './full-text-schema-builder';
import { adoptExistingVectorIndexes } from './adopt-vector-indexes';
import { VectorSchemaBuilder, type UndeclaredVectorIndexes } from './vector-schema-builder';

/**
 * typeorm-vector's own settings of a `VectorDataSource`, next to TypeORM's options.
 *
 * @example
 * new VectorDataSource(options, { undeclaredVectorIndexes: 'drop' });
 */
export interface VectorDataSourceSettings {
  /**
   * A vector index on an entity table that no `@VectorIndex` declares: `keep` (default) leaves it out
   * of `synchronize` and `migration:generate` with one warning; `drop` lets TypeORM drop it, as plain
   * TypeORM does.
   */
  undeclaredVectorIndexes?: UndeclaredVectorIndexes;
}

/**
 * A TypeORM DataSource that knows vector columns: it gives every `@VectorColumn` the backend's
 * column type and codec, and on SQLite loads sqlite-vec into every connection it opens
 * (`prepareDatabase` for better-sqlite3, a wrapped `sqlite3` driver for TypeORM 0.3's `sqlite`). On
 * `mysql` and `mariadb` it asks the server's `VERSION()` once, after connecting, whether it is
 * MariaDB or MySQL. Use it wherever you would use `new DataSource(options)`, including the
 * DataSource the TypeORM CLI reads. An existing index that means what an unnamed `@VectorIndex` asks
 * for is adopted under its own name; see docs/adopting.md.
 *
 * @example
 * export const dataSource = new VectorDataSource({
 *   type: 'postgres', url: process.env.DATABASE_URL, entities: [Doc], synchronize: true,
 * });
 * await dataSource.initialize();
 */
export class VectorDataSource extends DataSourceWithMetadataHook {
  private readonly resolved: ResolvedOptions;
  private readonly connectionSetup: ConnectionSetup;
  private readonly driverKnowsVector: boolean;
  private readonly undeclaredVectorIndexes: UndeclaredVectorIndexes;

  constructor(options: DataSourceOptions, settings: VectorDataSourceSettings = {}) {
    const resolved = resolveOptions(options);
    const setup = CONNECTION_SETUPS[resolved.driver](options);
    super(setup.options);
    this.resolved = resolved;
    // The options the connection setup hands TypeORM may no longer carry what named the dialect
    // (pglite() and libsql() markers are replaced by driver modules): record it now. A server check
    // (mysql2) settles it again once connected.
    settleDialect(this, resolved.dialect);
    const undeclared = settings.undeclaredVectorIndexes ?? 'keep';
    if (undeclared !== 'keep' && undeclared !== 'drop') {
      throw new VectorConfigurationError(`undeclaredVectorIndexes ${JSON.stringify(undeclared)} is not 'keep' or 'drop'; pass one of them, or leave it out to keep such indexes.`);
    }
    this.undeclaredVectorIndexes = undeclared;
    this.connectionSetup = setup;
    // A driver of typeorm-vector's own (libSQL) replaces the one TypeORM built for options.type.
    if (setup.createDriver) replaceDriver(this, setup.createDriver(this));
    this.driverKnowsVector = driverKnowsColumnType(this.driver, 'vector');
    // TypeORM validates column types while it builds metadata; 'vector' must pass on every driver
    // until afterMetadataBuilt() gives each vector column the backend's own type.
    allowColumnType(this.driver, 'vector');
  }

  override async initialize(): Promise<this> {
    await super.initialize();
    await this.connectionSetup.afterInitialize?.(this);
    return this;
  }

  /**
   * The driver is connected: ask the server which dialect applies, where the options cannot tell
   * (metadata built without a connection keeps the dialect the options name).
   */
  protected async beforeMetadataBuilt(): Promise<void> {
    const check = this.resolved.serverCheck;
    if (!check || !this.isInitialized) return;
    let rows: unknown;
    try {
      rows = await this.query(check.sql);
    } catch (error) {
      throw new VectorConfigurationError(
        `typeorm-vector could not run ${check.sql} to ${check.purpose}; check that the connection works and may run queries.`,
        { cause: error },
      );
    }
    settleDialect(this, check.dialectFor(Array.isArray(rows) ? rows : []));
  }

  protected async afterMetadataBuilt(): Promise<void> {
    const dialect = dialectOf(this);
    const hasVectorColumns = attachVectorColumns(this, dialect);
    attachVectorIndexes(this, dialect);
    await adoptExistingVectorIndexes(this, dialect);
    registerVectorIndexes(this, dialect);
    attachFullTextIndexes(this, dialect);
    // findNearest caches each column's vector indexes briefly: DDL run here (synchronize, migrations, raw SQL) empties the cache.
    // A search skips its transaction when the connection's session already holds its settings: a statement that may change them is seen here too.
    // Synchronous, so that TypeORM has no promise to await after every query.
    listenAfterQuery(this, (event) => {
      forgetVectorIndexesAfter(event.query);
      forgetSessionSettingsAfter(event.query, event.queryRunner);
    });
    wrapSchemaBuilder(this.driver, (inner) => new FullTextSchemaBuilder(new VectorSchemaBuilder(inner, this, dialect, this.undeclaredVectorIndexes), this, dialect));
    await this.connectionSetup.afterMetadata?.(this, { driverKnowsVector: this.driverKnowsVector, hasVectorColumns });
  }
}
