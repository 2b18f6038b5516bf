/**
 * @VectorIndex on real databases: synchronize creates the index, TypeORM's schema diff then finds
 * nothing to change, findNearest reads it (MATCH/k on SQLite's vec0, vector_top_k on libSQL), and a
 * query in another metric warns through TypeORM's logger or throws when strict. These 300 rows are
 * too few for PostgreSQL's planner to pick HNSW, and only vec0 is exact: that the approximate
 * indexes are chosen (EXPLAIN) and how many true neighbours they find is test/ann-index-recall.test.ts.
 */
import 'reflect-metadata';
import { Column, Entity, PrimaryGeneratedColumn, type DataSource, type Logger } from 'typeorm';
import {
  findNearest,
  UnsupportedVectorFeatureError,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorIndex,
  libsql,
  type VectorDataSourceSettings,
} from '../src';
import { BACKENDS, POSTGRES_FAMILY, recordQueries, sqlFamily, sqliteType } from './support/backends';
import { vectorIndexCatalog } from './support/catalog';
import { DISTANCES, randomVectors } from './support/vectors';

@Entity('indexed_doc')
class IndexedDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) bucket!: number;
  @VectorColumn(8) @VectorIndex({ metric: 'cosine' }) embedding!: number[];
  @VectorColumn(8, { nullable: true }) draft!: number[] | null;
}

@Entity('strict_doc')
class StrictDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(8) @VectorIndex({ metric: 'l2', strict: true, name: 'strict_doc_l2' }) embedding!: number[];
}

class RecordingLogger implements Logger {
  readonly warnings: string[] = [];
  logQuery() {}
  logQueryError() {}
  logQuerySlow() {}
  logSchemaBuild() {}
  logMigration() {}
  log(level: 'log' | 'info' | 'warn', message: unknown) {
    if (level === 'warn') this.warnings.push(String(message));
  }
}

/** The row ids libSQL's DiskANN index holds, read from its shadow table (`<index>_shadow`). */
async function libsqlIndexKeys(dataSource: DataSource, indexName: string): Promise<number[]> {
  const rows: Array<{ index_key: number | bigint }> = await dataSource.query(`SELECT index_key FROM "${indexName}_shadow"`);
  return rows.map((r) => Number(r.index_key));
}

describe.each(BACKENDS)('@VectorIndex on $name', (backend) => {
  let dataSource: VectorDataSource;
  const logger = new RecordingLogger();
  const items = randomVectors(300, 8, 5);
  const query = randomVectors(1, 8, 77)[0]!;
  const family = sqlFamily(backend.name);
  const indexName = { sqlite: 'indexed_doc_embedding_vec0_cosine', libsql: 'indexed_doc_embedding_diskann_cosine' }[family as string] ?? 'indexed_doc_embedding_hnsw_cosine';
  const createdIndex: Record<string, string> = {
    postgres: "CREATE INDEX indexed_doc_embedding_hnsw_cosine ON public.indexed_doc USING hnsw (embedding vector_cosine_ops) WITH (m='16', ef_construction='64')",
    sqlite: 'CREATE VIRTUAL TABLE "indexed_doc_embedding_vec0_cosine" USING vec0(embedding float[8] distance_metric=cosine)',
    mariadb: "VECTOR KEY `indexed_doc_embedding_hnsw_cosine` (`embedding`) `M`='16' `DISTANCE`='cosine'",
    libsql: `CREATE INDEX "indexed_doc_embedding_diskann_cosine" ON "indexed_doc" (libsql_vector_idx("embedding", 'metric=cosine', 'max_neighbors=64', 'compress_neighbors=float32'))`,
  };

  beforeAll(async () => {
    dataSource = await backend.open([IndexedDoc, StrictDoc], { logger });
    await dataSource.getRepository(IndexedDoc).insert(items.map((embedding, i) => ({ bucket: i % 2, embedding })));
    await dataSource.getRepository(StrictDoc).insert(items.slice(0, 20).map((embedding) => ({ embedding })));
  });
  afterAll(() => backend.close(dataSource));

  it('synchronize creates the index with the metric of the decorator', async () => {
    const catalog = await vectorIndexCatalog(backend.name, dataSource, 'indexed_doc');
    expect(catalog[indexName]).toBe(createdIndex[family]);
  });

  it("leaves TypeORM's schema diff empty (what migration:generate writes)", async () => {
    const sql = await dataSource.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    expect(sql.downQueries.map((q) => q.query)).toEqual([]);
  });

  it('findNearest in the index metric returns rows by exact distance (the exact nearest on vec0)', async () => {
    const exact = items.map((e, i) => ({ id: i + 1, d: DISTANCES.cosine(e, query) })).sort((a, b) => a.d - b.d).slice(0, 5);
    const queries = await recordQueries(dataSource, async () => {
      const near = await findNearest(dataSource.getRepository(IndexedDoc), { column: 'embedding', vector: query, metric: 'cosine', limit: 5 });
      // HNSW and DiskANN are approximate: their recall over many queries is test/ann-index-recall.test.ts.
      if (family === 'sqlite') expect(near.map((n) => n.entity.id)).toEqual(exact.map((e) => e.id));
      expect(near).toHaveLength(5);
      near.forEach((n) => expect(n.distance).toBeCloseTo(DISTANCES.cosine(items[n.entity.id - 1]!, query), 5));
      near.slice(1).forEach((n, i) => expect(n.distance).toBeGreaterThanOrEqual(near[i]!.distance - 1e-6));
    });
    const select = queries.find((q) => /FROM [`"]indexed_doc[`"]/.test(q.query))!.query;
    if (family === 'libsql') {
      expect(select).toContain(`IN (SELECT id FROM vector_top_k('indexed_doc_embedding_diskann_cosine', vector32(?), 10))`);
    }
    if (family === 'sqlite') {
      expect(select).toContain('"entity".rowid IN (SELECT rowid FROM "indexed_doc_embedding_vec0_cosine" WHERE "embedding" MATCH ? AND k = 5)');
    }
    expect(logger.warnings).toEqual([]);
  });

  // libSQL's vector_top_k with k = 1 can return a far row (seen here after an UPDATE); findNearest asks it for at least 10.
  it('keeps the index in step with inserts, updates and deletes', async () => {
    const repo = dataSource.getRepository(IndexedDoc);
    const saved = await repo.save({ bucket: 9, embedding: query });
    let near = await findNearest(repo, { column: 'embedding', vector: query, metric: 'cosine', limit: 5 });
    expect(near[0]!.entity.id).toBe(saved.id);
    // Moved next to an existing row, not to an outlier: an approximate graph index (libSQL's DiskANN)
    // may not reach a lone point far from every other, which says nothing about keeping it in step.
    const moved = items[7]!.map((v, i) => (i === 0 ? v + 0.01 : v));
    await repo.update(saved.id, { embedding: moved });
    near = await findNearest(repo, { column: 'embedding', vector: query, metric: 'cosine', limit: 5 });
    expect(near[0]!.entity.id).not.toBe(saved.id);
    // The index reaches the moved row. libSQL's DiskANN after an UPDATE can leave the moved node with no
    // edge leading to it (two CI runs, on 1.x and 0.3, missed it in 10 candidates next to its neighbour),
    // so on libSQL the check is that the index's own shadow table still holds the row, and drops it on delete.
    if (family === 'libsql') {
      expect(await libsqlIndexKeys(dataSource, indexName)).toContain(saved.id);
    } else {
      near = await findNearest(repo, { column: 'embedding', vector: moved, metric: 'cosine', limit: 10 });
      expect(near.map((n) => n.entity.id)).toContain(saved.id);
    }
    near = await findNearest(repo, { column: 'embedding', vector: moved, metric: 'cosine', limit: 5, useIndex: false });
    expect(near[0]!.entity.id).toBe(saved.id);
    await repo.delete(saved.id);
    near = await findNearest(repo, { column: 'embedding', vector: moved, metric: 'cosine', limit: 5 });
    expect(near[0]!.entity.id).not.toBe(saved.id);
    if (family === 'libsql') expect(await libsqlIndexKeys(dataSource, indexName)).not.toContain(saved.id);
  });

  it('a filtered findNearest returns only matching rows, by exact distance (the exact nearest on SQLite, through vec0 candidates)', async () => {
    const exact = items.map((e, i) => ({ id: i + 1, bucket: i % 2, d: DISTANCES.cosine(e, query) })).filter((e) => e.bucket === 1).sort((a, b) => a.d - b.d).slice(0, 4);
    let near: Awaited<ReturnType<typeof findNearest<IndexedDoc>>> = [];
    const queries = await recordQueries(dataSource, async () => {
      near = await findNearest(dataSource.getRepository(IndexedDoc), {
        column: 'embedding', vector: query, metric: 'cosine', limit: 4, filter: (qb) => qb.where('entity.bucket = :b', { b: 1 }),
      });
    });
    // vec0 is read for 4 x limit candidates, and k grows until limit rows pass the filter.
    if (family === 'sqlite') expect(queries.some((q) => /MATCH \? AND k = 16\)/.test(q.query))).toBe(true);
    // Elsewhere the filter may apply to an approximate index's candidates: recall in test/ann-index-recall.test.ts.
    if (family === 'sqlite') expect(near.map((n) => n.entity.id)).toEqual(exact.map((e) => e.id));
    if (family === 'sqlite') {
      // More rows than sqlite-vec's k cap (4096): an exact scan answers, without MATCH.
      const all = await recordQueries(dataSource, async () => {
        expect(await findNearest(dataSource.getRepository(IndexedDoc), { column: 'embedding', vector: query, metric: 'cosine', limit: 5000 })).toHaveLength(await dataSource.getRepository(IndexedDoc).count());
      });
      expect(all.some((q) => q.query.includes('MATCH'))).toBe(false);
    }
    expect(near).toHaveLength(4);
    near.forEach((n) => {
      expect(n.entity.bucket).toBe(1);
      expect(n.distance).toBeCloseTo(DISTANCES.cosine(items[n.entity.id - 1]!, query), 5);
    });
    near.slice(1).forEach((n, i) => expect(n.distance).toBeGreaterThanOrEqual(near[i]!.distance - 1e-6));
  });

  it('warns once through TypeORM\'s logger when the query metric has no index', async () => {
    logger.warnings.length = 0;
    const repo = dataSource.getRepository(IndexedDoc);
    await findNearest(repo, { column: 'embedding', vector: query, metric: 'l2', limit: 3 });
    await repo.createQueryBuilder('doc').orderByL2('doc.embedding', query).limit(3).getMany();
    expect(logger.warnings).toEqual([
      `IndexedDoc.embedding is ordered by 'l2' distance but its vector index '${indexName}' (cosine) serves another metric, so every row is scanned; order by 'cosine' or add @VectorIndex({ metric: 'l2' }).`,
    ]);
    // A column without any index is not warned about: exact search is what it has.
    await repo.createQueryBuilder('doc').where('doc.draft IS NOT NULL').orderByL2('doc.draft', query).getMany();
    expect(logger.warnings).toHaveLength(1);
  });

  it('throws instead under strict, before running anything', async () => {
    const repo = dataSource.getRepository(IndexedDoc);
    await expect(findNearest(repo, { column: 'embedding', vector: query, metric: 'l1', strict: true })).rejects.toThrow(UnsupportedVectorFeatureError);
    const strictRepo = dataSource.getRepository(StrictDoc);
    expect(() => strictRepo.createQueryBuilder('s').orderByCosine('s.embedding', query)).toThrow(
      /^StrictDoc\.embedding is ordered by 'cosine' distance but its vector index 'strict_doc_l2' \(l2\) serves another metric/,
    );
    // Refused before anything is bound: the query builder is left as it was.
    const untouched = strictRepo.createQueryBuilder('s');
    expect(() => untouched.orderByCosine('s.embedding', query)).toThrow(UnsupportedVectorFeatureError);
    expect(Object.keys(untouched.getParameters())).toEqual([]);
    expect(untouched.getQuery()).not.toMatch(/ORDER BY/);
    await expect(findNearest(strictRepo, { column: 'embedding', vector: query, metric: 'cosine', strict: false })).resolves.toHaveLength(10);
    await expect(findNearest(strictRepo, { column: 'embedding', vector: query, metric: 'l2' })).resolves.toHaveLength(10);
  });
});

describe.each(BACKENDS)('@VectorIndex refusals on $name', (backend) => {
  it.each([
    [{ metric: 'dot' }, /@VectorIndex on Bad\.embedding has metric "dot"; use one of 'l2', 'cosine', 'inner_product', 'l1', 'hamming', 'jaccard'\./],
    [{ metric: 'l2', kind: 'flat' }, /@VectorIndex on Bad\.embedding has kind "flat"; use one of 'hnsw', 'ivfflat', 'diskann', 'vec0', 'cspann' or leave it out\./],
    [{ metric: 'l2', ef: 10 }, /@VectorIndex on Bad\.embedding has unknown option 'ef'/],
    [{ metric: 'l2', strict: 'yes' }, /@VectorIndex on Bad\.embedding has strict: "yes"; pass true or false\./],
    [null, /@VectorIndex on Bad\.embedding has options null/],
    [{ metric: 'l2', concurrently: true }, /@VectorIndex on Bad\.embedding has concurrently; generated migrations run in a transaction/],
  ])('decorating with %p throws', (options, message) => {
    expect(() => {
      class Bad {
        @VectorIndex(options as never) embedding!: number[];
      }
      return Bad;
    }).toThrow(message);
  });

  it('refuses options the backend does not have when the DataSource starts', async () => {
    @Entity('bad_option_doc')
    class BadOptionDoc {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(4) @VectorIndex({ metric: 'cosine', lists: 100 }) embedding!: number[];
    }
    await expect(backend.open([BadOptionDoc])).rejects.toThrow(/Unknown option 'lists' for a .* index/);
  });

  if (backend.name === 'mariadb') {
    it('refuses a nullable column and a second vector index on one table when the DataSource starts', async () => {
      @Entity('nullable_indexed_doc')
      class NullableIndexedDoc {
        @PrimaryGeneratedColumn() id!: number;
        @VectorColumn(4, { nullable: true }) @VectorIndex({ metric: 'cosine' }) embedding!: number[] | null;
      }
      await expect(backend.open([NullableIndexedDoc])).rejects.toThrow(
        "@VectorIndex on NullableIndexedDoc.embedding needs a NOT NULL column because MariaDB's VECTOR INDEX only indexes NOT NULL columns; remove nullable: true from its @VectorColumn.",
      );
      @Entity('two_index_doc')
      class TwoIndexDoc {
        @PrimaryGeneratedColumn() id!: number;
        @VectorColumn(4) @VectorIndex({ metric: 'cosine' }) a!: number[];
        @VectorColumn(4) @VectorIndex({ metric: 'l2' }) b!: number[];
      }
      await expect(backend.open([TwoIndexDoc])).rejects.toThrow('TwoIndexDoc declares 2 @VectorIndex but MariaDB allows 1 vector index per table; keep one @VectorIndex on TwoIndexDoc.');
    });
  }

  it('refuses @VectorIndex on a property that is not a @VectorColumn', async () => {
    @Entity('not_vector_doc')
    class NotVectorDoc {
      @PrimaryGeneratedColumn() id!: number;
      @Column({ type: 'varchar' }) @VectorIndex({ metric: 'l2' }) title!: string;
    }
    const error = await backend.open([NotVectorDoc]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VectorConfigurationError);
    expect((error as Error).message).toBe('@VectorIndex on NotVectorDoc.title is not on a @VectorColumn; add @VectorColumn(N) to the property.');
  });
});

for (const backend of POSTGRES_FAMILY) describe(`@VectorIndex changes on ${backend.name}`, () => {
  @Entity('changing_doc')
  class ChangingV1 {
    @PrimaryGeneratedColumn() id!: number;
    @VectorColumn(4) @VectorIndex({ metric: 'cosine', name: 'changing_idx' }) embedding!: number[];
  }
  @Entity('changing_doc')
  class ChangingV2 {
    @PrimaryGeneratedColumn() id!: number;
    @VectorColumn(4) @VectorIndex({ metric: 'cosine', name: 'changing_idx', m: 24 }) embedding!: number[];
  }
  @Entity('changing_doc')
  class ChangingV3 {
    @PrimaryGeneratedColumn() id!: number;
    @VectorColumn(4) embedding!: number[];
  }
  let first: VectorDataSource;
  const oldDefinition = "CREATE INDEX changing_idx ON public.changing_doc USING hnsw (embedding vector_cosine_ops) WITH (m='16', ef_construction='64')";

  beforeAll(async () => {
    first = await backend.open([ChangingV1]);
  });
  afterAll(() => backend.close(first));

  /** What migration:generate would write for `entity` on the same database: [up, down] in file order. */
  async function generated(entity: Function, settings: VectorDataSourceSettings = {}): Promise<[string[], string[]]> {
    const next = new VectorDataSource({ ...first.options, entities: [entity], synchronize: false } as never, settings);
    await next.initialize();
    try {
      const sql = await next.driver.createSchemaBuilder().log();
      return [sql.upQueries.map((q) => q.query), sql.downQueries.map((q) => q.query).reverse()];
    } finally {
      await next.destroy();
    }
  }

  it('a changed option drops and recreates the index, and down restores the old definition exactly', async () => {
    expect(await generated(ChangingV2)).toEqual([
      [
        '/* typeorm-vector: vector index changing_idx differs from its @VectorIndex (m 16 -> 24): dropped and rebuilt */ DROP INDEX "changing_idx"',
        'CREATE INDEX "changing_idx" ON "changing_doc" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 24, ef_construction = 64)',
      ],
      ['/* typeorm-vector: restores vector index changing_idx as it was */ DROP INDEX "changing_idx"', oldDefinition],
    ]);
    expect(await generated(ChangingV1)).toEqual([[], []]);
  });

  it('a removed @VectorIndex is kept by default, and with undeclaredVectorIndexes: drop TypeORM drops it and down recreates it with its operator class', async () => {
    expect(await generated(ChangingV3)).toEqual([[], []]);
    const [up, down] = await generated(ChangingV3, { undeclaredVectorIndexes: 'drop' });
    expect(up).toEqual(['DROP INDEX "public"."changing_idx"']);
    expect(down).toEqual([oldDefinition]);
  });
});

for (const backend of BACKENDS.filter((b) => sqlFamily(b.name) === 'sqlite')) describe(`@VectorIndex through a table rebuild on ${backend.name}`, () => {
  @Entity('rebuilt_doc')
  class RebuiltV1 {
    @PrimaryGeneratedColumn() id!: number;
    @Column({ type: 'varchar', length: 20 }) title!: string;
    @VectorColumn(3) @VectorIndex({ metric: 'l2' }) embedding!: number[];
  }
  @Entity('rebuilt_doc')
  class RebuiltV2 {
    @PrimaryGeneratedColumn() id!: number;
    @Column({ type: 'varchar', length: 300 }) title!: string;
    @VectorColumn(3) @VectorIndex({ metric: 'l2' }) embedding!: number[];
  }
  const file = require('node:path').join(require('node:os').tmpdir(), `tv-rebuild-${process.pid}.sqlite`) as string;
  const open = (entity: Function, synchronize: boolean) =>
    new VectorDataSource({ type: sqliteType(backend.name), database: file, entities: [entity], synchronize } as never).initialize();
  const triggers = async (dataSource: VectorDataSource) =>
    ((await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)) as Array<{ name: string }>).map((r) => r.name);

  afterAll(() => require('node:fs').rmSync(file, { force: true }));

  it('a generated migration that copies a libSQL table writes the real vector index, in up and in down', async () => {
    const libsqlFile = `${file}.libsql`;
    const openLibsql = (entity: Function, synchronize: boolean) =>
      new VectorDataSource({ ...libsql({ url: `file:${libsqlFile}` }), entities: [entity], synchronize } as never).initialize();
    const first = await openLibsql(RebuiltV1, true);
    await first.getRepository(RebuiltV1).insert([{ title: 'a', embedding: [1, 0, 0] }, { title: 'b', embedding: [0, 1, 0] }]);
    await first.destroy();
    const second = await openLibsql(RebuiltV2, false);
    try {
      const sql = await second.driver.createSchemaBuilder().log();
      const up = sql.upQueries.map((q) => q.query);
      const down = sql.downQueries.map((q) => q.query).reverse();
      const create = `CREATE INDEX "rebuilt_doc_embedding_diskann_l2" ON "rebuilt_doc" (libsql_vector_idx("embedding", 'metric=l2', 'max_neighbors=64', 'compress_neighbors=float32'))`;
      expect(up).toContain('DROP TABLE "rebuilt_doc"');
      expect(up.filter((q) => q.startsWith('CREATE INDEX'))).toEqual([create]);
      expect(down.filter((q) => q.startsWith('CREATE INDEX'))).toEqual([create]);
      const queryRunner = second.createQueryRunner();
      for (const statement of up) await queryRunner.query(statement);
      const index = async () => second.query(`SELECT sql FROM sqlite_master WHERE name = 'rebuilt_doc_embedding_diskann_l2'`);
      expect(await index()).toEqual([{ sql: create }]);
      for (const statement of down) await queryRunner.query(statement);
      await queryRunner.release();
      expect(await index()).toEqual([{ sql: create }]);
    } finally {
      await second.destroy();
      require('node:fs').rmSync(libsqlFile, { force: true });
    }
  });

  it('a generated migration that copies the table recreates the vec0 triggers in up and in down', async () => {
    const first = await open(RebuiltV1, true);
    await first.getRepository(RebuiltV1).insert([{ title: 'a', embedding: [1, 0, 0] }, { title: 'b', embedding: [0, 1, 0] }]);
    await first.destroy();

    const second = await open(RebuiltV2, false);
    try {
      const sql = await second.driver.createSchemaBuilder().log();
      const up = sql.upQueries.map((q) => q.query);
      const down = sql.downQueries.map((q) => q.query).reverse();
      expect(up).toContain('DROP TABLE "rebuilt_doc"');
      expect(up.slice(-3)).toEqual(
        expect.arrayContaining([expect.stringMatching(/^CREATE TRIGGER "rebuilt_doc_embedding_vec0_l2_insert"/)]),
      );
      const queryRunner = second.createQueryRunner();
      for (const statement of up) await queryRunner.query(statement);
      const names = ['rebuilt_doc_embedding_vec0_l2_delete', 'rebuilt_doc_embedding_vec0_l2_insert', 'rebuilt_doc_embedding_vec0_l2_update'];
      expect(await triggers(second)).toEqual(names);
      const repo = second.getRepository(RebuiltV2);
      const saved = await repo.save({ title: 'c'.repeat(100), embedding: [0, 0, 1] });
      const near = await findNearest(repo, { column: 'embedding', vector: [0, 0, 0.9], metric: 'l2', limit: 1 });
      expect(near[0]!.entity.id).toBe(saved.id);
      await repo.delete(saved.id);
      for (const statement of down) await queryRunner.query(statement);
      await queryRunner.release();
      expect(await triggers(second)).toEqual(names);
      expect(await second.query('SELECT count(*) AS n FROM "rebuilt_doc_embedding_vec0_l2"')).toEqual([{ n: 2 }]);
    } finally {
      await second.destroy();
    }
  });
});

for (const backend of BACKENDS.filter((b) => b.name === 'sqlite' || b.name === 'sqlite3' || b.name === 'libsql')) {
  describe(`@VectorIndex changes on ${backend.name}`, () => {
    @Entity('changed_doc')
    class ChangedV1 {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(3) @VectorIndex({ metric: 'l2', name: 'changed_idx' }) embedding!: number[];
    }
    @Entity('changed_doc')
    class ChangedV2 {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(3) @VectorIndex({ metric: 'cosine', name: 'changed_idx' }) embedding!: number[];
    }
    const file = require('node:path').join(require('node:os').tmpdir(), `tv-changed-${backend.name}-${process.pid}.db`) as string;
    const open = (entity: Function, synchronize: boolean) =>
      new VectorDataSource({
        ...(backend.name === 'libsql' ? libsql({ url: `file:${file}` }) : { type: sqliteType(backend.name), database: file }),
        entities: [entity],
        synchronize,
      } as never).initialize();
    afterAll(() => require('node:fs').rmSync(file, { force: true }));

    it('a changed metric under the same name is dropped and recreated, and down restores the old one exactly', async () => {
      const first = await open(ChangedV1, true);
      const [before] = (await first.query(`SELECT sql FROM sqlite_master WHERE name = 'changed_idx'`)) as Array<{ sql: string }>;
      await first.getRepository(ChangedV1).insert([{ embedding: [1, 0, 0] }, { embedding: [0, 2, 0] }]);
      await first.destroy();
      const second = await open(ChangedV2, false);
      try {
        const sql = await second.driver.createSchemaBuilder().log();
        const up = sql.upQueries.map((q) => q.query);
        const down = sql.downQueries.map((q) => q.query).reverse();
        expect(up.some((q) => q.includes('cosine'))).toBe(true);
        expect(up[0]).toMatch(/^\/\* typeorm-vector: vector index changed_idx differs from its @VectorIndex \(metric l2 -> cosine\): dropped and rebuilt \*\/ DROP (TRIGGER IF EXISTS|INDEX) "changed_idx/);
        expect(down).toContain(before!.sql);
        const queryRunner = second.createQueryRunner();
        for (const statement of up) await queryRunner.query(statement);
        expect(await second.query(`SELECT sql FROM sqlite_master WHERE name = 'changed_idx'`)).toEqual([{ sql: expect.stringContaining('cosine') }]);
        expect((await second.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
        for (const statement of down) await queryRunner.query(statement);
        await queryRunner.release();
        expect(await second.query(`SELECT sql FROM sqlite_master WHERE name = 'changed_idx'`)).toEqual([{ sql: before!.sql }]);
      } finally {
        await second.destroy();
      }
    });
  });
}
