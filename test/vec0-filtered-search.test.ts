/**
 * findNearest on a sqlite-vec `vec0` index with filter columns: a `where` the vec0 metadata (and
 * partition key) columns can evaluate runs inside the KNN query, so one exact read of `limit` rows
 * answers; anything else falls back to the candidate read and then an exact filtered search.
 */
import 'reflect-metadata';
import { Column, Entity, In, Like, MoreThan, PrimaryGeneratedColumn } from 'typeorm';
import { searchNearest, VectorColumn, VectorIndex, type VectorDataSource } from '../src';
import { BACKENDS, recordQueries, sqlFamily } from './support/backends';
import { DISTANCES, randomVectors } from './support/vectors';

@Entity('vec0_filtered_doc')
class FilteredDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar' }) category!: string;
  @Column({ type: 'integer' }) tenantId!: number;
  @Column({ type: 'integer' }) rank!: number;
  @VectorColumn(8) @VectorIndex({ kind: 'vec0', metric: 'l2', filterColumns: ['category', 'tenantId', 'rank'], partitionKey: 'tenantId' }) embedding!: number[];
}

const ROWS = 2000;
const vectors = randomVectors(ROWS, 8, 31);
const query = randomVectors(1, 8, 32)[0]!;
const rowOf = (i: number) => ({ category: i % 100 === 0 ? 'rare' : 'common', tenantId: i % 3, rank: i % 10, embedding: vectors[i]! });

/** The exact nearest ids (1-based) among rows passing `keep`, by l2 in JS. */
const exactIds = (keep: (row: ReturnType<typeof rowOf>) => boolean, limit: number) =>
  vectors
    .map((v, i) => ({ id: i + 1, row: rowOf(i), d: DISTANCES.l2(v, query) }))
    .filter((r) => keep(r.row))
    .sort((a, b) => a.d - b.d)
    .slice(0, limit)
    .map((r) => r.id);

const sqliteBackends = BACKENDS.filter((b) => sqlFamily(b.name) === 'sqlite');
for (const backend of sqliteBackends) {
  describe(`vec0 filter columns in findNearest on ${backend.name}`, () => {
    let dataSource: VectorDataSource;
    const repo = () => dataSource.getRepository(FilteredDoc);

    beforeAll(async () => {
      dataSource = await backend.open([FilteredDoc]);
      await dataSource.transaction(async (manager) => {
        for (let start = 0; start < ROWS; start += 500) await manager.getRepository(FilteredDoc).insert(vectors.slice(start, start + 500).map((_, i) => rowOf(start + i)));
      });
    });
    afterAll(() => backend.close(dataSource));

    it.each<[string, object, (row: ReturnType<typeof rowOf>) => boolean]>([
      ['equality', { category: 'rare' }, (r) => r.category === 'rare'],
      ['In on a text column', { category: In(['rare', 'none']) }, (r) => r.category === 'rare'],
      ['two columns, the partition key among them', { category: 'rare', tenantId: 1 }, (r) => r.category === 'rare' && r.tenantId === 1],
      ['a range', { rank: MoreThan(7), tenantId: 2 }, (r) => r.rank > 7 && r.tenantId === 2],
    ])('%s runs inside the KNN query: one exact read of limit rows', async (_, where, keep) => {
      let outcome: Awaited<ReturnType<typeof searchNearest<FilteredDoc>>> | undefined;
      const sent = await recordQueries(dataSource, async () => {
        outcome = await searchNearest(repo(), { column: 'embedding', vector: query, limit: 10, where });
      });
      const expected = exactIds(keep, 10);
      expect(outcome!.rows.map((n) => n.entity.id)).toEqual(expected);
      expect(outcome!).toMatchObject({ strategy: 'index', scanned: 10 });
      const selects = sent.filter((q) => q.query.includes('MATCH'));
      expect(selects).toHaveLength(1);
      expect(selects[0]!.query).toMatch(/MATCH .* AND k = \S+ AND "(category|rank)" /);
    });

    it('a filter that keeps fewer rows than limit returns them from the one read', async () => {
      const outcome = await searchNearest(repo(), { column: 'embedding', vector: query, limit: 50, where: { category: 'rare', tenantId: 0 } });
      expect(outcome.rows.map((n) => n.entity.id)).toEqual(exactIds((r) => r.category === 'rare' && r.tenantId === 0, 50));
      expect(outcome.strategy).toBe('index');
    });

    it.each<[string, object, (row: ReturnType<typeof rowOf>) => boolean]>([
      ['an operator vec0 cannot evaluate (Like)', { category: Like('ra%') }, (r) => r.category.startsWith('ra')],
      ['In on the partition key (vec0 would return k rows per value)', { tenantId: In([1, 2]), category: 'rare' }, (r) => [1, 2].includes(r.tenantId) && r.category === 'rare'],
      ['an OR of conditions', [{ category: 'rare' }, { rank: 11 }], (r) => r.category === 'rare'],
    ])('%s is not pushed down: the candidate read, then an exact filtered search', async (_, where, keep) => {
      const outcome = await searchNearest(repo(), { column: 'embedding', vector: query, limit: 10, where: where as never });
      expect(outcome.rows.map((n) => n.entity.id)).toEqual(exactIds(keep, 10));
      expect(outcome.strategy).toBe('exact-fallback');
    });

    it('where with a filter callback is not pushed down, and both apply', async () => {
      const outcome = await searchNearest(repo(), { column: 'embedding', vector: query, limit: 5, where: { category: 'rare' }, filter: (qb) => qb.andWhere('entity.rank < 5') });
      expect(outcome.rows.map((n) => n.entity.id)).toEqual(exactIds((r) => r.category === 'rare' && r.rank < 5, 5));
      expect(outcome.strategy).toBe('exact-fallback');
    });
  });
}
if (!sqliteBackends.length) it.skip('needs a SQLite backend (TEST_BACKENDS)', () => undefined);
