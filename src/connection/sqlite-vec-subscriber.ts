import { EventSubscriber, type DataSource, type EntitySubscriberInterface, type QueryRunner } from 'typeorm';
import { dataSourceOf, nativeConnection } from '../typeorm-internals';
import { loadSqliteVec, loadSqliteVecAsync } from './load-sqlite-vec';

const loaded = new WeakSet<object>();

interface QueryEventLike {
  queryRunner?: QueryRunner;
  dataSource?: DataSource;
  connection?: DataSource;
}

/**
 * Loads sqlite-vec into every SQLite connection a plain `DataSource` opens, before its first query
 * (including the queries `synchronize` and migrations run). Works with the `better-sqlite3` driver
 * and with TypeORM 0.3's `sqlite` (node sqlite3) driver.
 * `VectorDataSource` does not need it: it loads sqlite-vec through the driver itself, which also
 * covers the TypeORM CLI's `migration:run`/`migration:revert`/`migration:show`, which clear
 * `subscribers` before connecting.
 *
 * @example
 * new DataSource({ type: 'better-sqlite3', database: 'app.db', entities: [Doc], subscribers: [SqliteVecSubscriber] });
 */
@EventSubscriber()
export class SqliteVecSubscriber implements EntitySubscriberInterface {
  async beforeQuery(event: QueryEventLike): Promise<void> {
    const db = nativeConnection(dataSourceOf(event.queryRunner ?? event).driver);
    if (typeof db !== 'object' || db === null || loaded.has(db)) return;
    loaded.add(db);
    try {
      await loadInto(db as { loadExtension: Function });
    } catch (error) {
      loaded.delete(db);
      throw error;
    }
  }
}

async function loadInto(db: { loadExtension: Function }): Promise<void> {
  // better-sqlite3 (it has pragma()) loads synchronously; node sqlite3's loadExtension takes a callback.
  if (isBetterSqlite3(db)) loadSqliteVec(db as never);
  else await loadSqliteVecAsync(db as never);
}

function isBetterSqlite3(db: object): boolean {
  return typeof (db as { pragma?: unknown }).pragma === 'function';
}
