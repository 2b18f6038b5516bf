import type { QueryRunner } from 'typeorm';
import { VectorMigrationError } from '../errors';

/**
 * Runs DDL statements in order; the first failure becomes a `VectorMigrationError` naming the
 * statement, the driver's message and `advice`, with the driver's error as `cause`.
 *
 * @example
 * await runStatements(queryRunner, ['CREATE EXTENSION IF NOT EXISTS vector'], 'Creating the pgvector extension', 'install pgvector');
 */
export async function runStatements(queryRunner: QueryRunner, statements: readonly string[], action: string, advice: string): Promise<void> {
  for (const sql of statements) {
    try {
      await queryRunner.query(sql);
    } catch (cause) {
      throw new VectorMigrationError(`${action} failed at \`${sql}\` (${errorMessage(cause)}); ${advice}.`, { cause });
    }
  }
}

/**
 * Runs a catalog query and returns its rows (an empty list when the driver returns none).
 *
 * @example
 * await queryRows(queryRunner, 'SELECT 1 AS one', []); // [{ one: 1 }]
 */
export async function queryRows(queryRunner: QueryRunner, sql: string, parameters: unknown[]): Promise<Array<Record<string, unknown>>> {
  const result: unknown = await queryRunner.query(sql, parameters);
  return Array.isArray(result) ? (result as Array<Record<string, unknown>>) : [];
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
