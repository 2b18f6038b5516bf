import type { DataSource } from 'typeorm';

/** Anything TypeORM gives its DataSource to: TypeORM 1.x names it `dataSource`, 0.3 `connection`. */
interface DataSourceOwner {
  dataSource?: DataSource;
  connection?: DataSource;
}

/**
 * The DataSource a TypeORM driver, query runner, query builder or entity manager belongs to:
 * `dataSource` on TypeORM 1.x (where `connection` is deprecated), `connection` on 0.3.
 *
 * Touch point: the owner's `dataSource`/`connection` field.
 *
 * @example
 * dataSourceOf(qb).driver.escape('embedding'); // '"embedding"'
 */
export function dataSourceOf(owner: object): DataSource {
  const { dataSource, connection } = owner as DataSourceOwner;
  const found = dataSource ?? connection;
  if (!found) throw new TypeError(`${owner.constructor.name} has neither dataSource (TypeORM 1.x) nor connection (TypeORM 0.3).`);
  return found;
}

/**
 * Gives a query runner built outside TypeORM its DataSource under the name the TypeORM line in use
 * reads: `dataSource` on 1.x (where `connection` is a read-only getter over it), `connection` on 0.3.
 *
 * @example
 * attachDataSource(this, dataSourceOf(driver)); // in a QueryRunner constructor
 */
export function attachDataSource(queryRunner: object, dataSource: DataSource): void {
  const target = queryRunner as DataSourceOwner;
  target.dataSource = dataSource;
  if (!hasAccessor(queryRunner, 'connection')) target.connection = dataSource;
}

function hasAccessor(object: object, name: string): boolean {
  for (let proto: object | null = object; proto; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, name);
    if (descriptor) return descriptor.get !== undefined || descriptor.set !== undefined;
  }
  return false;
}
