import type { QueryRunner } from 'typeorm';
import { dialectOf } from '../dialects';
import { VectorConfigurationError } from '../errors';
import { dataSourceOf } from '../typeorm-internals';
import { runStatements } from './run-statements';

/**
 * Makes vectors available to the database of a migration: `CREATE EXTENSION IF NOT EXISTS vector`
 * on PostgreSQL (a failure is thrown with the driver's error as `cause`, never swallowed); on SQLite,
 * checks that sqlite-vec is loaded in the connection (`vec_version()`) and says how to load it;
 * nothing on MariaDB, MySQL and libSQL, whose vector support is built in.
 *
 * @example
 * export class AddVectors1700000000000 implements MigrationInterface {
 *   async up(queryRunner: QueryRunner) { await createVectorExtension(queryRunner); }
 *   async down(queryRunner: QueryRunner) { await dropVectorExtension(queryRunner); }
 * }
 */
export async function createVectorExtension(queryRunner: QueryRunner): Promise<void> {
  const dialect = dialectOf(dataSourceOf(queryRunner));
  const ddl = dialect.ddl;
  if (!ddl) return; // MySQL: VECTOR is built in, and there is no vector index.
  const name = dialect.capabilities.name;
  await runStatements(queryRunner, ddl.createExtension, `Creating the ${name} extension`, ddl.extensionAdvice ?? 'check the database server');
  if (ddl.extensionCheck) {
    try {
      await queryRunner.query(ddl.extensionCheck.sql);
    } catch (cause) {
      throw new VectorConfigurationError(`The vector functions of ${name} are not loaded in this connection; ${ddl.extensionCheck.advice}.`, { cause });
    }
  }
}

/**
 * Undoes `createVectorExtension`: `DROP EXTENSION IF EXISTS vector` on PostgreSQL (without CASCADE,
 * so it fails, with the driver's error as `cause`, while a vector column still exists); nothing on
 * SQLite, libSQL and MariaDB.
 *
 * @example
 * async down(queryRunner: QueryRunner) { await dropVectorExtension(queryRunner); }
 */
export async function dropVectorExtension(queryRunner: QueryRunner): Promise<void> {
  const dialect = dialectOf(dataSourceOf(queryRunner));
  if (!dialect.ddl) return;
  await runStatements(queryRunner, dialect.ddl.dropExtension, `Dropping the ${dialect.capabilities.name} extension`, 'drop the vector columns and indexes first (an earlier migration down)');
}
