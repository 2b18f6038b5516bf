import type { EntityManager, QueryRunner } from 'typeorm';
import type { VectorDialect } from '../dialects';
import { VectorError } from '../errors';
import { dataSourceOf } from '../typeorm-internals';

const SAVEPOINT = 'tv_search';

/**
 * Runs `search` on a query runner inside a transaction whose settings end with it, so `SET LOCAL`
 * never leaks to the next user of a pooled connection: in the caller's transaction (the manager's
 * query runner) under a savepoint that is rolled back afterwards (which undoes the settings and
 * nothing else: the search only reads); otherwise in a transaction of its own on a read-mode
 * runner (a replica where TypeORM has one), committed and released.
 *
 * @example
 * const rows = await inSearchTransaction(repo.manager, async (runner) => { await runner.query(setSql); return qb.setQueryRunner(runner).getMany(); });
 */
export async function inSearchTransaction<T>(manager: EntityManager, search: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const callers = manager.queryRunner;
  if (callers?.isTransactionActive) {
    await callers.query(`SAVEPOINT ${SAVEPOINT}`);
    return settle(search(callers), async () => {
      await callers.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
      await callers.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    });
  }
  const runner = callers ?? dataSourceOf(manager).createQueryRunner('slave');
  try {
    await runner.startTransaction();
    // Committing a read-only transaction and rolling it back end its settings alike.
    return await settle(search(runner), () => (runner.isTransactionActive ? runner.commitTransaction() : Promise.resolve()), () => runner.rollbackTransaction());
  } finally {
    if (!callers) await runner.release();
  }
}

/** Awaits `work`, then `after` (or `onError`, default `after`); a failure of both is reported together. */
async function settle<T>(work: Promise<T>, after: () => Promise<void>, onError: () => Promise<void> = after): Promise<T> {
  let result: T;
  try {
    result = await work;
  } catch (error) {
    try {
      await onError();
    } catch (cleanupError) {
      throw new VectorError(`The vector search failed and ending its transaction failed too: ${String(cleanupError)}.`, { cause: error });
    }
    throw error;
  }
  await after();
  return result;
}

/**
 * Runs a dialect's transaction-scoped settings on `runner`.
 *
 * @example
 * await applyTransactionSettings(postgresDialect, runner, { 'hnsw.ef_search': '100' });
 */
export async function applyTransactionSettings(dialect: VectorDialect, runner: QueryRunner, settings: Readonly<Record<string, string>>): Promise<void> {
  const statement = dialect.sql.transactionSettings;
  if (!statement || !Object.keys(settings).length) return;
  const { sql, parameters } = statement.set(settings);
  await runner.query(sql, [...parameters]);
}
