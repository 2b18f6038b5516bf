/**
 * findNearest on an entity TypeORM loads from one row with nothing else to do runs its query's SQL
 * on the query runner and hydrates the entities itself (src/query/plain-rows.ts); without
 * conditions the SQL is built once per shape. The entities must equal TypeORM's own loads for
 * every kind of column (dates, JSON, booleans, NULLs, a column transformer, a relation's foreign
 * key, `select: false`, create dates and versions), with and without conditions; entities TypeORM
 * does more for (embedded entities, `@AfterLoad`) and queries it loads otherwise (a join, a result
 * cache) keep TypeORM's loading.
 */
import 'reflect-metadata';
import { AfterLoad, Column, CreateDateColumn, Entity, In, ManyToOne, PrimaryGeneratedColumn, SelectQueryBuilder, VersionColumn } from 'typeorm';
import { findNearest, VectorColumn, type VectorDataSource } from '../src';
import { BACKENDS, recordQueries } from './support/backends';
import { randomVectors } from './support/vectors';

@Entity('plain_owner')
class PlainOwner {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 20 }) name!: string;
}

const upperCase = { to: (value: string | null) => value, from: (value: string | null) => (value === null ? null : value.toUpperCase()) };

@Entity('plain_item')
class PlainItem {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 20, transformer: upperCase }) title!: string;
  @Column({ type: 'varchar', length: 20, nullable: true }) note!: string | null;
  @Column({ type: 'boolean' }) published!: boolean;
  @Column({ type: 'simple-json' }) tags!: string[];
  @Column({ type: 'date' }) day!: string;
  @Column({ type: 'varchar', length: 20, select: false }) secret!: string;
  @CreateDateColumn() createdAt!: Date;
  @VersionColumn() version!: number;
  @ManyToOne(() => PlainOwner, { nullable: true }) owner!: PlainOwner | null;
  @VectorColumn(6) embedding!: number[];
}

class Meta {
  @Column({ type: 'varchar', length: 20 }) lang!: string;
}

@Entity('plain_embedded')
class PlainEmbedded {
  @PrimaryGeneratedColumn() id!: number;
  @Column(() => Meta) meta!: Meta;
  @VectorColumn(6) embedding!: number[];
}

@Entity('plain_listened')
class PlainListened {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(6) embedding!: number[];
  loaded = false;
  @AfterLoad() markLoaded(): void {
    this.loaded = true;
  }
}

describe.each(BACKENDS)('findNearest reading plain entities itself on $name', (backend) => {
  let dataSource: VectorDataSource;
  // A failed expectation must not leave TypeORM's getRawAndEntities spied on for the next test.
  afterEach(() => jest.restoreAllMocks());
  const vectors = randomVectors(60, 6, 11);
  const queries = randomVectors(3, 6, 12);

  beforeAll(async () => {
    dataSource = await backend.open([PlainOwner, PlainItem, PlainEmbedded, PlainListened]);
    const [owner] = await dataSource.getRepository(PlainOwner).save([{ name: 'ann' }]);
    await dataSource.getRepository(PlainItem).save(
      vectors.map((embedding, i) => ({
        title: `title ${i}`,
        note: i % 3 ? `note ${i}` : null,
        published: i % 2 === 0,
        tags: [`t${i}`, 'x'],
        day: `2026-01-${String((i % 28) + 1).padStart(2, '0')}`,
        secret: 's',
        owner: i % 4 ? owner : null,
        embedding,
      })),
    );
    await dataSource.getRepository(PlainEmbedded).insert(vectors.slice(0, 10).map((embedding, i) => ({ meta: { lang: i % 2 ? 'en' : 'fr' }, embedding })));
    await dataSource.getRepository(PlainListened).insert(vectors.slice(0, 10).map((embedding) => ({ embedding })));
  });
  afterAll(() => backend.close(dataSource));

  it.each([
    ['no conditions', {}],
    ['a where', { where: { published: true } }],
    ['a filter', { filter: (qb: SelectQueryBuilder<PlainItem>) => qb.where('entity.note IS NOT NULL') }],
  ])("returns the entities TypeORM's own find loads, column for column, with %s", async (_label, conditions) => {
    const repo = dataSource.getRepository(PlainItem);
    const typeormLoads = jest.spyOn(SelectQueryBuilder.prototype, 'getRawAndEntities');
    const near = await findNearest(repo, { column: 'embedding', vector: queries[0]!, limit: 12, ...conditions });
    expect(typeormLoads).not.toHaveBeenCalled();
    expect(near).toHaveLength(12);
    const loaded = await repo.find({ where: { id: In(near.map((row) => row.entity.id)) }, loadRelationIds: false });
    const byId = new Map(loaded.map((item) => [item.id, item]));
    for (const { entity } of near) {
      expect(entity).toBeInstanceOf(PlainItem);
      expect(entity).toEqual(byId.get(entity.id));
      expect(entity.title).toBe(entity.title.toUpperCase());
      expect(entity.secret).toBeUndefined();
    }
  });

  it('builds its SQL once per shape and sends each new vector as its one parameter', async () => {
    const repo = dataSource.getRepository(PlainItem);
    const typeormLoads = jest.spyOn(SelectQueryBuilder.prototype, 'getRawAndEntities');
    const sent = await recordQueries(dataSource, async () => {
      for (const vector of queries) await findNearest(repo, { column: 'embedding', vector, limit: 5 });
    });
    expect(typeormLoads).not.toHaveBeenCalled();
    const searches = sent.filter((statement) => /ORDER BY/.test(statement.query));
    expect(searches).toHaveLength(3);
    expect(new Set(searches.map((statement) => statement.query)).size).toBe(1);
    expect(searches.map((statement) => statement.parameters?.length)).toEqual([1, 1, 1]);
    expect(JSON.stringify(searches[0]!.parameters)).not.toBe(JSON.stringify(searches[1]!.parameters));
    const distances = await Promise.all(queries.map(async (vector) => (await findNearest(repo, { column: 'embedding', vector, limit: 5 })).map((row) => row.distance)));
    for (const list of distances) expect([...list].sort((a, b) => a - b)).toEqual(list);
  });

  it("does not reuse the SQL of a repository whose own createQueryBuilder may add something different each time", async () => {
    let published = true;
    const base = dataSource.getRepository(PlainItem);
    const scoped = base.extend({
      createQueryBuilder(alias?: string, queryRunner?: import('typeorm').QueryRunner) {
        return base.createQueryBuilder(alias, queryRunner).andWhere(`${alias}.published = ${published ? 'TRUE' : 'FALSE'}`);
      },
    });
    const first = await findNearest(scoped, { column: 'embedding', vector: queries[1]!, limit: 5 });
    published = false;
    const second = await findNearest(scoped, { column: 'embedding', vector: queries[1]!, limit: 5 });
    expect(first.map(({ entity }) => entity.published)).toEqual([true, true, true, true, true]);
    expect(second.map(({ entity }) => entity.published)).toEqual([false, false, false, false, false]);
  });

  it('hands loading back to TypeORM once a subscriber listens to loads, though the plain reading was made before', async () => {
    const repo = dataSource.getRepository(PlainItem);
    await findNearest(repo, { column: 'embedding', vector: queries[0]!, limit: 3 });
    const seen: unknown[] = [];
    const subscriber = { listenTo: () => PlainItem, afterLoad: (entity: PlainItem) => void seen.push(entity) };
    dataSource.subscribers.push(subscriber);
    try {
      const typeormLoads = jest.spyOn(SelectQueryBuilder.prototype, 'getRawAndEntities');
      const near = await findNearest(repo, { column: 'embedding', vector: queries[0]!, limit: 3 });
      expect(typeormLoads).toHaveBeenCalledTimes(1);
      expect(seen).toEqual(near.map(({ entity }) => entity));
      expect(near.map(({ entity }) => entity.embedding.length)).toEqual([6, 6, 6]);
      typeormLoads.mockRestore();
    } finally {
      dataSource.subscribers.splice(dataSource.subscribers.indexOf(subscriber), 1);
    }
    const typeormLoads = jest.spyOn(SelectQueryBuilder.prototype, 'getRawAndEntities');
    await findNearest(repo, { column: 'embedding', vector: queries[0]!, limit: 3 });
    expect(typeormLoads).not.toHaveBeenCalled();
  });

  it('refuses a property that is not a vector column on every call, after the vector column was resolved and kept', async () => {
    const repo = dataSource.getRepository(PlainItem);
    await findNearest(repo, { column: 'embedding', vector: queries[0]!, limit: 3 });
    for (let i = 0; i < 2; i++) {
      await expect(findNearest(repo, { column: 'title', vector: queries[0]!, limit: 3 })).rejects.toThrow(/Property 'title' of alias 'entity' \(entity PlainItem\) is not a @VectorColumn; use one of its vector properties: embedding\./);
      await expect(findNearest(repo, { column: 'nope', vector: queries[0]!, limit: 3 })).rejects.toThrow(/Property 'nope' of alias 'entity' \(entity PlainItem\) does not exist/);
    }
  });

  it('leaves joins, result caches, embedded entities and @AfterLoad hooks to TypeORM', async () => {
    const repo = dataSource.getRepository(PlainItem);
    const typeormLoads = jest.spyOn(SelectQueryBuilder.prototype, 'getRawAndEntities');
    const joined = await findNearest(repo, { column: 'embedding', vector: queries[0]!, limit: 3, filter: (qb) => qb.leftJoinAndSelect('entity.owner', 'owner') });
    const cached = await findNearest(repo, { column: 'embedding', vector: queries[0]!, limit: 3, filter: (qb) => qb.cache(60_000) });
    expect(typeormLoads).toHaveBeenCalledTimes(2);
    typeormLoads.mockRestore();
    expect(joined.every(({ entity }) => entity.owner === null || entity.owner instanceof PlainOwner)).toBe(true);
    expect(joined.some(({ entity }) => entity.owner instanceof PlainOwner)).toBe(true);
    expect(cached).toHaveLength(3);
    const embedded = await findNearest(dataSource.getRepository(PlainEmbedded), { column: 'embedding', vector: queries[0]!, limit: 3 });
    for (const { entity } of embedded) expect(entity.meta).toBeInstanceOf(Meta);
    const listened = await findNearest(dataSource.getRepository(PlainListened), { column: 'embedding', vector: queries[0]!, limit: 3 });
    expect(listened.map(({ entity }) => entity.loaded)).toEqual([true, true, true]);
  });
});
