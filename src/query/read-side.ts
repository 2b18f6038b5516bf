import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { VectorConfigurationError } from '../errors';
import { dataSourceOf } from '../typeorm-internals';
import { READ_FROM_VALUES, type ReadFrom } from '../vocabulary';

/** Query runners this module opened for one search: the search owns them (and may discard a broken one). */
const ownRunners = new WeakSet<QueryRunner>();

/**
 * Throws unless `readFrom` is unset, `'replica'` or `'primary'`.
 *
 * @example
 * checkReadFrom('master', 'findNearest'); // throws: findNearest readFrom 'master' is not 'replica' or 'primary'; ...
 */
export function checkReadFrom(readFrom: unknown, caller: string): asserts readFrom is ReadFrom | undefined {
  if (readFrom !== undefined && !(READ_FROM_VALUES as readonly unknown[]).includes(readFrom)) {
    throw new VectorConfigurationError(
      `${caller} readFrom ${JSON.stringify(readFrom)} is not 'replica' or 'primary'; pass readFrom: 'primary' to read your own writes, or leave it unset for TypeORM's read mode.`,
    );
  }
}

/**
 * A new query runner on the server `readFrom` names: TypeORM's `'slave'` (a replica) or
 * `'master'` mode, or TypeORM's default mode for reads (`replication.defaultMode`) when unset.
 *
 * @example
 * const runner = readRunner(dataSource, 'primary'); // createQueryRunner('master')
 */
export function readRunner(dataSource: DataSource, readFrom: ReadFrom | undefined): QueryRunner {
  const mode = readFrom === 'primary' ? 'master' : readFrom === 'replica' ? 'slave' : dataSource.defaultReplicationModeForReads();
  const runner = dataSource.createQueryRunner(mode);
  ownRunners.add(runner);
  return runner;
}

/**
 * Whether `runner` was opened by `readRunner` (a search's own, released by it) rather than passed by the caller.
 *
 * @example
 * isOwnRunner(manager.queryRunner); // false for the runner of a caller's transaction
 */
export function isOwnRunner(runner: QueryRunner | undefined): boolean {
  return runner !== undefined && ownRunners.has(runner);
}

/**
 * Runs `work` with an entity manager whose every query (catalog reads, counts, the search and its
 * settings) goes to one server: the caller's query runner when `manager` has one (a transaction:
 * TypeORM runs those on the primary), else a runner of its own on the server `readFrom` names,
 * released afterwards.
 *
 * @example
 * const rows = await onReadSide(repo.manager, 'replica', (manager) => manager.query('SELECT pg_is_in_recovery()'));
 */
export async function onReadSide<T>(manager: EntityManager, readFrom: ReadFrom | undefined, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  if (manager.queryRunner) return work(manager);
  const runner = readRunner(dataSourceOf(manager), readFrom);
  try {
    return await work(runner.manager);
  } finally {
    if (!runner.isReleased) await runner.release();
  }
}
