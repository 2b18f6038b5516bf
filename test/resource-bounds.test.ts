/**
 * Resource bounds: `limit` at sqlite-vec's k cap (4096) and above it through a vec0 index, and a
 * query vector of each backend's maximum dimensions (test/properties.test.ts runs that one on every
 * backend).
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { findNearest, searchNearest, VectorColumn, VectorDataSource, VectorIndex } from '../src';
import { BACKENDS, sqlFamily } from './support/backends';
import { randomVectors } from './support/vectors';

@Entity('bounded_doc')
class BoundedDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(4)
  @VectorIndex({ metric: 'l2' })
  embedding!: number[];
}

const SQLITE = BACKENDS.filter((b) => sqlFamily(b.name) === 'sqlite');
describe.each(SQLITE)('limit around sqlite-vec k cap on $name', (backend) => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([BoundedDoc]);
    const vectors = randomVectors(5000, 4, 7);
    const repo = dataSource.getRepository(BoundedDoc);
    for (let i = 0; i < vectors.length; i += 500) await repo.insert(vectors.slice(i, i + 500).map((embedding) => ({ embedding })));
  });
  afterAll(() => backend.close(dataSource));

  it.each([4096, 4097, 5000])('limit %d returns that many rows, nearest first (from the index up to 4096, exactly above)', async (limit) => {
    const outcome = await searchNearest(dataSource.getRepository(BoundedDoc), { column: 'embedding', vector: [0, 0, 0, 0], limit });
    expect(outcome.rows).toHaveLength(limit);
    const distances = outcome.rows.map((r) => r.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    // Up to the cap the vec0 index answers; above it (k > 4096 is refused by sqlite-vec) the search is exact.
    expect(outcome.strategy).toBe(limit <= 4096 ? 'index' : 'exact-fallback');
  });

  it('a limit past the table returns every row', async () => {
    await expect(findNearest(dataSource.getRepository(BoundedDoc), { column: 'embedding', vector: [0, 0, 0, 0], limit: 100_000 })).resolves.toHaveLength(5000);
  });
});
