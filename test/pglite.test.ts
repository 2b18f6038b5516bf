/**
 * PGlite (PostgreSQL in WebAssembly) through `pglite()`: the databases it opens itself (in memory,
 * in a folder, with pgvector loaded), the options it refuses, and how its one PostgreSQL session
 * is shared: statements take turns, a transaction has the session to itself, a query runner held
 * outside a transaction blocks nobody, a query sent outside the open transaction from inside it
 * fails after connectTimeoutMS with a sentence saying so, and a connection discarded inside a
 * transaction leaves no transaction behind. The feature tests run on PGlite as the `pglite`
 * backend (test/support/backends.ts).
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { findNearest, pglite, UnsupportedVectorFeatureError, VectorConfigurationError, VectorDataSource, VectorIndex, VectorColumn } from '../src';
import { discardConnection } from '../src/typeorm-internals';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { backendSelected } from './support/backends';
import { borrowPgliteDatabase, returnPgliteDatabase } from './support/pglite-instances';

@Entity('lite_doc')
class LiteDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column() title!: string;
  @VectorColumn(3) @VectorIndex({ metric: 'cosine' }) embedding!: number[];
}

const describeIfPglite = backendSelected('pglite') ? describe : describe.skip;

describeIfPglite('pglite() opening its own database', () => {
  it('keeps a database in dataDir (creating the folder) across DataSources, with pgvector and its index', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-pglite-dir-'));
    const dataDir = path.join(root, 'nested', 'db');
    try {
      const first = await new VectorDataSource({ ...pglite({ dataDir }), entities: [LiteDoc], synchronize: true }).initialize();
      try {
        await first.getRepository(LiteDoc).save([
          { title: 'x', embedding: [1, 0, 0] },
          { title: 'y', embedding: [0, 1, 0] },
        ]);
        const [version] = await first.query("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
        expect(version.extversion).toMatch(/^0\.8\./);
        const indexes = await first.query("SELECT indexdef FROM pg_indexes WHERE tablename = 'lite_doc' AND indexdef LIKE '%hnsw%'");
        expect(indexes).toHaveLength(1);
      } finally {
        await first.destroy();
      }
      expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
      const second = await new VectorDataSource({ ...pglite({ dataDir }), entities: [LiteDoc] }).initialize();
      try {
        const nearest = await findNearest(second.getRepository(LiteDoc), { column: 'embedding', vector: [0.9, 0.1, 0], metric: 'cosine', limit: 1 });
        expect(nearest.map((n) => n.entity.title)).toEqual(['x']);
      } finally {
        await second.destroy();
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('opens an in-memory database when dataDir is left out, and a new empty one on each initialize()', async () => {
    const dataSource = await new VectorDataSource({ ...pglite(), entities: [LiteDoc], synchronize: true }).initialize();
    try {
      await dataSource.getRepository(LiteDoc).save({ title: 'kept in memory', embedding: [1, 2, 3] });
      expect(await dataSource.getRepository(LiteDoc).count()).toBe(1);
    } finally {
      await dataSource.destroy();
    }
  });
});

describe('pglite() options', () => {
  it.each([
    [{ dataDir: '' }, `PGlite dataDir "" is not a folder path; pass e.g. './data/db', or leave it out for an in-memory database.`],
    [{ dataDir: 'idb://db' }, `PGlite dataDir "idb://db" is not a folder path on this machine; pass e.g. './data/db', or leave dataDir out for an in-memory database.`],
    [{ datadir: './db' }, "pglite() has no option 'datadir'; use dataDir, extensions, relaxedDurability, instance."],
    [{ extensions: { vector: {} } }, "PGlite extensions names 'vector', which pglite() loads itself; leave it out of extensions."],
    [{ relaxedDurability: 'yes' }, 'PGlite relaxedDurability "yes" is not a boolean; pass true or false, or leave it out.'],
    [{ instance: {} }, 'PGlite instance [object Object] is not a PGlite instance; pass one made with new PGlite({ extensions: { vector } }), or leave instance out.'],
    ['./db', "pglite() options ./db are not an object; pass e.g. pglite({ dataDir: './data/db' }), or pglite() for memory."],
  ])('refuses %j', (options, message) => {
    expect(() => pglite(options as never)).toThrow(new VectorConfigurationError(message));
  });

  it('names PGlite in a plain DataSource, which cannot connect it', async () => {
    const dataSource = new DataSource({ ...pglite({ dataDir: './never-created' }) } as DataSourceOptions);
    await expect(dataSource.initialize()).rejects.toThrow(
      "The PGlite options for PGlite in ./never-created need typeorm-vector's PGlite connection; create the DataSource with new VectorDataSource(options) instead of new DataSource(options).",
    );
    expect(fs.existsSync('./never-created')).toBe(false);
  });

  it('refuses replication: PGlite has no replicas', () => {
    const options = { ...pglite(), replication: { master: {}, slaves: [{}] } } as unknown as DataSourceOptions;
    expect(() => new VectorDataSource(options)).toThrow(
      new UnsupportedVectorFeatureError(
        'an in-memory PGlite database has no replicas to read from (PGlite is one database inside this process); remove replication from the options, or use a PostgreSQL server.',
      ),
    );
  });

  it('says to install PGlite when the package is missing', async () => {
    await jest.isolateModulesAsync(async () => {
      jest.doMock('@electric-sql/pglite', () => {
        throw Object.assign(new Error("Cannot find module '@electric-sql/pglite'"), { code: 'MODULE_NOT_FOUND' });
      });
      const isolated = await import('../src');
      const dataSource = new isolated.VectorDataSource({ ...isolated.pglite(), entities: [] });
      await expect(dataSource.initialize()).rejects.toThrow(
        "The @electric-sql/pglite package is not installed or does not load (Cannot find module '@electric-sql/pglite'), so an in-memory PGlite database cannot open; run npm install @electric-sql/pglite @electric-sql/pglite-pgvector.",
      );
    });
    jest.dontMock('@electric-sql/pglite');
  });
});

describeIfPglite("PGlite's one session, shared by the pool's clients", () => {
  let dataSource: VectorDataSource;
  let instance: Awaited<ReturnType<typeof borrowPgliteDatabase>>;
  beforeAll(async () => {
    instance = await borrowPgliteDatabase();
    dataSource = await new VectorDataSource({ ...pglite({ instance }), entities: [LiteDoc], synchronize: true, connectTimeoutMS: 1500 }).initialize();
  });
  afterAll(async () => {
    await dataSource?.destroy();
    returnPgliteDatabase(instance);
  });
  beforeEach(() => dataSource.getRepository(LiteDoc).clear());

  it('runs transactions one at a time: a second transaction starts after the first commits and sees its rows', async () => {
    const events: string[] = [];
    let releaseFirst!: () => void;
    const firstMayCommit = new Promise<void>((resolve) => (releaseFirst = resolve));
    const first = dataSource.transaction(async (manager) => {
      await manager.save(LiteDoc, { title: 'first', embedding: [1, 0, 0] });
      events.push('first wrote');
      await firstMayCommit;
      events.push('first commits');
    });
    await waitFor(() => events.includes('first wrote'));
    const second = dataSource.transaction(async (manager) => {
      events.push('second started');
      return manager.count(LiteDoc);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events).toEqual(['first wrote']);
    releaseFirst();
    await first;
    expect(await second).toBe(1);
    expect(events).toEqual(['first wrote', 'first commits', 'second started']);
  });

  it('lets a held query runner outside a transaction and the DataSource take turns', async () => {
    const runner = dataSource.createQueryRunner();
    try {
      await runner.query("INSERT INTO lite_doc (title, embedding) VALUES ('held', '[1,1,1]')");
      expect(await dataSource.getRepository(LiteDoc).count()).toBe(1);
      expect(await runner.query('SELECT count(*)::int AS n FROM lite_doc')).toEqual([{ n: 1 }]);
    } finally {
      await runner.release();
    }
  });

  it('fails a query sent outside the open transaction from inside it after connectTimeoutMS, and the transaction still commits', async () => {
    await dataSource.transaction(async (manager) => {
      await manager.save(LiteDoc, { title: 'inside', embedding: [0, 0, 1] });
      await expect(dataSource.query('SELECT 1')).rejects.toThrow(
        "a PGlite instance passed as instance is one PostgreSQL session, and another query runner's transaction held it for longer than connectTimeoutMS (1500 ms); run this query through the EntityManager or query runner of the open transaction, or raise connectTimeoutMS.",
      );
    });
    expect(await dataSource.getRepository(LiteDoc).countBy({ title: 'inside' })).toBe(1);
  });

  it('rolls back the transaction of a connection discarded inside it, so later queries run outside it', async () => {
    const runner = dataSource.createQueryRunner();
    await runner.startTransaction();
    await runner.query("INSERT INTO lite_doc (title, embedding) VALUES ('abandoned', '[1,0,1]')");
    await discardConnection(runner, new Error('connection state unknown'));
    const [row] = await dataSource.query('SELECT now() = statement_timestamp() AS outside, (SELECT count(*)::int FROM lite_doc) AS n');
    expect(row).toEqual({ outside: true, n: 0 });
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('The condition did not become true within 2 s.');
}
