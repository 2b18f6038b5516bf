/**
 * After an approximate candidate index (MariaDB's VECTOR INDEX, libSQL's DiskANN) ran out for a
 * filter and the search ended exactly, the next searches with the same conditions and limit answer
 * exactly at once, without the index read that would only confirm it (EXACT_FALLBACK_MEMORY: 15
 * searches or 30 s); then one reads the index again, and a filter the index now serves keeps it.
 * The rows are the exact answer either way. Other conditions, another limit and another
 * DataSource are not affected.
 */
import 'reflect-metadata';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { searchNearest, VectorColumn, VectorIndex, type NearestOutcome, type VectorDataSource } from '../src';
import { answerExactlyAgain, EXACT_FALLBACK_MEMORY, rememberExactFallback } from '../src/query/exact-fallback-memory';
import { BACKENDS, recordQueries, sqlFamily } from './support/backends';
import { randomVectors } from './support/vectors';

@Entity('fallback_doc')
class FallbackDoc {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'varchar', length: 16 }) category!: string;
  @VectorColumn(8) @VectorIndex({ metric: 'l2' }) embedding!: number[];
}

const ROWS = 2000;
const items = randomVectors(ROWS, 8, 31);
const queries = randomVectors(40, 8, 32);
/** Every 100th row: 20 of 2,000 pass, too few for the index's first candidates. */
const categoryOf = (id: number) => (id % 100 === 0 ? 'rare' : 'common');

describe('the exact-fallback memory', () => {
  it('answers exactly again for 15 searches or 30 s after a fallback, whichever ends first', () => {
    const slot = { owner: {}, key: 'doc_idx\u00005\u0000SELECT ...' };
    expect(answerExactlyAgain(slot, 0)).toBe(false);
    rememberExactFallback(slot, 0);
    expect(answerExactlyAgain(slot, EXACT_FALLBACK_MEMORY.ms - 1)).toBe(true);
    expect(answerExactlyAgain(slot, EXACT_FALLBACK_MEMORY.ms)).toBe(false);
    rememberExactFallback(slot, 0);
    for (let i = 0; i < EXACT_FALLBACK_MEMORY.searches; i++) expect(answerExactlyAgain(slot, 1)).toBe(true);
    expect(answerExactlyAgain(slot, 1)).toBe(false);
    expect(answerExactlyAgain({ ...slot, owner: {} }, 1)).toBe(false);
  });
});

for (const backend of BACKENDS.filter((b) => ['mariadb', 'libsql'].includes(sqlFamily(b.name)))) {
  describe(`filtered search on ${backend.name} after its index ran out`, () => {
    let dataSource: VectorDataSource;
    const candidateRead = /tv_candidates|vector_top_k/;
    const search = async (vector: number[], category: string, limit = 5) => {
      let outcome: NearestOutcome<FallbackDoc> | undefined;
      const sent = await recordQueries(dataSource, async () => {
        outcome = await searchNearest(dataSource.getRepository(FallbackDoc), { column: 'embedding', vector, metric: 'l2', limit, where: { category } });
      });
      return { ...outcome!, readIndex: sent.some((q) => candidateRead.test(q.query)) };
    };
    const exactIds = async (vector: number[], category: string, limit = 5) =>
      (await searchNearest(dataSource.getRepository(FallbackDoc), { column: 'embedding', vector, metric: 'l2', limit, where: { category }, useIndex: false })).rows.map((r) => r.entity.id);

    beforeAll(async () => {
      dataSource = await backend.open([FallbackDoc]);
      await dataSource.getRepository(FallbackDoc).insert(items.map((embedding, i) => ({ id: i + 1, category: categoryOf(i + 1), embedding })));
    });
    afterAll(() => backend.close(dataSource));

    it('reads the index, falls back, then answers the next 15 searches with that filter exactly without reading it, and reads it on the 16th', async () => {
      const first = await search(queries[0]!, 'rare');
      expect(first).toMatchObject({ strategy: 'exact-fallback', index: 'fallback_doc_embedding_' + (sqlFamily(backend.name) === 'libsql' ? 'diskann' : 'hnsw') + '_l2', readIndex: true });
      expect(first.scanned).toEqual(expect.any(Number));
      for (let i = 1; i <= EXACT_FALLBACK_MEMORY.searches; i++) {
        const again = await search(queries[i]!, 'rare');
        expect(again).toMatchObject({ strategy: 'exact-fallback', index: first.index, scanned: undefined, readIndex: false });
        expect(again.rows.map((r) => r.entity.id)).toEqual(await exactIds(queries[i]!, 'rare'));
      }
      const probe = await search(queries[16]!, 'rare');
      expect(probe).toMatchObject({ strategy: 'exact-fallback', readIndex: true });
      expect(probe.rows.map((r) => r.entity.id)).toEqual(await exactIds(queries[16]!, 'rare'));
    });

    it('another filter value, another limit and another DataSource read the index as before', async () => {
      await search(queries[20]!, 'rare');
      expect(await search(queries[21]!, 'common')).toMatchObject({ strategy: 'index', readIndex: true });
      expect(await search(queries[22]!, 'rare', 6)).toMatchObject({ strategy: 'exact-fallback', readIndex: true });
      const other = await backend.open([FallbackDoc]);
      try {
        await other.getRepository(FallbackDoc).insert(items.map((embedding, i) => ({ id: i + 1, category: categoryOf(i + 1), embedding })));
        const sent = await recordQueries(other, () => searchNearest(other.getRepository(FallbackDoc), { column: 'embedding', vector: queries[23]!, metric: 'l2', limit: 5, where: { category: 'rare' } }));
        expect(sent.some((q) => candidateRead.test(q.query))).toBe(true);
      } finally {
        await backend.close(other);
      }
    });

    it('a filter that has become common gets the index back at the next read, and keeps it', async () => {
      await search(queries[24]!, 'rare');
      expect((await search(queries[25]!, 'rare')).readIndex).toBe(false);
      // 90% of the rows: the first read's 20 to 40 candidates hold the 5 needed, whatever the graph returns.
      await dataSource.query(`UPDATE fallback_doc SET category = 'rare' WHERE id % 10 <> 0`);
      for (let i = 0; i < EXACT_FALLBACK_MEMORY.searches - 1; i++) await search(queries[26]!, 'rare');
      expect(await search(queries[27]!, 'rare')).toMatchObject({ strategy: 'index', readIndex: true });
      expect(await search(queries[28]!, 'rare')).toMatchObject({ strategy: 'index', readIndex: true });
    });
  });
}
