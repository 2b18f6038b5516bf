import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { SqliteVecSubscriber, VectorDataSource } from '../src';
import { WideItem } from './support/entities';
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';

describe('sqlite-vec on every connection', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'typeorm-vector-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('VectorDataSource on better-sqlite3 sees vec_version() before any entity operation', async () => {
    const dataSource = await new VectorDataSource({ type: 'better-sqlite3', database: path.join(dir, 'a.db'), entities: [WideItem] }).initialize();
    try {
      const [row] = await dataSource.query('SELECT vec_version() AS version');
      expect(row.version).toMatch(/^v0\.1\./);
    } finally {
      await dataSource.destroy();
    }
  });

  it('keeps a user prepareDatabase hook and runs it after sqlite-vec is loaded', async () => {
    const seen: string[] = [];
    const dataSource = await new VectorDataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      prepareDatabase: (db: { prepare(sql: string): { get(): { v: string } } }) => {
        seen.push(db.prepare('SELECT vec_version() AS v').get().v);
      },
    }).initialize();
    await dataSource.destroy();
    expect(seen).toHaveLength(1);
  });

  it('a plain DataSource with SqliteVecSubscriber loads sqlite-vec before its first query', async () => {
    const dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:', subscribers: [SqliteVecSubscriber] }).initialize();
    try {
      const [row] = await dataSource.query('SELECT vec_version() AS version, vec_distance_l2(?, ?) AS d', [
        Buffer.from(new Float32Array([0, 0]).buffer),
        Buffer.from(new Float32Array([3, 4]).buffer),
      ]);
      expect(row.version).toMatch(/^v0\.1\./);
      expect(row.d).toBe(5);
    } finally {
      await dataSource.destroy();
    }
  });

  it('without it, SQLite has no vec functions (so the test above means something)', async () => {
    const dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    try {
      // Matched by message: TypeORM 0.3 lets better-sqlite3's SqliteError through unwrapped, and that
      // class comes from the Jest sandbox that first loaded the native addon, so toThrow's instanceof fails.
      await expect(dataSource.query('SELECT vec_version()')).rejects.toMatchObject({ message: expect.stringMatching(/no such function: vec_version/) });
    } finally {
      await dataSource.destroy();
    }
  });

  it('says to install sqlite-vec when the package is missing', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('sqlite-vec', () => {
        throw Object.assign(new Error("Cannot find module 'sqlite-vec'"), { code: 'MODULE_NOT_FOUND' });
      });
      const { VectorDataSource: IsolatedDataSource } = await import('../src');
      const dataSource = new IsolatedDataSource({ type: 'better-sqlite3', database: ':memory:' });
      await expect(dataSource.initialize()).rejects.toThrow(
        'The sqlite-vec package is not installed, so vectors cannot be used on SQLite; run npm install sqlite-vec.',
      );
    });
  });
});
