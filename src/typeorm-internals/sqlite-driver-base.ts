import { AbstractSqliteDriver } from 'typeorm/driver/sqlite-abstract/AbstractSqliteDriver';
import { AbstractSqliteQueryRunner } from 'typeorm/driver/sqlite-abstract/AbstractSqliteQueryRunner';
import { Broadcaster } from 'typeorm/subscriber/Broadcaster';
import { BroadcasterResult } from 'typeorm/subscriber/BroadcasterResult';
import type { QueryRunner } from 'typeorm';

/**
 * TypeORM's SQLite driver and query runner, which typeorm-vector's libSQL driver extends: it
 * overrides `createDatabaseConnection`, `createQueryRunner`, `disconnect`, `normalizeType`,
 * `createFullType` (driver) and `query`, `startTransaction`, `commitTransaction`,
 * `rollbackTransaction`, `beforeMigration`, `afterMigration`, `loadTables`, `clearDatabase` (runner).
 *
 * Touch point: `typeorm/driver/sqlite-abstract/*`, deep imports not in TypeORM's public index.
 *
 * @example
 * class LibsqlDriver extends SqliteDriverBase { ... }
 */
export { AbstractSqliteDriver as SqliteDriverBase, AbstractSqliteQueryRunner as SqliteQueryRunnerBase };

/**
 * A subscriber broadcaster for a query runner built outside TypeORM.
 *
 * Touch point: `typeorm/subscriber/Broadcaster`.
 *
 * @example
 * this.broadcaster = createBroadcaster(this);
 */
export function createBroadcaster(queryRunner: QueryRunner): Broadcaster {
  return new Broadcaster(queryRunner);
}

/**
 * Broadcasts `BeforeQuery`, runs `execute`, then broadcasts `AfterQuery` (success or failure, with
 * the elapsed time and raw result) and waits for the subscribers, as TypeORM's own runners do.
 *
 * Touch point: `Broadcaster#broadcast('BeforeQuery', ...)`, `#broadcastAfterQueryEvent(result,
 * query, parameters, success, time, raw, error)` and `BroadcasterResult#wait()`.
 *
 * @example
 * const result = await broadcastQuery(this.broadcaster, sql, args, () => client.execute({ sql, args }), (r) => r.rows);
 */
export async function broadcastQuery<T>(broadcaster: Broadcaster, query: string, parameters: unknown[], execute: () => Promise<T>, rawOf: (result: T) => unknown): Promise<T> {
  await broadcaster.broadcast('BeforeQuery', query, parameters);
  const broadcasterResult = new BroadcasterResult();
  const started = Date.now();
  try {
    const result = await execute();
    broadcaster.broadcastAfterQueryEvent(broadcasterResult, query, parameters, true, Date.now() - started, rawOf(result), undefined);
    return result;
  } catch (error) {
    broadcaster.broadcastAfterQueryEvent(broadcasterResult, query, parameters, false, undefined, undefined, error);
    throw error;
  } finally {
    await broadcasterResult.wait();
  }
}
