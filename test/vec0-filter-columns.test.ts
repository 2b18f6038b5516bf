/**
 * @VectorIndex filterColumns / partitionKey: on SQLite, the vec0 table holds the filter columns,
 * synchronize and a generated migration create it, a second generate finds nothing, a changed list
 * is dropped and recreated with a faithful down, the triggers copy every filter column (an UPDATE of
 * one of them included) and survive a table rebuild; createVectorIndex takes them too. Every other
 * index kind, and every column vec0 cannot hold, is refused with one sentence.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type QueryRunner } from 'typeorm';
import { createVectorIndex, dropVectorIndex, VectorColumn, VectorConfigurationError, VectorDataSource, VectorIndex, VectorMigrationError, vectorIndexSql, encodeFloat32Blob } from '../src';
import { BACKENDS, sqlFamily, sqliteType, type Backend } from './support/backends';

describe('@VectorIndex filterColumns refused when decorating', () => {
  it.each([
    [{ metric: 'l2', kind: 'hnsw', filterColumns: ['category'] }, "@VectorIndex on Bad.embedding has filterColumns but a 'hnsw' index cannot hold filter columns; remove filterColumns or use kind 'vec0'."],
    [{ metric: 'l2', kind: 'diskann', partitionKey: 'tenantId' }, "@VectorIndex on Bad.embedding has partitionKey but a 'diskann' index cannot hold filter columns; remove partitionKey or use kind 'vec0'."],
    [{ metric: 'l2', filterColumns: 'category' }, `@VectorIndex on Bad.embedding has filterColumns "category"; pass a non-empty array of property names, e.g. filterColumns: ['category'].`],
    [{ metric: 'l2', filterColumns: [] }, '@VectorIndex on Bad.embedding has filterColumns []; pass a non-empty array of property names'],
    [{ metric: 'l2', filterColumns: ['a', 7] }, '@VectorIndex on Bad.embedding has filterColumns ["a",7]'],
    [{ metric: 'l2', partitionKey: 'tenantId' }, '@VectorIndex on Bad.embedding has partitionKey "tenantId" but no filterColumns; list it there too, e.g. filterColumns: ["tenantId"].'],
    [{ metric: 'l2', filterColumns: ['a', 'b', 'a'] }, "@VectorIndex on Bad.embedding lists 'a' twice in filterColumns; list each property once."],
    [{ metric: 'l2', filterColumns: ['a'], partitionKey: 'b' }, '@VectorIndex on Bad.embedding has partitionKey "b", which is not in filterColumns; add it to filterColumns.'],
  ])('%p', (options, message) => {
    expect(() => {
      class Bad {
        @VectorIndex(options as never) embedding!: number[];
      }
      return Bad;
    }).toThrow(message);
  });
});

describe.each(BACKENDS)('@VectorIndex filterColumns refused when the DataSource starts, $name', (backend) => {
  if (sqlFamily(backend.name) !== 'sqlite') {
    it('on an index kind without filter columns', async () => {
      @Entity('no_filter_doc')
      class NoFilterDoc {
        @PrimaryGeneratedColumn() id!: number;
        @Column({ type: 'varchar', length: 20 }) category!: string;
        @VectorColumn(3) @VectorIndex({ metric: 'cosine', filterColumns: ['category'] }) embedding!: number[];
      }
      const error = await backend.open([NoFilterDoc]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VectorConfigurationError);
      expect((error as Error).message).toMatch(/^A .* index cannot hold filter columns \(only a SQLite \(sqlite-vec\) 'vec0' index can\); remove filterColumns, findNearest's filter still applies\.$/);
    });
    return;
  }

  @Entity('filter_tenant')
  class Tenant {
    @PrimaryGeneratedColumn() id!: number;
  }

  const refused = async (backendToOpen: Backend, property: string, column: () => PropertyDecorator, message: string) => {
    @Entity(`refused_${property.toLowerCase()}`)
    class Refused {
      @PrimaryGeneratedColumn() id!: number;
      @ManyToOne(() => Tenant) tenant!: Tenant;
      @Column({ type: 'varchar' }) title!: string;
      @VectorColumn(3, { nullable: true }) draft!: number[] | null;
      @VectorColumn(3) @VectorIndex({ metric: 'l2', filterColumns: ['title', property] }) embedding!: number[];
    }
    if (!['tenant', 'draft', 'missing', 'embedding'].includes(property)) column()(Refused.prototype, property);
    const error = await backendToOpen.open([Refused, Tenant]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VectorConfigurationError);
    expect((error as Error).message).toBe(message);
  };

  it.each<[string, () => PropertyDecorator, string]>([
    ['tenant', () => Column(), "@VectorIndex on Refused.embedding lists 'tenant' in filterColumns, but Refused.tenant is a relation; list its foreign key column's property instead (e.g. @Column() tenantId)."],
    ['missing', () => Column(), "@VectorIndex on Refused.embedding lists 'missing' in filterColumns, but Refused has no column property 'missing'; list the entity property names of plain columns."],
    ['draft', () => Column(), "@VectorIndex on Refused.embedding lists 'draft' in filterColumns, but it is a vector column; remove it from filterColumns."],
    ['embedding', () => Column(), "@VectorIndex on Refused.embedding lists 'embedding' in filterColumns, but it is a vector column; remove it from filterColumns."],
    ['note', () => Column({ type: 'varchar', nullable: true }), "@VectorIndex on Refused.embedding lists 'note' in filterColumns, but it is nullable and sqlite-vec's vec0 metadata columns refuse NULL; make it NOT NULL (remove nullable: true) or remove it from filterColumns."],
    ['lang', () => Column({ type: 'varchar', transformer: { to: (v: string) => v.toLowerCase(), from: (v: string) => v } }), "@VectorIndex on Refused.embedding lists 'lang' in filterColumns, but it has a transformer, so the index would hold the transformed value; remove it from filterColumns or drop the transformer."],
    ['tags', () => Column({ type: 'simple-array' }), "@VectorIndex on Refused.embedding lists 'tags' in filterColumns, but its type 'simple-array' is stored encoded; remove it from filterColumns."],
    ['code', () => Column({ type: 'varchar', collation: 'NOCASE' }), "@VectorIndex on Refused.embedding lists 'code' in filterColumns, but its collation NOCASE is not the bytewise order the index compares text in; remove the collation or remove it from filterColumns."],
  ])('%s', (property, column, message) => refused(backend, property, column, message));

  it('a date column, with the types vec0 stores', async () => {
    @Entity('dated_doc')
    class DatedDoc {
      @PrimaryGeneratedColumn() id!: number;
      @Column({ type: 'datetime' }) created!: Date;
      @VectorColumn(3) @VectorIndex({ metric: 'l2', filterColumns: ['created'] }) embedding!: number[];
    }
    await expect(backend.open([DatedDoc])).rejects.toThrow(
      `Filter column 'created' has type "datetime", which a SQLite (sqlite-vec) 'vec0' index cannot hold (it stores 'integer', 'float', 'text', 'boolean' values, from SQL types such as 'integer', 'real', 'varchar', 'boolean'); leave it out of filterColumns.`,
    );
  });
});

@Entity('filtered_tenant')
class FilteredTenant {
  @PrimaryGeneratedColumn() id!: number;
}

@Entity('filtered_doc')
class FilteredDoc {
  @PrimaryGeneratedColumn() id!: number;
  /** A relation's foreign key declared as a plain column too: tenantId is a plain integer column. */
  @ManyToOne(() => FilteredTenant) @JoinColumn({ name: 'tenant_id' }) tenant!: FilteredTenant;
  @Column({ name: 'tenant_id' }) tenantId!: number;
  @Column() category!: string;
  @Column() published!: boolean;
  @Column({ type: 'real' }) score!: number;
  @Column({ type: 'varchar', nullable: true }) note!: string | null;
  @VectorColumn(3)
  @VectorIndex({ kind: 'vec0', metric: 'cosine', filterColumns: ['category', 'tenantId', 'published', 'score'], partitionKey: 'tenantId' })
  embedding!: number[];
}

const VEC0 = 'filtered_doc_embedding_vec0_cosine';

for (const backend of BACKENDS.filter((b) => sqlFamily(b.name) === 'sqlite')) {
  describe(`@VectorIndex filterColumns on ${backend.name}`, () => {
    let dataSource: VectorDataSource;
    beforeAll(async () => {
      dataSource = await backend.open([FilteredDoc, FilteredTenant]);
      await dataSource.getRepository(FilteredTenant).insert([{}, {}, {}]);
      await dataSource.getRepository(FilteredDoc).insert([
        { tenantId: 1, category: 'news', published: true, score: 0.5, embedding: [1, 0, 0] },
        { tenantId: 2, category: 'blog', published: false, score: 1.5, embedding: [0, 1, 0] },
      ]);
    });
    afterAll(() => backend.close(dataSource));

    const vec0Row = async (id: number) => ((await dataSource.query(`SELECT tenant_id, category, published, score FROM "${VEC0}" WHERE rowid = ?`, [id])) as unknown[])[0];

    it('synchronize declares the partition key and the metadata columns, and copies the existing rows', async () => {
      const [table] = (await dataSource.query(`SELECT sql FROM sqlite_master WHERE name = ?`, [VEC0])) as Array<{ sql: string }>;
      expect(table!.sql).toBe(
        `CREATE VIRTUAL TABLE "${VEC0}" USING vec0(embedding float[3] distance_metric=cosine, tenant_id integer partition key, category text, published boolean, score float)`,
      );
      expect(await vec0Row(1)).toEqual({ tenant_id: 1, category: 'news', published: 1, score: 0.5 });
    });

    it("leaves TypeORM's schema diff empty (a second migration:generate finds no changes)", async () => {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
      expect(sql.downQueries.map((q) => q.query)).toEqual([]);
    });

    it('keeps the filter columns in step: an UPDATE of one filter column only, of the partition key, a delete', async () => {
      const repo = dataSource.getRepository(FilteredDoc);
      await repo.update({ id: 2 }, { category: 'news' });
      expect(await vec0Row(2)).toEqual({ tenant_id: 2, category: 'news', published: 0, score: 1.5 });
      await repo.update({ id: 2 }, { tenantId: 3, published: true });
      expect(await vec0Row(2)).toEqual({ tenant_id: 3, category: 'news', published: 1, score: 1.5 });
      const { id } = await repo.save({ tenantId: 3, category: 'x', published: false, score: 2, embedding: [0, 0, 1] });
      const knn = (await dataSource.query(`SELECT rowid AS id FROM "${VEC0}" WHERE embedding MATCH ? AND k = 5 AND tenant_id = ? AND published = ?`, [
        encodeFloat32Blob(new Float32Array([0, 0, 1])),
        3,
        1,
      ])) as Array<{ id: number }>;
      expect(knn).toEqual([{ id: 2 }]);
      await repo.delete(id);
      expect(await vec0Row(id)).toBeUndefined();
    });
  });

  describe(`@VectorIndex filterColumns changes on ${backend.name}`, () => {
    @Entity('changing_filter_doc')
    class V1 {
      @PrimaryGeneratedColumn() id!: number;
      @Column({ type: 'integer' }) tenant!: number;
      @Column({ type: 'varchar', length: 20 }) category!: string;
      @VectorColumn(3) @VectorIndex({ metric: 'l2', filterColumns: ['category'] }) embedding!: number[];
    }
    @Entity('changing_filter_doc')
    class V2 {
      @PrimaryGeneratedColumn() id!: number;
      @Column({ type: 'integer' }) tenant!: number;
      @Column({ type: 'varchar', length: 20 }) category!: string;
      @VectorColumn(3) @VectorIndex({ metric: 'l2', filterColumns: ['category', 'tenant'], partitionKey: 'tenant' }) embedding!: number[];
    }
    /** V2 with a wider category: TypeORM copies the table, which drops the triggers. */
    @Entity('changing_filter_doc')
    class V3 {
      @PrimaryGeneratedColumn() id!: number;
      @Column({ type: 'integer' }) tenant!: number;
      @Column({ type: 'varchar', length: 300 }) category!: string;
      @VectorColumn(3) @VectorIndex({ metric: 'l2', filterColumns: ['category', 'tenant'], partitionKey: 'tenant' }) embedding!: number[];
    }
    /** V3 with a new column that is a filter column at once: a table copy and an index change in one migration. */
    @Entity('changing_filter_doc')
    class V4 {
      @PrimaryGeneratedColumn() id!: number;
      @Column({ type: 'integer' }) tenant!: number;
      @Column({ type: 'varchar', length: 300 }) category!: string;
      @Column({ type: 'varchar', default: 'en' }) lang!: string;
      @VectorColumn(3) @VectorIndex({ metric: 'l2', filterColumns: ['category', 'tenant', 'lang'], partitionKey: 'tenant' }) embedding!: number[];
    }
    const index = 'changing_filter_doc_embedding_vec0_l2';
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-filter-'));
    const file = path.join(dir, 'db.sqlite');
    const open = (entity: Function, synchronize: boolean) =>
      new VectorDataSource({ type: sqliteType(backend.name), database: file, entities: [entity], synchronize } as never).initialize();
    const declaration = async (dataSource: VectorDataSource) => ((await dataSource.query(`SELECT sql FROM sqlite_master WHERE name = ?`, [index])) as Array<{ sql: string }>)[0]?.sql;
    const triggers = async (dataSource: VectorDataSource) =>
      ((await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)) as Array<{ name: string }>).map((r) => r.name);
    const triggerNames = ['delete', 'insert', 'update'].map((suffix) => `${index}_${suffix}`);
    /** What migration:generate writes for `entity`: [up, down] in file order. */
    const generate = async (dataSource: VectorDataSource) => {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      return [sql.upQueries.map((q) => q.query), sql.downQueries.map((q) => q.query).reverse()] as const;
    };
    const run = async (dataSource: VectorDataSource, statements: readonly string[]) => {
      const queryRunner = dataSource.createQueryRunner();
      try {
        for (const statement of statements) await queryRunner.query(statement);
      } finally {
        await queryRunner.release();
      }
    };
    // vec0 declares rowid as a column of its own: * includes it.
    const vec0Rows = async (dataSource: VectorDataSource) =>
      ((await dataSource.query(`SELECT * FROM "${index}" ORDER BY rowid`)) as Array<Record<string, unknown>>).map(({ rowid, ...row }): Record<string, unknown> => ({ id: rowid, ...row }));
    let v1Declaration: string;

    beforeAll(async () => {
      const first = await open(V1, true);
      await first.getRepository(V1).insert([{ tenant: 1, category: 'a', embedding: [1, 0, 0] }, { tenant: 2, category: 'b', embedding: [0, 1, 0] }]);
      v1Declaration = (await declaration(first))!;
      await first.destroy();
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('a changed filterColumns list is dropped and recreated; down restores the old declaration, fill and triggers', async () => {
      expect(v1Declaration).toBe(`CREATE VIRTUAL TABLE "${index}" USING vec0(embedding float[3] distance_metric=l2, category text)`);
      const second = await open(V2, false);
      try {
        const [up, down] = await generate(second);
        const v2 = vectorIndexSql(second, { table: 'changing_filter_doc', column: 'embedding', metric: 'l2', dimensions: 3, filterColumns: [{ column: 'category', type: 'varchar' }, { column: 'tenant', type: 'integer' }], partitionKey: 'tenant' });
        expect(up[0]).toMatch(/^\/\* typeorm-vector: vector index \w+ differs from its @VectorIndex \(filterColumns \[category text\] -> \[tenant integer, category text\], partitionKey none -> tenant\): dropped and rebuilt \*\/ DROP TRIGGER/);
        expect(up.map((q) => q.replace(/^\/\*.*?\*\/ /, ''))).toEqual([...v2.down, ...v2.up]);
        expect(down[down.length - 5]).toBe(v1Declaration);
        await run(second, up);
        expect(await declaration(second)).toBe(`CREATE VIRTUAL TABLE "${index}" USING vec0(embedding float[3] distance_metric=l2, tenant integer partition key, category text)`);
        expect(await vec0Rows(second)).toEqual([
          { id: 1, embedding: expect.anything(), tenant: 1, category: 'a' },
          { id: 2, embedding: expect.anything(), tenant: 2, category: 'b' },
        ]);
        expect(await generate(second)).toEqual([[], []]);
        await run(second, down);
        expect(await declaration(second)).toBe(v1Declaration);
        expect(await triggers(second)).toEqual(triggerNames);
        // The restored triggers copy what the old declaration holds.
        await second.query(`INSERT INTO changing_filter_doc(tenant, category, embedding) VALUES (3, 'c', ?)`, [encodeFloat32Blob(new Float32Array([0, 0, 1]))]);
        expect((await vec0Rows(second)).map((r) => [r.id, r.category])).toEqual([[1, 'a'], [2, 'b'], [3, 'c']]);
        await run(second, up);
      } finally {
        await second.destroy();
      }
    });

    it('a table copy recreates the triggers with the filter columns, in up and in down', async () => {
      const third = await open(V3, false);
      try {
        const [up, down] = await generate(third);
        expect(up).toContain('DROP TABLE "changing_filter_doc"');
        expect(up.filter((q) => q.startsWith('CREATE TRIGGER'))).toHaveLength(3);
        await run(third, up);
        expect(await triggers(third)).toEqual(triggerNames);
        await third.getRepository(V3).update({ id: 1 }, { category: 'c'.repeat(100) });
        expect((await vec0Rows(third))[0]).toMatchObject({ id: 1, tenant: 1, category: 'c'.repeat(100) });
        expect(await generate(third)).toEqual([[], []]);
        await run(third, down);
        expect(await triggers(third)).toEqual(triggerNames);
        await run(third, up);
      } finally {
        await third.destroy();
      }
    });

    it('a new column listed in filterColumns at once: the table copy and the index change run in one migration, and down undoes both', async () => {
      const fourth = await open(V4, false);
      try {
        const [up, down] = await generate(fourth);
        await run(fourth, up);
        expect(await declaration(fourth)).toBe(`CREATE VIRTUAL TABLE "${index}" USING vec0(embedding float[3] distance_metric=l2, tenant integer partition key, category text, lang text)`);
        expect(await triggers(fourth)).toEqual(triggerNames);
        expect((await vec0Rows(fourth)).map((r) => r.lang)).toEqual(['en', 'en', 'en']);
        await fourth.getRepository(V4).update({ id: 2 }, { lang: 'fr' });
        expect((await vec0Rows(fourth))[1]).toMatchObject({ id: 2, lang: 'fr' });
        expect(await generate(fourth)).toEqual([[], []]);
        await run(fourth, down);
        expect(await declaration(fourth)).toBe(`CREATE VIRTUAL TABLE "${index}" USING vec0(embedding float[3] distance_metric=l2, tenant integer partition key, category text)`);
        expect(await triggers(fourth)).toEqual(triggerNames);
      } finally {
        await fourth.destroy();
      }
    });
  });

  describe(`createVectorIndex with filter columns on ${backend.name}`, () => {
    let dataSource: VectorDataSource;
    let queryRunner: QueryRunner;
    beforeAll(async () => {
      dataSource = await backend.open([]);
      await dataSource.query('CREATE TABLE item (id integer PRIMARY KEY, tenant_id integer NOT NULL, kind varchar NOT NULL, note varchar, embedding blob NOT NULL)');
      await dataSource.query(`INSERT INTO item (tenant_id, kind, embedding) VALUES (1, 'a', ?)`, [encodeFloat32Blob(new Float32Array([1, 0]))]);
      queryRunner = dataSource.createQueryRunner();
    });
    afterAll(async () => {
      await queryRunner?.release();
      await backend.close(dataSource);
    });
    const request = { table: 'item', column: 'embedding', metric: 'l2' as const, dimensions: 2 };

    it('creates the vec0 table with them and drops it again', async () => {
      const filtered = { ...request, filterColumns: [{ column: 'tenant_id', type: 'integer' }, { column: 'kind', type: 'varchar' }], partitionKey: 'tenant_id' };
      await createVectorIndex(queryRunner, filtered);
      expect(await dataSource.query(`SELECT rowid AS id, tenant_id, kind FROM item_embedding_vec0_l2`)).toEqual([{ id: 1, tenant_id: 1, kind: 'a' }]);
      await dropVectorIndex(queryRunner, filtered);
      expect(await dataSource.query(`SELECT name FROM sqlite_master WHERE name LIKE 'item_embedding_vec0_l2%'`)).toEqual([]);
    });

    it.each([
      [[{ column: 'note', type: 'varchar' }], 'Filter column item.note is nullable, and a vector index\'s filter columns must be NOT NULL; declare it NOT NULL or leave it out of filterColumns.'],
      [[{ column: 'lang', type: 'varchar' }], 'Filter column item.lang does not exist; create it before the index, or leave it out of filterColumns.'],
    ])('refuses %p before writing anything', async (filterColumns, message) => {
      const error = await createVectorIndex(queryRunner, { ...request, filterColumns }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VectorMigrationError);
      expect((error as Error).message).toBe(message);
      expect(await dataSource.query(`SELECT name FROM sqlite_master WHERE name LIKE 'item_embedding%'`)).toEqual([]);
    });
  });
}
