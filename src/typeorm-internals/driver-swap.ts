import type { DataSource } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import { QueryResultCacheFactory } from 'typeorm/cache/QueryResultCacheFactory';

/**
 * Replaces the driver TypeORM's DataSource constructor built for `options.type` (TypeORM 1.x has no
 * driver registry), and rebuilds everything that constructor made from the old driver: the entity
 * manager and the query-result cache (whose table name and database were read from the driver).
 * Call it in the subclass constructor, before anything used the DataSource.
 *
 * Touch point: `DataSource#driver`, `#manager` (`createEntityManager()`), `#queryResultCache`
 * (`QueryResultCacheFactory`), all set by the DataSource constructor.
 *
 * @example
 * replaceDriver(this, new LibsqlDriver(this, connection));
 */
export function replaceDriver(dataSource: DataSource, driver: Driver): void {
  const target = dataSource as { -readonly [K in 'driver' | 'manager' | 'queryResultCache']: DataSource[K] };
  target.driver = driver;
  target.manager = dataSource.createEntityManager();
  target.queryResultCache = dataSource.options.cache ? new QueryResultCacheFactory(dataSource).create() : undefined;
}
