import { DataSource, type DataSourceOptions } from 'typeorm';
import { validateDimensions } from '../codecs';
import { findVectorColumn } from '../column/vector-column-registry';
import { vectorTransformer } from '../column/vector-transformer';
import type { ConnectionSetup } from '../dialects/dialect';
import { detectDialect, dialectForOptions, resolveDialect } from '../dialects/resolve';
import { bindVectorIndexes } from './bind-vector-indexes';
import { installVectorSchemaBuilder } from './vector-schema-builder';
import { installVectorTableLoader } from './vector-table-loader';

/**
 * A TypeORM DataSource that knows vector columns: it gives every `@VectorColumn` the backend's
 * column type and codec, and on SQLite loads sqlite-vec into every connection it opens
 * (`prepareDatabase` for better-sqlite3, a wrapped `sqlite3` driver for TypeORM 0.3's `sqlite`). On
 * `mysql` and `mariadb` it asks the server's `VERSION()` once, after connecting, whether it is
 * MariaDB or MySQL. Use it wherever you would use `new DataSource(options)`, including the
 * DataSource the TypeORM CLI reads.
 *
 * @example
 * export const dataSource = new VectorDataSource({
 *   type: 'postgres', url: process.env.DATABASE_URL, entities: [Doc], synchronize: true,
 * });
 * await dataSource.initialize();
 */
export class VectorDataSource extends DataSource {
  private readonly connectionSetup: ConnectionSetup;
  /** Whether the driver knew the `vector` type itself (TypeORM 0.3.28+ and 1.x; 0.3.27 on PostgreSQL). */
  private readonly driverKnowsVector: boolean;

  constructor(options: DataSourceOptions) {
    const setup = dialectForOptions(options).setUpConnection?.(options) ?? { options };
    super(setup.options);
    this.connectionSetup = setup;
    // TypeORM 1.x has no driver registry: a dialect that brings its own driver (libSQL) replaces
    // the one TypeORM built for options.type, before anything has used it.
    if (setup.createDriver) Object.assign(this, { driver: setup.createDriver(this) });
    this.driverKnowsVector = this.driver.supportedDataTypes.includes('vector');
    // TypeORM validates column types while it builds metadata; 'vector' must pass on every driver
    // until buildMetadatas() below swaps in the backend's own type.
    for (const list of [this.driver.supportedDataTypes, this.driver.withLengthColumnTypes]) {
      if (!list.includes('vector')) list.push('vector');
    }
  }

  override async initialize(): Promise<this> {
    await super.initialize();
    await this.connectionSetup.afterInitialize?.(this);
    return this;
  }

  protected override async buildMetadatas(): Promise<void> {
    // Runs after the driver connected: the server may be asked which dialect applies (MariaDB or MySQL).
    await detectDialect(this);
    await super.buildMetadatas();
    bindVectorColumns(this);
    bindVectorIndexes(this);
    installVectorSchemaBuilder(this);
    if (!this.driverKnowsVector) {
      // Older drivers' table loaders misread vector(N) dimensions (see vector-table-loader.ts), and
      // they do not install the vector type on connect as TypeORM 0.3.27+ does (pgvector).
      installVectorTableLoader(this);
      if (hasVectorColumns(this)) await resolveDialect(this).installVectorType?.(this);
    }
  }
}

function hasVectorColumns(dataSource: DataSource): boolean {
  return dataSource.entityMetadatas.some((entity) => entity.columns.some((column) => findVectorColumn(column.target, column.propertyName)));
}

/** Gives each vector column of `dataSource` the backend's column type and transformer. */
function bindVectorColumns(dataSource: DataSource): void {
  const dialect = resolveDialect(dataSource);
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) {
      const spec = findVectorColumn(column.target, column.propertyName);
      if (!spec) continue;
      validateDimensions(spec.dimensions, dialect.maxDimensions, spec.subject, dialect.name);
      const columnType = dialect.columnType(spec.dimensions);
      column.type = columnType.type;
      column.length = columnType.length === undefined ? '' : String(columnType.length);
      column.transformer = vectorTransformer(spec, dialect);
    }
  }
}
