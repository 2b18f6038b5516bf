import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { nextK } from '../src/query/nearest-strategy';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  explainNearest,
  findNearest,
  libsql,
  UnsupportedVectorFeatureError,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
} from '../src';
import { BACKENDS, recordQueries, sqlFamily } from './support/backends';
import { WideItem } from './support/entities';
import { DISTANCES, randomVectors } from './support/vectors';

/** The settings list typeorm-vector's libSQL index defaults write (see src/dialects/libsql/capabilities.ts). */
const LIBSQL_DEFAULT_SETTINGS = (metric: 'l2' | 'cosine') => `'metric=${metric}', 'max_neighbors=64', 'compress_neighbors=float32'`;
// Either list may be empty under TEST_BACKENDS, so loops declare the tests (describe.each refuses an empty table).
const LIBSQL_BACKENDS = BACKENDS.filter((b) => sqlFamily(b.name) === 'libsql');
const OTHER_BACKENDS = BACKENDS.filter((b) => sqlFamily(b.name) !== 'libsql');

/** A bucketed item whose table name and vector column differ from its property names. */
@Entity('named_item')
class NamedItem {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) bucket!: number;
  @VectorColumn(8, { name: 'vec' }) embedding!: number[];
}

function exactNearest(items: number[][], query: number[], metric: 'l2' | 'cosine', limit: number, keep: (i: number) => boolean = () => true): number[] {
  return items
    .map((embedding, i) => ({ id: i + 1, distance: DISTANCES[metric](embedding, query) }))
    .filter((e) => keep(e.id - 1))
    .sort((a, b) => a.distance - b.distance)
    .slice(0, limit)
    .map((e) => e.id);
}

for (const backend of LIBSQL_BACKENDS) describe(`libSQL vector index on ${backend.name}`, () => {
  let dataSource: VectorDataSource;
  const items = randomVectors(600, 8, 5);
  const query = randomVectors(1, 8, 77)[0]!;

  beforeAll(async () => {
    dataSource = await backend.open([NamedItem]);
    await dataSource.getRepository(NamedItem).insert(items.map((embedding, i) => ({ bucket: i % 10, embedding })));
    await dataSource.query(`CREATE INDEX named_item_l2 ON named_item(libsql_vector_idx(vec, ${LIBSQL_DEFAULT_SETTINGS('l2')}))`);
    await dataSource.query(`CREATE INDEX "named_item_cos" ON "named_item" (libsql_vector_idx("vec", ${LIBSQL_DEFAULT_SETTINGS('cosine')}))`);
  });
  afterAll(() => backend.close(dataSource));

  const repo = () => dataSource.getRepository(NamedItem);

  it.each(['l2', 'cosine'] as const)('findNearest reads the %s index through vector_top_k, joined on rowid, and returns exact distances', async (metric) => {
    const index = metric === 'l2' ? 'named_item_l2' : 'named_item_cos';
    let near: Awaited<ReturnType<typeof findNearest<NamedItem>>> = [];
    const queries = await recordQueries(dataSource, async () => {
      near = await findNearest(repo(), { column: 'embedding', vector: query, metric, limit: 5 });
    });
    const select = queries.map((q) => q.query).find((q) => q.includes('vector_top_k'));
    // limit 5, but never fewer than 10 candidates from vector_top_k, reranked by exact distance
    expect(select).toContain(`"entity".rowid IN (SELECT id FROM vector_top_k('${index}', vector32(?), 10))`);
    // vector_top_k is approximate, so no ids here: recall over many queries is test/ann-index-recall.test.ts.
    expect(near).toHaveLength(5);
    near.forEach((n) => expect(n.distance).toBeCloseTo(DISTANCES[metric](items[n.entity.id - 1]!, query), 4));
    near.slice(1).forEach((n, i) => expect(n.distance).toBeGreaterThanOrEqual(near[i]!.distance));
  });

  it('reads 4 x limit candidates under a filter, then answers exactly once the next read would pass 1/8 of the table', async () => {
    let near: Awaited<ReturnType<typeof findNearest<NamedItem>>> = [];
    const queries = await recordQueries(dataSource, async () => {
      near = await findNearest(repo(), {
        column: 'embedding',
        vector: query,
        limit: 10,
        filter: (qb) => qb.where('entity.bucket = :bucket', { bucket: 3 }),
      });
    });
    // Candidates come from the approximate index: recall of filtered searches is test/ann-index-recall.test.ts.
    expect(near).toHaveLength(10);
    near.forEach((n) => {
      expect(n.entity.bucket).toBe(3);
      expect(n.distance).toBeCloseTo(DISTANCES.l2(items[n.entity.id - 1]!, query), 4);
    });
    near.slice(1).forEach((n, i) => expect(n.distance).toBeGreaterThanOrEqual(near[i]!.distance));
    const ks = queries.map((q) => /vector_top_k\('named_item_l2', vector32\(\?\), (\d+)\)/.exec(q.query)?.[1]).filter(Boolean).map(Number);
    expect(ks).toEqual([40]);
    expect(queries.some((q) => /FROM "named_item" "entity" WHERE .*ORDER BY "?tv_distance"? ASC/.test(q.query) && !q.query.includes('vector_top_k'))).toBe(true);
    // Growth by the pass rate on a table large enough: test/filtered-search.test.ts (MariaDB) and nextK below.
  });

  it('grows k by the pass rate seen, 2x to 16x a round', () => {
    expect(nextK(40, 0, 10)).toBe(640);
    expect(nextK(640, 6, 10)).toBe(1600);
    expect(nextK(100, 9, 10)).toBe(200);
  });

  it('falls back to an exact scan when the filter leaves fewer than limit rows in the whole table', async () => {
    const near = await findNearest(repo(), {
      column: 'embedding',
      vector: query,
      limit: 10,
      filter: (qb) => qb.where('entity.bucket = :bucket AND entity.id <= :max', { bucket: 4, max: 40 }),
    });
    expect(near.map((n) => n.entity.id)).toEqual(exactNearest(items, query, 'l2', 10, (i) => i % 10 === 4 && i < 40));
    expect(near).toHaveLength(4);
  });

  it('useIndex names an index, false forces the exact scan, true requires an index', async () => {
    const named = await recordQueries(dataSource, () => findNearest(repo(), { column: 'embedding', vector: query, metric: 'cosine', useIndex: 'named_item_cos', limit: 3 }));
    expect(named.some((q) => q.query.includes(`vector_top_k('named_item_cos'`))).toBe(true);
    const exact = await recordQueries(dataSource, () => findNearest(repo(), { column: 'embedding', vector: query, useIndex: false, limit: 3 }));
    expect(exact.some((q) => q.query.includes('vector_top_k'))).toBe(false);
    expect(exact.some((q) => q.query.includes('vector_distance_l2("entity"."vec", vector32(?)) AS "tv_distance"') && /ORDER BY "?tv_distance"? ASC/.test(q.query))).toBe(true);
  });

  it.each([
    [{ useIndex: 'named_item_cos' }, VectorConfigurationError, /Vector index 'named_item_cos' orders by 'cosine' distance, not 'l2'; pass metric: 'cosine' or another index\./],
    [{ useIndex: 'nope' }, VectorConfigurationError, /findNearest useIndex 'nope' is not a vector index on named_item\.vec; use one of: named_item_l2, named_item_cos\./],
    [{ useIndex: "x'); DROP TABLE named_item; --" }, VectorConfigurationError, /is not true, false or an index name/],
    [{ useIndex: 1 }, VectorConfigurationError, /findNearest useIndex 1 is not true, false or an index name/],
    [{ metric: 'l1' }, UnsupportedVectorFeatureError, /libSQL has no 'l1' distance; use one of 'l2', 'cosine' instead\./],
    [{ metric: 'inner_product' }, UnsupportedVectorFeatureError, /libSQL has no 'inner_product' distance; use 'cosine' on normalised vectors instead/],
  ])('rejects %p', async (override, errorClass, message) => {
    const attempt = () => findNearest(repo(), { column: 'embedding', vector: query, ...(override as object) } as never);
    await expect(attempt()).rejects.toBeInstanceOf(errorClass);
    await expect(attempt()).rejects.toThrow(message);
    expect(await repo().count()).toBe(600);
  });

  it('useIndex: true without an index for the metric says how to proceed', async () => {
    await dataSource.query('DROP INDEX named_item_cos');
    try {
      await expect(findNearest(repo(), { column: 'embedding', vector: query, metric: 'cosine', useIndex: true })).rejects.toThrow(
        /named_item\.vec has no vector index for 'cosine' distance; create one or leave useIndex unset for an exact search\./,
      );
      // Unset, the same query scans exactly.
      const near = await findNearest(repo(), { column: 'embedding', vector: query, metric: 'cosine', limit: 4 });
      expect(near.map((n) => n.entity.id)).toEqual(exactNearest(items, query, 'cosine', 4));
    } finally {
      await dataSource.query(`CREATE INDEX named_item_cos ON named_item(libsql_vector_idx(vec, ${LIBSQL_DEFAULT_SETTINGS('cosine')}))`);
    }
  });

  it('keeps vector indexes through a second synchronize (TypeORM does not see them)', async () => {
    const log = await dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
    await dataSource.synchronize();
    const indexes = await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'named_item' ORDER BY name`);
    expect(indexes.map((r: { name: string }) => r.name)).toEqual(['named_item_cos', 'named_item_l2']);
  });
});

// libSQL on a file keeps a lock after an EXPLAIN of vector_top_k followed by a read on the same connection (docs/libsql.md).
if (LIBSQL_BACKENDS.some((backend) => backend.name === 'libsql')) describe('libSQL file: explainNearest leaves no lock behind', () => {
  it('another DataSource on the same file writes after explainNearest and the searches around it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-libsql-explain-'));
    const url = `file:${path.join(dir, 'explain.db')}`;
    const searching = await new VectorDataSource({ ...libsql({ url }), entities: [NamedItem], synchronize: true }).initialize();
    const writing = await new VectorDataSource({ ...libsql({ url }), entities: [NamedItem] }).initialize();
    try {
      const repo = searching.getRepository(NamedItem);
      await repo.insert(randomVectors(50, 8, 3).map((embedding, i) => ({ bucket: i % 5, embedding })));
      await searching.query(`CREATE INDEX named_item_l2 ON named_item(libsql_vector_idx(vec, ${LIBSQL_DEFAULT_SETTINGS('l2')}))`);
      const query = randomVectors(1, 8, 4)[0]!;
      await findNearest(repo, { column: 'embedding', vector: query, limit: 3 });
      expect(await explainNearest(repo, { column: 'embedding', vector: query, limit: 3 })).toMatchObject({ usesIndex: true, index: 'named_item_l2' });
      expect(await findNearest(repo, { column: 'embedding', vector: query, limit: 3 })).toHaveLength(3);
      await searching.query('SELECT count(*) FROM named_item');
      await expect(writing.getRepository(NamedItem).insert({ bucket: 9, embedding: query })).resolves.toBeDefined();
      expect(await repo.count()).toBe(51);
    } finally {
      await searching.destroy();
      await writing.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const backend of OTHER_BACKENDS) describe(`findNearest useIndex on ${backend.name}`, () => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([WideItem]);
  });
  afterAll(() => backend.close(dataSource));

  it('true requires an index for the metric; a name is refused where the database picks its index itself (PostgreSQL, MariaDB)', async () => {
    const vector = randomVectors(1, 32, 1)[0]!;
    await expect(findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector, useIndex: true })).rejects.toThrow(
      /wide_item\.embedding has no vector index for 'l2' distance; create one or leave useIndex unset for an exact search\./,
    );
    const naming = findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector, useIndex: 'wide_idx' });
    await (sqlFamily(backend.name) === 'sqlite'
      ? expect(naming).rejects.toThrow(/useIndex 'wide_idx' is not a vector index on wide_item\.embedding; use one of: \(none\)\./)
      : expect(naming).rejects.toThrow(/picks its vector indexes itself, so findNearest cannot name one; leave useIndex unset\./));
    await expect(findNearest(dataSource.getRepository(WideItem), { column: 'embedding', vector, useIndex: false })).resolves.toEqual([]);
  });
});
