/**
 * vec0FilterSql: a TypeORM find-style `where` as constraints inside a vec0 KNN query. First the exact
 * SQL and every refusal (pure), then, on the SQLite backends, that the vec0 query with those
 * constraints returns exactly the k nearest rows an exact filtered search over the table returns.
 */
import 'reflect-metadata';
import { Between, Column, Entity, Equal, FindOperator, In, IsNull, LessThan, LessThanOrEqual, Like, MoreThan, MoreThanOrEqual, Not, PrimaryGeneratedColumn, Raw, type FindOptionsWhere } from 'typeorm';
import { VectorColumn, VectorDataSource, VectorIndex, encodeFloat32Blob } from '../src';
import { vectorIndexesOf } from '../src/column/vector-index-attachment';
import { vec0FilterSql } from '../src/dialects/sqlite-vec';
import type { IndexedFilterColumn } from '../src/vocabulary';
import { BACKENDS, sqlFamily } from './support/backends';
import { randomVectors } from './support/vectors';

const escape = (name: string) => `"${name.replaceAll('"', '""')}"`;

const COLUMNS: Record<string, IndexedFilterColumn> = {
  tenantId: { column: 'tenant_id', type: 'integer', partitionKey: true },
  category: { column: 'category', type: 'text', partitionKey: false },
  score: { column: 'score', type: 'float', partitionKey: false },
  published: { column: 'published', type: 'boolean', partitionKey: false },
  rank: { column: 'rank', type: 'integer', partitionKey: false },
};

describe('vec0FilterSql', () => {
  it.each<[string, Record<string, unknown>, string, unknown[]]>([
    ['no condition', {}, '', []],
    ['plain values', { tenantId: 7, category: 'news' }, '"tenant_id" = ? AND "category" = ?', [7, 'news']],
    ['Equal', { score: Equal(0.5) }, '"score" = ?', [0.5]],
    ['Not of a value', { category: Not('news') }, '"category" != ?', ['news']],
    ['Not of Equal', { rank: Not(Equal(3)) }, '"rank" != ?', [3]],
    ['comparisons', { rank: LessThan(3), score: MoreThanOrEqual(-1.5) }, '"rank" < ? AND "score" >= ?', [3, -1.5]],
    ['LessThanOrEqual and MoreThan', { category: LessThanOrEqual('m'), tenantId: MoreThan(2) }, '"category" <= ? AND "tenant_id" > ?', ['m', 2]],
    ['Between', { score: Between(0.25, 0.75) }, '"score" >= ? AND "score" <= ?', [0.25, 0.75]],
    ['In on integer and text metadata', { rank: In([1, 2, 3]), category: In(['a', 'b']) }, '"rank" IN (?, ?, ?) AND "category" IN (?, ?)', [1, 2, 3, 'a', 'b']],
    ['booleans, bound as 1 and 0', { published: true }, '"published" = ?', [1]],
    ['Not of a boolean', { published: Not(false) }, '"published" != ?', [0]],
    ['bigint on an integer column', { rank: 9007199254740993n }, '"rank" = ?', [9007199254740993n]],
    ['an integer-valued number on a float column', { score: 2 }, '"score" = ?', [2]],
    ['the partition key with ranges', { tenantId: Between(2, 4) }, '"tenant_id" >= ? AND "tenant_id" <= ?', [2, 4]],
  ])('%s', (_label, where, sql, parameters) => {
    expect(vec0FilterSql(where, COLUMNS, escape)).toEqual({ sql, parameters });
  });

  it('escapes column names with the given escape', () => {
    const hostile = { odd: { column: 'a"b', type: 'integer', partitionKey: false } };
    expect(vec0FilterSql({ odd: 1 }, hostile, escape)).toEqual({ sql: '"a""b" = ?', parameters: [1] });
  });

  it.each<[string, unknown]>([
    ['an array of where objects (OR)', [{ category: 'a' }, { category: 'b' }]],
    ['not an object', 'category = 1'],
    ['null', null],
    ['a FindOperator as the whole where', Equal(1)],
    ['a property that is no filter column', { title: 'x' }],
    ['one known and one unknown property', { category: 'a', title: 'x' }],
    ['an inherited property name', { toString: 'x' }],
    ['null', { category: null }],
    ['undefined', { category: undefined }],
    ['IsNull', { category: IsNull() }],
    ['Like', { category: Like('a%') }],
    ['Raw', { rank: Raw((alias) => `${alias} > 1`) }],
    ['Not of In', { rank: Not(In([1, 2])) }],
    ['Not of LessThan', { rank: Not(LessThan(1)) }],
    ['Not of null', { category: Not(null) }],
    ['In on the partition key (vec0 runs one KNN per value)', { tenantId: In([1, 2]) }],
    ['In on a float column', { score: In([1, 2]) }],
    ['In on a boolean column', { published: In([true]) }],
    ['an empty In', { rank: In([]) }],
    ['In with a value of another type', { rank: In([1, '2']) }],
    ['a fraction on an integer column (vec0 truncates it)', { rank: LessThan(3.5) }],
    ['an unsafe integer number', { rank: 2 ** 60 }],
    ['a string on an integer column', { rank: '3' }],
    ['a number on a text column', { category: 5 }],
    ['NaN on a float column', { score: NaN }],
    ['Infinity on a float column', { score: MoreThan(Infinity) }],
    ['a bigint on a float column', { score: 1n }],
    ['a Date', { category: new Date(0) }],
    ['a number on a boolean column (vec0 matches 2 as true)', { published: 2 }],
    ['an ordering comparison on a boolean column', { published: MoreThan(false) }],
    ['Between on a boolean column', { published: Between(false, true) }],
    ['Between with a wrong bound', { rank: Between(1, 2.5) }],
    ['a nested object', { category: { name: 'x' } }],
  ])('gives undefined for %s', (_label, where) => {
    expect(vec0FilterSql(where, COLUMNS, escape)).toBeUndefined();
  });
});

@Entity('filter_chunk')
class FilterChunk {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ name: 'tenant_id', type: 'integer' }) tenantId!: number;
  @Column({ type: 'varchar' }) category!: string;
  @Column({ type: 'float' }) score!: number;
  @Column({ type: 'boolean' }) published!: boolean;
  @Column({ type: 'integer' }) rank!: number;
  @VectorColumn(4)
  @VectorIndex({ metric: 'l2', filterColumns: ['tenantId', 'category', 'score', 'published', 'rank'], partitionKey: 'tenantId' })
  embedding!: number[];
}

const CATEGORIES = ['', 'a', 'ab', 'b', 'news', 'Zebra', 'a category longer than twelve bytes', 'a category longer than twelve bytez', 'ünïcode', '日本'];

for (const backend of BACKENDS.filter((b) => sqlFamily(b.name) === 'sqlite')) {
  describe(`vec0FilterSql on a real vec0 table, ${backend.name}`, () => {
    let dataSource: VectorDataSource;
    const rows = randomVectors(800, 4, 11).map((embedding, i) => ({
      tenantId: (i % 5) + 1,
      category: CATEGORIES[(i * 7) % CATEGORIES.length]!,
      score: ((i * 37) % 101) / 10 - 5,
      published: i % 3 === 0,
      rank: ((i * 13) % 21) - 10,
      embedding,
    }));
    const queries = randomVectors(3, 4, 99);

    beforeAll(async () => {
      dataSource = await backend.open([FilterChunk]);
      await dataSource.getRepository(FilterChunk).insert(rows);
    });
    afterAll(() => backend.close(dataSource));

    it("the attached index maps each filter property to its column, vec0 type and partition key", () => {
      expect(vectorIndexesOf(dataSource.getMetadata(FilterChunk))[0]!.filterColumns).toEqual(COLUMNS);
    });

    const wheres: Array<FindOptionsWhere<FilterChunk>> = [
      {},
      { tenantId: 3 },
      { tenantId: Not(3) },
      { tenantId: MoreThan(3), published: true },
      { tenantId: Between(2, 3), category: 'news' },
      { category: 'a category longer than twelve bytes' },
      { category: MoreThan('a category longer than twelve bytes') },
      { category: LessThan('ab') },
      { category: LessThanOrEqual('ab') },
      { category: In(['', 'b', '日本', 'a category longer than twelve bytez']) },
      { category: Not('') },
      { category: MoreThanOrEqual('ünïcode') },
      { score: MoreThan(4.5) },
      { score: Between(-1, 1), published: false },
      { score: LessThanOrEqual(-4) },
      { score: Equal(0.1) },
      { rank: In([-10, 0, 10]) },
      { rank: LessThan(-8), tenantId: 1 },
      { rank: Not(0), category: Not('a') },
      { published: Not(true), rank: MoreThanOrEqual(9) },
      { tenantId: 5, category: 'Zebra', score: MoreThan(0), rank: LessThanOrEqual(5), published: true },
    ];

    const label = (where: object) => JSON.stringify(where, (_key, v: unknown) => (v instanceof FindOperator ? `${v.type}(${JSON.stringify(v.value)})` : v));
    it.each(wheres.map((where) => [label(where), where] as const))(
      '%s: vec0 returns exactly the k nearest matching rows',
      async (_label, where) => {
        const filter = vec0FilterSql(where, COLUMNS, escape)!;
        expect(filter).toBeDefined();
        const and = filter.sql ? ` AND ${filter.sql}` : '';
        const matching = ((await dataSource.query(`SELECT count(*) AS n FROM "filter_chunk" WHERE 1 = 1${and}`, filter.parameters)) as Array<{ n: number }>)[0]!.n;
        for (const k of [1, 7, 60]) {
          for (const query of queries) {
            const vector = encodeFloat32Blob(Float32Array.from(query));
            const fromIndex = (await dataSource.query(`SELECT rowid AS id FROM "filter_chunk_embedding_vec0_l2" WHERE "embedding" MATCH ? AND k = ?${and} ORDER BY distance`, [
              vector,
              k,
              ...filter.parameters,
            ])) as Array<{ id: number }>;
            const exact = (await dataSource.query(`SELECT id FROM "filter_chunk" WHERE 1 = 1${and} ORDER BY vec_distance_l2("embedding", ?), id LIMIT ?`, [
              ...filter.parameters,
              vector,
              k,
            ])) as Array<{ id: number }>;
            expect(exact).toHaveLength(Math.min(k, matching));
            expect(fromIndex.map((r) => r.id)).toEqual(exact.map((r) => r.id));
          }
        }
      },
    );

    it('a matching row the query excludes stays out, and an updated filter value moves a row in', async () => {
      const repo = dataSource.getRepository(FilterChunk);
      const query = queries[0]!;
      const filter = vec0FilterSql({ category: 'moved here' }, COLUMNS, escape)!;
      const nearest = async () =>
        ((await dataSource.query(`SELECT rowid AS id FROM "filter_chunk_embedding_vec0_l2" WHERE "embedding" MATCH ? AND k = 5 AND ${filter.sql}`, [encodeFloat32Blob(Float32Array.from(query)), ...filter.parameters])) as Array<{ id: number }>).map((r) => r.id);
      expect(await nearest()).toEqual([]);
      await repo.update({ id: 42 }, { category: 'moved here' });
      expect(await nearest()).toEqual([42]);
      await repo.update({ id: 42 }, { category: rows[41]!.category });
      expect(await nearest()).toEqual([]);
    });
  });
}
