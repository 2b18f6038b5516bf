import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { VectorColumn, VectorDataSource } from '../src';
import { BACKENDS } from './support/backends';
import { l2, randomVectors } from './support/vectors';

/** 128-dimensional rows for the exact-search check. */
@Entity('search_item')
class SearchItem {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(128) embedding!: number[];
}

const ROWS = 10_000;
const BATCH = 1_000;

describe.each(BACKENDS)('exact search over 10,000 rows x 128 dimensions on $name', (backend) => {
  let dataSource: VectorDataSource;
  const items = randomVectors(ROWS, 128, 2024);
  const queries = randomVectors(3, 128, 77);

  beforeAll(async () => {
    dataSource = await backend.open([SearchItem]);
    const repo = dataSource.getRepository(SearchItem);
    // Batches through the query builder's insert (our transformer encodes every row), without reloading ids.
    for (let start = 0; start < ROWS; start += BATCH) {
      const batch = items.slice(start, start + BATCH).map((embedding) => ({ embedding }));
      await repo.createQueryBuilder().insert().values(batch).updateEntity(false).execute();
    }
  });
  afterAll(() => backend.close(dataSource));

  it.each(queries.map((query, i) => [i, query] as const))('orderByL2(...).limit(10) returns the 10 nearest JavaScript finds (query %i)', async (_i, query) => {
    const exact = items
      .map((embedding, i) => ({ id: i + 1, distance: l2(embedding, query) }))
      .sort((a, b) => a.distance - b.distance)
      .slice(0, 10);
    const { raw, entities } = await dataSource
      .getRepository(SearchItem)
      .createQueryBuilder('item')
      .orderByL2('item.embedding', query)
      .addSelectDistance('item.embedding', query, 'l2', 'distance')
      .limit(10)
      .getRawAndEntities();
    expect(entities.map((e) => e.id)).toEqual(exact.map((e) => e.id));
    raw.forEach((row: { distance: number }, i: number) => expect(Number(row.distance)).toBeCloseTo(exact[i]!.distance, 4));
    expect(entities[0]!.embedding).toEqual(items[exact[0]!.id - 1]);
  });
});
