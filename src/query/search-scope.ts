import type { EntityManager, QueryRunner } from 'typeorm';
import type { VectorDialect } from '../dialects';
import { VectorError } from '../errors';
import { dataSourceOf, discardConnection } from '../typeorm-internals';
import { isOwnRunner, readRunner } from './read-side';
import { sessionAlreadyHas } from './session-settings';

/** A search's query runner inside its transaction, and how to change settings for the rest of the search. */
export interface SearchScope {
  readonly runner: QueryRunner;
  /** Sets `settings` (database setting name -> value) until the search ends. */
  set(settings: Readonly<Record<string, string>>): Promise<void>;
}

/** Searches waiting for a caller's query runner: one at a time, so their settings never mix. */
const queues = new WeakMap<QueryRunner, Promise<unknown>>();
let savepoints = 0;

/**
 * Runs `search` with `settings` (and later what it passes to `scope.set`) for its own statements
 * only, so `SET LOCAL` never leaks to the next user of a pooled connection:
 * - without a caller's transaction: when the connection's session already holds `settings`
 *   (`sessionAlreadyHas`: the server's defaults, which most searches ask for), the search runs
 *   without a transaction until it sets something; otherwise in a read-only transaction of its
 *   own (where the dialect has `readOnly`; PostgreSQL's is a setting sent in the same statement as
 *   `settings`), on the manager's query runner or else one in TypeORM's read mode (a replica where
 *   TypeORM has one, unless `replication.defaultMode` says otherwise), committed and released; if
 *   ending it fails, the connection is rolled back, or discarded when even that fails (a runner
 *   the search opened: `onReadSide`), never returned to the pool mid-transaction;
 * - inside the caller's transaction (the manager's query runner): under a savepoint of its own,
 *   one search at a time on that runner; the settings it changed are put back (`set_config` to
 *   the value read before, or `SET LOCAL ... TO DEFAULT`) and the savepoint released, so the
 *   caller's writes, even ones running meanwhile, are kept; a failed search rolls back to the
 *   savepoint, which keeps the caller's transaction usable.
 *
 * @example
 * const rows = await inSearchTransaction(repo.manager, postgresDialect, { 'hnsw.ef_search': '100' }, ({ runner }) => qb.setQueryRunner(runner).getMany());
 */
export async function inSearchTransaction<T>(
  manager: EntityManager,
  dialect: VectorDialect,
  settings: Readonly<Record<string, string>>,
  search: (scope: SearchScope) => Promise<T>,
): Promise<T> {
  const callers = manager.queryRunner;
  if (callers?.isTransactionActive) {
    const previous = queues.get(callers) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(() => underSavepoint(callers, dialect, settings, search));
    queues.set(callers, current);
    return current;
  }
  const runner = callers ?? readRunner(dataSourceOf(manager), undefined);
  const readOnly = dialect.sql.transactionSettings?.readOnly;
  const begin = async (first: Readonly<Record<string, string>>) => {
    await runner.startTransaction();
    if (typeof readOnly === 'string') await runner.query(readOnly);
    await applySettings(dialect, runner, typeof readOnly === 'object' ? { ...readOnly, ...first } : first);
  };
  try {
    // Settings the connection's session already holds need no transaction: the search then starts one only if it changes a setting later.
    if (!(await sessionAlreadyHas(runner, dialect, settings))) await begin(settings);
    const set = (later: Readonly<Record<string, string>>) => (runner.isTransactionActive ? applySettings(dialect, runner, later) : begin(later));
    const result = await failing(search({ runner, set }), async () => {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
    });
    if (runner.isTransactionActive) await runner.commitTransaction();
    return result;
  } finally {
    // A commit or rollback that failed (a throwing subscriber, a lost connection) leaves the transaction open: end it here.
    if (runner.isTransactionActive) await endOpenTransaction(runner, !callers || isOwnRunner(callers));
    if (!callers && !runner.isReleased) await runner.release();
  }
}

async function underSavepoint<T>(runner: QueryRunner, dialect: VectorDialect, settings: Readonly<Record<string, string>>, search: (scope: SearchScope) => Promise<T>): Promise<T> {
  const savepoint = `tv_search_${++savepoints}`;
  const before = new Map<string, string | null>();
  const set = async (changed: Readonly<Record<string, string>>) => {
    const unseen = Object.keys(changed).filter((name) => !before.has(name));
    const read = dialect.sql.transactionSettings?.read;
    if (unseen.length && read) {
      const { sql, parameters } = read(unseen);
      const [row] = (await runner.query(sql, [...parameters])) as Array<Record<string, string | null>>;
      unseen.forEach((name, i) => before.set(name, row?.[`s${i}`] ?? null));
    }
    await applySettings(dialect, runner, changed);
  };
  await runner.query(`SAVEPOINT ${savepoint}`);
  const searched = async () => {
    await set(settings);
    return search({ runner, set });
  };
  const result = await failing(searched(), async () => {
    await runner.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
    await runner.query(`RELEASE SAVEPOINT ${savepoint}`);
  });
  const statements = dialect.sql.transactionSettings!;
  const restore = Object.fromEntries([...before].filter((entry): entry is [string, string] => entry[1] !== null));
  if (Object.keys(restore).length) await applySettings(dialect, runner, restore);
  for (const [name, value] of before) if (value === null) await runner.query(statements.reset(name));
  await runner.query(`RELEASE SAVEPOINT ${savepoint}`);
  return result;
}

/** Awaits `work`; when it fails, runs `cleanup` first (a failure of both is reported together). */
async function failing<T>(work: Promise<T>, cleanup: () => Promise<void>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    try {
      await cleanup();
    } catch (cleanupError) {
      throw new VectorError(
        `The vector search failed (${String(error)}) and ending its transaction failed too (${String(cleanupError)}); its connection was not reused, so retry the search.`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Ends a transaction TypeORM could not end, by a rollback; a connection of our own that refuses even a plain ROLLBACK is discarded. */
async function endOpenTransaction(runner: QueryRunner, ownRunner: boolean): Promise<void> {
  try {
    await runner.rollbackTransaction();
  } catch {
    // TypeORM's rollback broadcasts to subscribers first; a plain ROLLBACK does not.
    try {
      await runner.query('ROLLBACK');
    } catch (error) {
      if (!ownRunner) throw new VectorError(`The vector search could not end its transaction on your query runner (${String(error)}); release that query runner and retry.`, { cause: error });
      await discardConnection(runner, error);
    }
  }
}

/**
 * Runs a dialect's transaction-scoped settings on `runner`.
 *
 * @example
 * await applySettings(postgresDialect, runner, { 'hnsw.ef_search': '100' });
 */
export async function applySettings(dialect: VectorDialect, runner: QueryRunner, settings: Readonly<Record<string, string>>): Promise<void> {
  const statement = dialect.sql.transactionSettings;
  if (!statement || !Object.keys(settings).length) return;
  const { sql, parameters } = statement.set(settings);
  await runner.query(sql, [...parameters]);
}
