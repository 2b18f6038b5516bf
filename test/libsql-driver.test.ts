import 'reflect-metadata';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Column, DataSource, Entity, PrimaryGeneratedColumn, QueryFailedError, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  createLibsqlDataSource,
  libsql,
  sqliteVecPath,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
} from '../src';
import { LibsqlDriver } from '../src/connection/libsql/libsql-driver';
import { dialectOf } from '../src/dialects';
import { Doc } from './support/entities';
import { typeormChildProcess } from './support/typeorm-line';

const run = promisify(execFile);

@Entity('shim_note')
class ShimNote {
  @PrimaryGeneratedColumn() id!: number;
  @Column() body!: string;
  @Column({ type: 'blob', nullable: true }) attachment!: Buffer | null;
  @VectorColumn(4) embedding!: number[];
}

class CreateShimNote1700000000001 implements MigrationInterface {
  name = 'CreateShimNote1700000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "shim_note" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "body" varchar NOT NULL, "attachment" blob, "embedding" F32_BLOB(4) NOT NULL)`,
    );
    await queryRunner.query(`CREATE INDEX shim_note_l2 ON shim_note(libsql_vector_idx(embedding, 'metric=l2'))`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX shim_note_l2`);
    await queryRunner.query(`DROP TABLE "shim_note"`);
  }
}

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-libsql-driver-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let counter = 0;
const LOCATIONS = [
  ['file:', () => `file:${path.join(dir, `db-${++counter}.db`)}`],
  [':memory:', () => ':memory:'],
] as const;

describe.each(LOCATIONS)('libSQL driver shim on %s', (_label, newUrl) => {
  let dataSource: VectorDataSource;
  beforeEach(async () => {
    dataSource = await new VectorDataSource({ ...libsql({ url: newUrl() }), entities: [ShimNote], synchronize: true }).initialize();
  });
  afterEach(async () => {
    if (dataSource.isInitialized) await dataSource.destroy();
  });
  const notes = () => dataSource.getRepository(ShimNote);
  const note = (body: string) => ({ body, attachment: null, embedding: [1, 2, 3, 4] });

  it('is a VectorDataSource with the libSQL driver and dialect', () => {
    expect(dataSource.driver).toBeInstanceOf(LibsqlDriver);
    expect(dialectOf(dataSource).capabilities.name).toBe('libSQL');
    expect(dataSource.options.type).toBe('better-sqlite3');
  });

  it('commits a transaction', async () => {
    await dataSource.transaction(async (manager) => {
      await manager.save(ShimNote, note('a'));
      await manager.save(ShimNote, note('b'));
      expect(await manager.count(ShimNote)).toBe(2);
    });
    expect((await notes().find({ order: { id: 'ASC' } })).map((n) => n.body)).toEqual(['a', 'b']);
  });

  it('rolls a transaction back when its callback throws, and keeps working afterwards', async () => {
    await notes().save(note('kept'));
    await expect(
      dataSource.transaction(async (manager) => {
        await manager.save(ShimNote, note('lost'));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect((await notes().find()).map((n) => n.body)).toEqual(['kept']);
    await notes().save(note('after'));
    expect(await notes().count()).toBe(2);
  });

  it('rolls back when a statement inside fails, with the driver error as QueryFailedError', async () => {
    const attempt = dataSource.transaction(async (manager) => {
      await manager.save(ShimNote, note('lost'));
      await manager.query('INSERT INTO no_such_table VALUES (1)');
    });
    await expect(attempt).rejects.toBeInstanceOf(QueryFailedError);
    await expect(dataSource.transaction((manager) => manager.query('SELECT * FROM no_such_table'))).rejects.toThrow(/no such table: no_such_table/);
    expect(await notes().count()).toBe(0);
  });

  it('nests transactions as savepoints: an inner rollback keeps the outer work', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    await runner.manager.save(ShimNote, note('outer'));
    await runner.startTransaction();
    await runner.manager.save(ShimNote, note('inner'));
    await runner.rollbackTransaction();
    await runner.commitTransaction();
    await runner.release();
    expect((await notes().find()).map((n) => n.body)).toEqual(['outer']);
  });

  it('round-trips ordinary BLOB columns as Buffers and reports affected rows', async () => {
    const saved = await notes().save({ body: 'x', attachment: Buffer.from([0, 1, 254, 255]), embedding: [0.5, 0, 0, 0] });
    const loaded = await notes().findOneByOrFail({ id: saved.id });
    expect(Buffer.isBuffer(loaded.attachment)).toBe(true);
    expect([...loaded.attachment!]).toEqual([0, 1, 254, 255]);
    expect(loaded.embedding).toEqual([0.5, 0, 0, 0]);
    expect((await notes().update({ body: 'x' }, { body: 'y' })).affected).toBe(1);
    expect((await notes().delete({ body: 'y' })).affected).toBe(1);
  });

  it('wants no schema change on a second synchronize', async () => {
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    await dataSource.synchronize();
    expect(await dataSource.query(`SELECT type FROM pragma_table_info('shim_note') WHERE name = 'embedding'`)).toEqual([{ type: 'F32_BLOB(4)' }]);
  });

  it('runs and reverts migrations', async () => {
    await dataSource.destroy();
    dataSource = await new VectorDataSource({
      ...libsql({ url: newUrl() }),
      entities: [ShimNote],
      migrations: [CreateShimNote1700000000001],
    }).initialize();
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(['CreateShimNote1700000000001']);
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
    await notes().save(note('migrated'));
    expect(await dataSource.showMigrations()).toBe(false);
    await dataSource.undoLastMigration();
    expect(await dataSource.query(`SELECT name FROM sqlite_master WHERE name LIKE 'shim_note%'`)).toEqual([]);
    expect(await dataSource.showMigrations()).toBe(true);
  });

  it('cannot load sqlite-vec: @libsql/client exposes no extension loading and SQL load_extension is refused', async () => {
    await expect(dataSource.query('SELECT load_extension(?)', [sqliteVecPath()])).rejects.toThrow(/not authorized/);
  });
});

describe('libSQL driver shim set-up', () => {
  it('keeps a file: database across DataSources (createLibsqlDataSource)', async () => {
    const url = `file:${path.join(dir, 'nested', 'dirs', 'persist.db')}`;
    const first = await createLibsqlDataSource({ url, entities: [Doc], synchronize: true }).initialize();
    await first.getRepository(Doc).save({ title: 'persisted', embedding: [1, 2, 3], draft: null });
    await first.destroy();
    const second = await createLibsqlDataSource({ url, entities: [Doc] }).initialize();
    try {
      const docs = await second.getRepository(Doc).find();
      expect(docs.map((d) => [d.title, d.embedding])).toEqual([['persisted', [1, 2, 3]]]);
    } finally {
      await second.destroy();
    }
  });

  it('dropSchema clears a database that has vector indexes', async () => {
    const url = `file:${path.join(dir, 'drop.db')}`;
    const first = await createLibsqlDataSource({ url, entities: [ShimNote], synchronize: true }).initialize();
    await first.query(`CREATE INDEX shim_note_cos ON shim_note(libsql_vector_idx(embedding))`);
    await first.getRepository(ShimNote).save({ body: 'old', attachment: null, embedding: [1, 0, 0, 0] });
    await first.destroy();
    const second = await createLibsqlDataSource({ url, entities: [ShimNote], synchronize: true, dropSchema: true }).initialize();
    try {
      expect(await second.getRepository(ShimNote).count()).toBe(0);
      expect(await second.query(`SELECT name FROM sqlite_master WHERE name LIKE '%shadow%'`)).toEqual([]);
      expect(await second.transaction('READ UNCOMMITTED', (manager) => manager.count(ShimNote))).toBe(0);
      await expect(second.transaction('REPEATABLE READ', (manager) => manager.count(ShimNote))).rejects.toThrow(/REPEATABLE READ/);
    } finally {
      await second.destroy();
    }
  });

  it('a plain TypeORM DataSource with libsql() options says to use VectorDataSource', async () => {
    const plain = new DataSource({ ...libsql({ url: ':memory:' }) });
    await expect(plain.initialize()).rejects.toThrow(
      new VectorConfigurationError(
        `The libSQL options for :memory: need typeorm-vector's libSQL driver; create the DataSource with new VectorDataSource(options) or createLibsqlDataSource(options) instead of new DataSource(options).`,
      ),
    );
  });

  it.each([
    [{ url: 'postgres://x' }, /libSQL url "postgres:\/\/x" is not a libSQL URL; pass e\.g\. 'file:app\.db', ':memory:' or 'libsql:\/\/your-db\.turso\.io'\./],
    [{ url: 42 }, /libSQL url 42 is not a libSQL URL/],
    [{ url: ':memory:', authToken: '' }, /libSQL authToken "" is not a non-empty string/],
    [{ url: ':memory:', auth_token: 'x' }, /libsql\(\) has no option 'auth_token'; use url, authToken,/],
  ])('rejects bad connection options %p', (options, message) => {
    expect(() => libsql(options as never)).toThrow(VectorConfigurationError);
    expect(() => libsql(options as never)).toThrow(message);
  });

  it('sends remote URLs through the same client calls (no server here: the connection error surfaces as QueryFailedError)', async () => {
    const remote = await new VectorDataSource({ ...libsql({ url: 'http://127.0.0.1:9', authToken: 'token' }) }).initialize();
    try {
      const attempt = remote.query('SELECT 1');
      await expect(attempt).rejects.toBeInstanceOf(QueryFailedError);
      await expect(remote.query('SELECT 1')).rejects.toThrow(/fetch failed|ECONNREFUSED/);
    } finally {
      await remote.destroy();
    }
  });

  it('works from the TypeORM CLI: migration:run applies the migration and leaves a schema the entities agree with', async () => {
    const cliDir = fs.mkdtempSync(path.join(dir, 'cli-'));
    const env = { ...process.env, ...typeormChildProcess.env, LIBSQL_CLI_URL: `file:${path.join(cliDir, 'cli.db')}`, TS_NODE_TRANSPILE_ONLY: 'true' };
    const cli = (...args: string[]) =>
      run(
        process.execPath,
        [...typeormChildProcess.nodeArgs, '-r', 'ts-node/register', typeormChildProcess.file('cli.js'), ...args, '-d', 'test/fixtures/libsql-cli/data-source.ts'],
        { env },
      );
    const migrated = await cli('migration:run');
    expect(migrated.stdout).toContain('Migration CreateCliNote1700000000000 has been executed successfully.');
    // `migration:generate --check` on this file also reports no changes (checked by hand; another
    // CLI process would add 5 s to the suite), which is what this schema-builder log shows.
    process.env.LIBSQL_CLI_URL = env.LIBSQL_CLI_URL;
    const { default: cliDataSource } = await import('./fixtures/libsql-cli/data-source');
    delete process.env.LIBSQL_CLI_URL;
    await cliDataSource.initialize();
    try {
      expect(cliDataSource.driver).toBeInstanceOf(LibsqlDriver);
      expect((await cliDataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      expect(await cliDataSource.showMigrations()).toBe(false);
    } finally {
      await cliDataSource.destroy();
    }
  });
});

describe('libSQL embedded replica options (Turso)', () => {
  it('passes syncUrl to @libsql/client: an embedded replica whose primary cannot be reached fails initialize() with the client sync error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-libsql-replica-'));
    // Port 9 (discard) on loopback: nothing listens, so the replica's first sync is refused at once.
    const dataSource = new VectorDataSource({ ...libsql({ url: `file:${path.join(dir, 'replica.db')}`, syncUrl: 'http://127.0.0.1:9' }), entities: [Doc] });
    try {
      await expect(dataSource.initialize()).rejects.toThrow(/sync/i);
    } finally {
      if (dataSource.isInitialized) await dataSource.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
