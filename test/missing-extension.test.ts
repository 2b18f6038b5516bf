/**
 * A missing extension fails at VectorDataSource.initialize() with a sentence saying how to fix it,
 * not with a cryptic SQL error later: pgvector not created in a database (and the role may not create
 * it) fails synchronize before any table is touched (without synchronize, initialize() succeeds so
 * that a migration can create the extension); sqlite-vec not installed
 * (test/sqlite-vec-loading.test.ts); libSQL needs none (F32_BLOB is built in).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { VectorConfigurationError, VectorDataSource } from '../src';
import { backendSelected, requiredUrl } from './support/backends';
import { withDatabase, withPgClient } from './support/db-clients';
import { Doc } from './support/entities';

(backendSelected('postgres') ? describe : describe.skip)('pgvector missing from a PostgreSQL database', () => {
  it('fails initialize() with synchronize with the fix, creating no table', async () => {
    const admin = requiredUrl('TEST_POSTGRES_URL');
    const suffix = randomBytes(4).toString('hex');
    const role = `tv_noext_${suffix}`;
    const database = `tv_noext_${suffix}`;
    await withPgClient(admin, async (c) => {
      await c.query(`CREATE ROLE ${role} LOGIN`);
      await c.query(`CREATE DATABASE ${database} OWNER ${role}`);
    });
    try {
      const url = new URL(withDatabase(admin, database));
      url.username = role;
      const dataSource = new VectorDataSource({ type: 'postgres', url: url.toString(), entities: [Doc], synchronize: true, logging: false });
      await expect(dataSource.initialize()).rejects.toMatchObject({
        constructor: VectorConfigurationError,
        message:
          'synchronize cannot create vector columns: PostgreSQL (pgvector) has no vector type or functions in this database; run CREATE EXTENSION vector in this database as a role allowed to (e.g. a superuser), or createVectorExtension(queryRunner) in a migration, after installing pgvector on the server (e.g. apt install postgresql-17-pgvector).',
        cause: expect.objectContaining({ message: 'type "vector" does not exist' }),
      });
      if (dataSource.isInitialized) await dataSource.destroy();
      const tables = await withPgClient(withDatabase(admin, database), (c) => c.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`));
      expect(tables.rows).toEqual([]);
    } finally {
      await withPgClient(admin, async (c) => {
        await c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await c.query(`DROP ROLE IF EXISTS ${role}`);
      });
    }
  });
});
