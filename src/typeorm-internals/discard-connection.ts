import type { QueryRunner } from 'typeorm';

/**
 * Releases `runner` so that its connection is destroyed rather than returned to the pool: for a
 * connection left in an unknown state (a transaction that could not be ended). Where the driver has
 * no such release, a plain release.
 *
 * Touch point: the PostgreSQL query runner's protected `releasePostgresConnection(err)`, which hands
 * `err` to pg-pool's release (pg-pool destroys a client released with an error).
 *
 * @example
 * await discardConnection(runner, error);
 */
export async function discardConnection(runner: QueryRunner, error: unknown): Promise<void> {
  const release = (runner as unknown as { releasePostgresConnection?: (err?: unknown) => Promise<void> }).releasePostgresConnection;
  if (typeof release === 'function') await release.call(runner, error instanceof Error ? error : new Error(String(error)));
  else await runner.release();
}
