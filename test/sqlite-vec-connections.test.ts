import 'reflect-metadata';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSourceOptions, MigrationInterface, QueryRunner } from 'typeorm';
import { VectorDataSource } from '../src';
import { BACKENDS, sqlFamily } from './support/backends';
import { TYPEORM_LINE, typeormChildProcess } from './support/typeorm-line';

/** A migration that needs sqlite-vec: a vec0 table, filled and searched with k-NN. */
class CreateDocIndex1700000000000 implements MigrationInterface {
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE VIRTUAL TABLE doc_index USING vec0(embedding float[3])');
    await queryRunner.query(`INSERT INTO doc_index(rowid, embedding) VALUES (1, '[1,0,0]'), (2, '[0,1,0]'), (3, '[0,0,1]')`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE doc_index');
  }
}

/** The SQLite backends of this TypeORM line: better-sqlite3 on both, node sqlite3 (type 'sqlite') on 0.3. */
const SQLITE_BACKENDS = BACKENDS.filter((b) => sqlFamily(b.name) === 'sqlite');
const nearest = `SELECT rowid, distance FROM doc_index WHERE embedding MATCH '[0.9,0.1,0]' AND k = 2 ORDER BY distance`;

for (const backend of SQLITE_BACKENDS) describe(`sqlite-vec on every connection of ${backend.name}`, () => {
  let dir: string;
  let dataSource: VectorDataSource | undefined;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), `typeorm-vector-${backend.name}-`));
  });
  afterEach(async () => {
    await backend.close(dataSource);
    dataSource = undefined;
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a query issued before any entity operation already sees vec_version()', async () => {
    dataSource = await backend.open([], { database: path.join(dir, 'first-query.db'), synchronize: false } as Partial<DataSourceOptions>);
    const [row] = await dataSource.query('SELECT vec_version() AS version, vec_distance_l2(?, ?) AS d', [
      Buffer.from(new Float32Array([0, 0]).buffer),
      Buffer.from(new Float32Array([3, 4]).buffer),
    ]);
    expect(row.version).toMatch(/^v0\.1\./);
    expect(row.d).toBe(5);
  });

  it('migrations run at initialize (migrationsRun) create and search a vec0 table', async () => {
    const database = path.join(dir, 'migrations-run.db');
    dataSource = await backend.open([], { database, synchronize: false, migrations: [CreateDocIndex1700000000000], migrationsRun: true } as Partial<DataSourceOptions>);
    expect((await dataSource.query(nearest)).map((r: { rowid: number }) => r.rowid)).toEqual([1, 2]);
  });

  it("the TypeORM CLI's migration:run and migration:revert path (subscribers cleared before connecting) still has sqlite-vec", async () => {
    const database = path.join(dir, 'cli.db');
    dataSource = await backend.open([], { database, synchronize: false, migrations: [CreateDocIndex1700000000000] } as Partial<DataSourceOptions>);
    await dataSource.destroy();
    // What MigrationRunCommand/MigrationRevertCommand do with the DataSource the CLI loads.
    dataSource.setOptions({ subscribers: [], synchronize: false, migrationsRun: false, dropSchema: false, logging: false });
    await dataSource.initialize();
    expect(await dataSource.runMigrations({ transaction: 'each' })).toHaveLength(1);
    expect((await dataSource.query(nearest)).map((r: { rowid: number }) => r.rowid)).toEqual([1, 2]);
    await dataSource.undoLastMigration({ transaction: 'each' });
    await expect(dataSource.query('SELECT count(*) FROM doc_index')).rejects.toMatchObject({ message: expect.stringMatching(/no such table: doc_index/) });
  });

  it('a reopened database file reads its vec0 table again', async () => {
    const database = path.join(dir, 'reopen.db');
    dataSource = await backend.open([], { database, synchronize: false, migrations: [CreateDocIndex1700000000000], migrationsRun: true } as Partial<DataSourceOptions>);
    await dataSource.destroy();
    await dataSource.initialize();
    expect((await dataSource.query(nearest)).map((r: { rowid: number }) => r.rowid)).toEqual([1, 2]);
  });
});

it("says to install sqlite3 (or use better-sqlite3) when type 'sqlite' is asked for without the sqlite3 package", async () => {
  await jest.isolateModulesAsync(async () => {
    jest.doMock('sqlite3', () => {
      throw Object.assign(new Error("Cannot find module 'sqlite3'"), { code: 'MODULE_NOT_FOUND' });
    });
    const { VectorDataSource: IsolatedDataSource } = await import('../src');
    expect(() => new IsolatedDataSource({ type: 'sqlite', database: ':memory:' } as never)).toThrow(
      "The sqlite3 package is not installed, so a DataSource of type 'sqlite' (TypeORM 0.3 only) cannot open; run npm install sqlite3, or use type 'better-sqlite3'.",
    );
  });
  jest.dontMock('sqlite3'); // doMock outlives isolateModulesAsync
});

// Jest fails a file that declares no test; when TEST_BACKENDS leaves out every SQLite backend, say so instead.
if (!SQLITE_BACKENDS.length) it.skip(`runs on the SQLite backends, which TEST_BACKENDS=${process.env.TEST_BACKENDS} leaves out`, () => undefined);

if (TYPEORM_LINE === '0.3') {
  describe("TypeORM 0.3 'sqlite' driver (node sqlite3)", () => {
    it('keeps a driver module the user passes, and still loads sqlite-vec into it', async () => {
      const dataSource = await new VectorDataSource({ type: 'sqlite', database: ':memory:', driver: require('sqlite3') } as never).initialize();
      try {
        const [row] = await dataSource.query('SELECT vec_version() AS version');
        expect(row.version).toMatch(/^v0\.1\./);
      } finally {
        await dataSource.destroy();
      }
    });

    it('the real TypeORM CLI runs and reverts a migration that needs sqlite-vec', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typeorm-vector-sqlite3-cli-'));
      const env = { ...process.env, ...typeormChildProcess.env, SQLITE3_CLI_DATABASE: path.join(dir, 'cli.db'), TS_NODE_TRANSPILE_ONLY: 'true' };
      const cli = (command: string) =>
        new Promise<string>((resolve, reject) =>
          execFile(
            process.execPath,
            [...typeormChildProcess.nodeArgs, '-r', 'ts-node/register', typeormChildProcess.file('cli.js'), command, '-d', 'test/fixtures/sqlite3-cli/data-source.ts'],
            { env, timeout: 60_000 },
            (error, stdout, stderr) => (error ? reject(new Error(`${command} failed: ${stdout}${stderr}`, { cause: error })) : resolve(stdout)),
          ),
        );
      try {
        expect(await cli('migration:run')).toContain('Migration CreateCliIndex1700000000000 has been executed successfully.');
        expect(await cli('migration:revert')).toContain('Migration CreateCliIndex1700000000000 has been reverted successfully.');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a driver option that is not the sqlite3 module', () => {
      expect(() => new VectorDataSource({ type: 'sqlite', database: ':memory:', driver: {} } as never)).toThrow(
        "The driver option of a 'sqlite' DataSource is an object with keys [], which has no Database class and verbose(); pass the node sqlite3 module, require('sqlite3').",
      );
    });

    it('fails initialize() with the cause when sqlite-vec cannot be loaded', async () => {
      await jest.isolateModulesAsync(async () => {
        jest.doMock('sqlite-vec', () => ({ getLoadablePath: () => '/nonexistent/vec0' }));
        const { VectorDataSource: IsolatedDataSource } = await import('../src');
        const dataSource = new IsolatedDataSource({ type: 'sqlite', database: ':memory:' } as never);
        const error = await dataSource.initialize().then(
          () => undefined,
          (e: unknown) => e as Error & { cause?: Error },
        );
        expect(error?.message).toBe('Loading sqlite-vec from /nonexistent/vec0 failed; check that the sqlite-vec package matches this platform.');
        expect(error?.cause?.message).toMatch(/nonexistent\/vec0/);
        expect(dataSource.isInitialized).toBe(false);
      });
      jest.dontMock('sqlite-vec');
    });
  });
}
