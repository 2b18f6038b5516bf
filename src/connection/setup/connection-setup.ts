import type { DataSource, DataSourceOptions } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';

/** What VectorDataSource knows once the metadata is built. */
export interface MetadataContext {
  /** Whether the TypeORM driver knew the `vector` type itself (TypeORM 0.3.28+ and 1.x; 0.3.27 on PostgreSQL). */
  driverKnowsVector: boolean;
  /** Whether any entity has a `@VectorColumn`. */
  hasVectorColumns: boolean;
}

/**
 * What one Node driver needs so vectors work on every connection: adapted options (load an
 * extension, install a type parser), a driver of its own (libSQL), and work at start-up.
 */
export interface ConnectionSetup {
  options: DataSourceOptions;
  /** A driver to use instead of the one TypeORM picks for `options.type`. */
  createDriver?(dataSource: DataSource): Driver;
  /** Runs once the metadata is built, before synchronize and migrations. */
  afterMetadata?(dataSource: DataSource, context: MetadataContext): Promise<void>;
  /** Runs once `initialize()` finished. */
  afterInitialize?(dataSource: DataSource): Promise<void>;
}
