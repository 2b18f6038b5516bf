import type { ColumnType, ValueTransformer } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Whether the driver itself knows column type `type` (TypeORM 0.3.28+ and 1.x know `vector`).
 *
 * Touch point: `Driver#supportedDataTypes`.
 *
 * @example
 * driverKnowsColumnType(dataSource.driver, 'vector'); // true on PostgreSQL, TypeORM 1.x
 */
export function driverKnowsColumnType(driver: Driver, type: string): boolean {
  return (driver.supportedDataTypes as readonly string[]).includes(type);
}

/**
 * Makes TypeORM's metadata validation accept column type `type`, with a length, on this driver
 * instance (TypeORM validates column types before any hook of a library runs).
 *
 * Touch point: `Driver#supportedDataTypes` and `#withLengthColumnTypes`, mutable arrays.
 *
 * @example
 * allowColumnType(dataSource.driver, 'vector');
 */
export function allowColumnType(driver: Driver, type: string): void {
  for (const list of [driver.supportedDataTypes, driver.withLengthColumnTypes]) {
    if (!(list as readonly string[]).includes(type)) list.push(type as ColumnType);
  }
}

/**
 * The native connection a driver opened (better-sqlite3's or node sqlite3's `Database`, a libSQL
 * client, a pg Pool), or undefined before it connected.
 *
 * Touch point: `Driver#databaseConnection`, set by every TypeORM driver's `connect()`.
 *
 * @example
 * nativeConnection(dataSource.driver); // better-sqlite3's Database
 */
export function nativeConnection(driver: Driver): unknown {
  return (driver as unknown as { databaseConnection?: unknown }).databaseConnection;
}

/**
 * Gives a built column its backend's type, length and transformer, after TypeORM validated the
 * metadata and before anything reads it (schema sync, persistence, hydration).
 *
 * Touch point: `ColumnMetadata#type`, `#length`, `#transformer`, written after `buildMetadatas()`.
 *
 * @example
 * setColumnStorage(column, { type: 'blob', length: '', transformer });
 */
export function setColumnStorage(column: ColumnMetadata, storage: { type: string; length: string; transformer: ValueTransformer }): void {
  column.type = storage.type as ColumnType;
  column.length = storage.length;
  column.transformer = storage.transformer;
}
