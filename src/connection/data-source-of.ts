import type { DataSource } from 'typeorm';

/** A TypeORM driver or query runner, on either line: TypeORM 1.x calls its DataSource `dataSource`, 0.3 `connection`. */
interface DataSourceOwner {
  dataSource?: DataSource;
  connection?: DataSource;
}

/**
 * The DataSource a TypeORM driver or query runner belongs to, on TypeORM 1.x (`dataSource`) and
 * 0.3 (`connection`).
 *
 * @example
 * dataSourceOf(queryRunner).logger.logQuery('BEGIN', [], queryRunner);
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
 * attachDataSource(this, dataSourceOf(driver)); // in a QueryRunner constructor, before new Broadcaster(this)
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
