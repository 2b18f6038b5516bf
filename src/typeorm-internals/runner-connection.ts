import type { QueryRunner } from 'typeorm';

/**
 * The native connection a query runner holds once connected (a `pg` client checked out of the
 * pool, ...), or undefined before it connected or where it holds none of its own.
 *
 * Touch point: `QueryRunner#databaseConnection`, which TypeORM's query runners set in `connect()`.
 *
 * @example
 * await runner.connect(); runnerConnection(runner); // the pg Client this runner queries on
 */
export function runnerConnection(runner: QueryRunner): object | undefined {
  const connection = (runner as unknown as { databaseConnection?: unknown }).databaseConnection;
  return typeof connection === 'object' && connection !== null ? connection : undefined;
}
