import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { VectorDataSource } from '../src';
import { BACKENDS, backendSelected, requiredUrl, sqlFamily } from './support/backends';
import { withDatabase, withPgClient } from './support/db-clients';
import { Doc, WiderDoc } from './support/entities';

/**
 * The schema diff (`synchronize`, `migration:generate`) on vector columns. Also run by the
 * `typeorm-0.3.20` Jest project: TypeORM 0.3.20–0.3.27 drivers do not know the `vector` type and
 * misread its dimensions from the catalog, which `VectorDataSource` corrects
 * (src/connection/vector-table-loader.ts), and do not create pgvector's extension on connect, which
 * `VectorDataSource` then does itself.
 */

/** What the up and down SQL of widening `embedding_vec` contain, on backends whose column type carries N. */
const RESIZE_SQL: Partial<Record<string, { up: string; down: string }>> = {
  // In place (typeorm-vector's ALTER COLUMN TYPE, not TypeORM's DROP COLUMN and ADD).
  postgres: { up: 'ALTER TABLE "doc" ALTER COLUMN "embedding_vec" TYPE vector(4)', down: 'ALTER TABLE "doc" ALTER COLUMN "embedding_vec" TYPE vector(3)' },
  mariadb: { up: '`embedding_vec` vector(4) NOT NULL', down: '`embedding_vec` vector(3) NOT NULL' },
};

describe.each(BACKENDS)('schema sync of vector columns on $name', (backend) => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([Doc]);
  });
  afterAll(() => backend.close(dataSource));

  it('wants no change on a second sync, and a second synchronize() keeps the vectors', async () => {
    const repo = dataSource.getRepository(Doc);
    const saved = await repo.save(repo.create({ title: 'kept', embedding: [0.5, -1, 2], draft: new Float32Array([3, 2, 1]) }));

    const log = await dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
    await dataSource.synchronize();

    const loaded = await repo.findOneByOrFail({ id: saved.id });
    expect(loaded.embedding).toEqual([0.5, -1, 2]);
    expect(Array.from(loaded.draft!)).toEqual([3, 2, 1]);
  });

  const resize = RESIZE_SQL[sqlFamily(backend.name)];
  if (resize) {
    it('still alters a column whose dimensions really changed, and restores them in down', async () => {
      const wider = await new VectorDataSource({ ...dataSource.options, entities: [WiderDoc], synchronize: false }).initialize();
      try {
        const log = await wider.driver.createSchemaBuilder().log();
        const up = log.upQueries.map((q) => q.query).join('\n');
        const down = log.downQueries.map((q) => q.query).join('\n');
        expect(up).toContain(resize.up);
        expect(down).toContain(resize.down);
        expect(up).not.toContain('draft');
      } finally {
        await wider.destroy();
      }
    });
  }
});

// On the PostgreSQL server outside the backend loop: declared only when the run tests postgres (TEST_BACKENDS).
if (backendSelected('postgres')) {
  describe('pgvector extension on connect', () => {
    it('is created when entities have vector columns, so synchronize works on a database without it (as TypeORM 0.3.27+ does)', async () => {
      const adminUrl = requiredUrl('TEST_POSTGRES_URL');
      const database = `tv_${randomBytes(6).toString('hex')}`;
      const admin = (sql: string) => withPgClient(adminUrl, (client) => client.query(sql));
      await admin(`CREATE DATABASE ${database}`);
      const dataSource = new VectorDataSource({ type: 'postgres', url: withDatabase(adminUrl, database), entities: [Doc], synchronize: true });
      try {
        await dataSource.initialize();
        const repo = dataSource.getRepository(Doc);
        const saved = await repo.save(repo.create({ title: 'fresh', embedding: [1, 2, 3], draft: new Float32Array([4, 5, 6]) }));
        const loaded = await repo.findOneByOrFail({ id: saved.id });
        expect(loaded.embedding).toEqual([1, 2, 3]);
        expect(loaded.draft).toBeInstanceOf(Float32Array);
      } finally {
        if (dataSource.isInitialized) await dataSource.destroy();
        await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      }
    });
  });
}
