/**
 * Edge cases of findNearest found in review: concurrent searches inside one caller's transaction
 * (settings never mix, the caller's writes are kept), a commit that fails (no setting reaches the
 * next user of the pooled connection), empty tables, joins to many rows (distances paired with
 * their own entity, `limit` entities), a filter with a top-level OR next to `where`, and soft
 * deletes under a vec0 push-down.
 */
import 'reflect-metadata';
import { Column, DeleteDateColumn, Entity, In, ManyToOne, OneToMany, PrimaryGeneratedColumn, type EntitySubscriberInterface, type SelectQueryBuilder } from 'typeorm';
import { findNearest, searchNearest, VectorColumn, VectorIndex, type VectorDataSource } from '../src';
import { BACKENDS, POSTGRES_FAMILY, sqlFamily } from './support/backends';
import { DISTANCES, randomVectors } from './support/vectors';

@Entity('edge_doc')
class EdgeDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) x!: number;
  @Column({ type: 'varchar', length: 10 }) category!: string;
  @VectorColumn(4) @VectorIndex({ metric: 'l2' }) embedding!: number[];
  @OneToMany(() => EdgeTag, (tag) => tag.doc) tags!: EdgeTag[];
}

@Entity('edge_tag')
class EdgeTag {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 10 }) name!: string;
  @ManyToOne(() => EdgeDoc, (doc) => doc.tags) doc!: EdgeDoc;
}

@Entity('edge_empty')
class EmptyDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 10 }) category!: string;
  @VectorColumn(4) @VectorIndex({ metric: 'l2' }) embedding!: number[];
}

const vectors = randomVectors(60, 4, 71);
const query = randomVectors(1, 4, 72)[0]!;
const exactIds = (keep: (i: number) => boolean, limit: number) =>
  vectors
    .map((v, i) => ({ id: i + 1, d: DISTANCES.l2(v, query) }))
    .filter((r) => keep(r.id - 1))
    .sort((a, b) => a.d - b.d)
    .slice(0, limit)
    .map((r) => r.id);

/**
 * Checks an index-path result without demanding exact ranks: MariaDB's and libSQL's graphs are
 * approximate and may leave a true neighbour out even on a small table (seen in CI). Every row must
 * pass the filter, `limit` rows must come back, each with its own exact distance, closest first,
 * and at least `limit - 1` of them must be the exact answer's.
 */
function expectFilteredNearest(near: readonly { entity: { id: number }; distance: number }[], keep: (i: number) => boolean, limit: number): void {
  expect(near).toHaveLength(limit);
  near.forEach((n) => {
    expect(keep(n.entity.id - 1)).toBe(true);
    expect(n.distance).toBeCloseTo(DISTANCES.l2(vectors[n.entity.id - 1]!, query), 4);
  });
  const distances = near.map((n) => n.distance);
  expect(distances).toEqual([...distances].sort((a, b) => a - b));
  const exact = new Set(exactIds(keep, limit));
  expect(near.filter((n) => exact.has(n.entity.id)).length).toBeGreaterThanOrEqual(limit - 1);
}

for (const backend of BACKENDS) {
  describe(`findNearest edge cases on ${backend.name}`, () => {
    let dataSource: VectorDataSource;
    const repo = () => dataSource.getRepository(EdgeDoc);

    beforeAll(async () => {
      dataSource = await backend.open([EdgeDoc, EdgeTag, EmptyDoc]);
      await repo().insert(vectors.map((embedding, i) => ({ x: i % 5, category: i % 3 === 0 ? 'rare' : 'common', embedding })));
      // Docs 1..60: doc i has tags 'a' and 'b' when i is even, none otherwise.
      const tags = vectors.flatMap((_, i) => ((i + 1) % 2 === 0 ? ['a', 'b'].map((name) => ({ name, doc: { id: i + 1 } })) : []));
      await dataSource.getRepository(EdgeTag).insert(tags);
    });
    afterAll(() => backend.close(dataSource));

    it('an empty table gives no rows, filtered or not (no endless candidate reads)', async () => {
      const empty = dataSource.getRepository(EmptyDoc);
      await expect(findNearest(empty, { column: 'embedding', vector: query, limit: 5 })).resolves.toEqual([]);
      await expect(findNearest(empty, { column: 'embedding', vector: query, limit: 5, where: { category: 'rare' } })).resolves.toEqual([]);
    });

    it('a where on a one-to-many relation returns limit distinct entities, each with its own distance', async () => {
      const where = { tags: { name: In(['a', 'b']) } };
      const near = await findNearest(repo(), { column: 'embedding', vector: query, limit: 4, where });
      expectFilteredNearest(near, (i) => (i + 1) % 2 === 0, 4);
      const exact = await findNearest(repo(), { column: 'embedding', vector: query, limit: 4, where, useIndex: false });
      expect(exact.map((n) => n.entity.id)).toEqual(exactIds((i) => (i + 1) % 2 === 0, 4));
    });

    it("a filter's top-level OR stays together: where applies to all of it", async () => {
      const options = { column: 'embedding', vector: query, limit: 5, where: { category: 'rare' }, filter: (qb: SelectQueryBuilder<EdgeDoc>) => qb.where('entity.x = 0 OR entity.x = 1') } as const;
      const keep = (i: number) => i % 3 === 0 && (i % 5 === 0 || i % 5 === 1);
      expectFilteredNearest(await findNearest(repo(), options), keep, 5);
      const exact = await findNearest(repo(), { ...options, useIndex: false });
      expect(exact.map((n) => n.entity.id)).toEqual(exactIds(keep, 5));
    });
  });
}

@Entity('edge_soft')
class SoftDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 10 }) category!: string;
  @DeleteDateColumn() deletedAt!: Date | null;
  @VectorColumn(4) @VectorIndex({ kind: 'vec0', metric: 'l2', filterColumns: ['category'] }) embedding!: number[];
}

for (const backend of BACKENDS.filter((b) => sqlFamily(b.name) === 'sqlite')) {
  it(`vec0 push-down with soft-deleted rows still returns limit live rows, on ${backend.name}`, async () => {
    const dataSource = await backend.open([SoftDoc]);
    try {
      const repo = dataSource.getRepository(SoftDoc);
      await repo.insert(vectors.map((embedding) => ({ category: 'rare', embedding })));
      const nearest = exactIds(() => true, 3);
      await repo.softDelete(nearest);
      const outcome = await searchNearest(repo, { column: 'embedding', vector: query, limit: 5, where: { category: 'rare' } });
      expect(outcome.rows.map((n) => n.entity.id)).toEqual(exactIds((i) => !nearest.includes(i + 1), 5));
    } finally {
      await backend.close(dataSource);
    }
  });
}

for (const postgres of POSTGRES_FAMILY) describe(`PostgreSQL search transactions under stress on ${postgres.name}`, () => {
  const efIs = (value: number) => (qb: SelectQueryBuilder<EdgeDoc>) => qb.andWhere(`current_setting('hnsw.ef_search') = '${value}'`);

  it("concurrent searches in one caller's transaction keep their own settings and the caller's concurrent writes", async () => {
    const dataSource = await postgres!.open([EdgeDoc, EdgeTag, EmptyDoc]);
    try {
      await dataSource.getRepository(EdgeDoc).insert(vectors.map((embedding, i) => ({ x: i % 5, category: 'common', embedding })));
      await dataSource.transaction(async (manager) => {
        await manager.query('SET LOCAL hnsw.ef_search = 77');
        const repo = manager.getRepository(EdgeDoc);
        const searches = [111, 222, 333].map((ef) => findNearest(repo, { column: 'embedding', vector: query, limit: 3, filter: efIs(ef), search: { efSearch: ef } }));
        const [a, b, c, inserted] = await Promise.all([...searches, repo.insert({ x: 99, category: 'kept', embedding: query })]);
        expect([a, b, c].map((rows) => (rows as unknown[]).length)).toEqual([3, 3, 3]);
        expect(inserted).toBeDefined();
        expect(((await manager.query("SELECT current_setting('hnsw.ef_search') AS ef")) as Array<{ ef: string }>)[0]!.ef).toBe('77');
      });
      expect(await dataSource.getRepository(EdgeDoc).countBy({ category: 'kept' })).toBe(1);
    } finally {
      await postgres!.close(dataSource);
    }
  });

  it('a commit that fails never hands the pooled connection on inside the search transaction', async () => {
    let failCommit = false;
    const failing: EntitySubscriberInterface = {
      beforeTransactionCommit: () => {
        if (failCommit) throw new Error('commit refused by a subscriber');
      },
    };
    const dataSource = await postgres!.open([EdgeDoc, EdgeTag, EmptyDoc], { poolSize: 1 });
    try {
      (dataSource.subscribers as EntitySubscriberInterface[]).push(failing);
      await dataSource.getRepository(EdgeDoc).insert(vectors.map((embedding, i) => ({ x: i % 5, category: 'common', embedding })));
      failCommit = true;
      await expect(findNearest(dataSource.getRepository(EdgeDoc), { column: 'embedding', vector: query, limit: 3, search: { efSearch: 200 } })).rejects.toThrow(/commit refused/);
      failCommit = false;
      const [row] = (await dataSource.query("SELECT current_setting('hnsw.ef_search') AS ef, now() = statement_timestamp() AS outside")) as Array<{ ef: string; outside: boolean }>;
      expect(row).toEqual({ ef: '40', outside: true });
    } finally {
      await postgres!.close(dataSource);
    }
  });
});
