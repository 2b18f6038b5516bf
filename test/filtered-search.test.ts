/**
 * Filtered kNN fills LIMIT (issue 11). On every backend with an approximate or candidate index
 * (PostgreSQL HNSW, MariaDB VECTOR INDEX, libSQL DiskANN, sqlite-vec vec0), with the library's
 * default settings, 1% of the rows pass the filter `category = 'rare'`:
 *
 * 1. the plain indexed query a user would write (the index's top 10, then the filter) returns fewer
 *    than 10 rows (PostgreSQL: EXPLAIN shows that it reads the HNSW index; MariaDB is the exception,
 *    see its test);
 * 2. `searchNearest` with `where: { category: 'rare' }` returns exactly `limit` rows, the exact
 *    filtered answer computed in JavaScript (ids in order, up to float32 ties), for 10 and 100;
 * 3. a filter that fewer rows than `limit` pass returns exactly those rows;
 * 4. `In(...)`, an array of conditions (OR) and `where` with a `filter` callback give the exact
 *    answer too.
 *
 * One line per backend is printed: the strategy and candidates (`scanned`) of the filtered search,
 * and the mean latency of the unfiltered and the filtered findNearest. Loading and indexing take
 * seconds, so this file runs in the `typeorm-1.x` Jest project only (jest.config.js).
 */
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Column, Entity, In, LessThan, PrimaryColumn, type FindOptionsWhere } from 'typeorm';
import { findNearest, searchNearest, VectorColumn, VectorIndex, type Nearest, type NearestOutcome, type VectorDataSource } from '../src';
import { BACKENDS, type BackendName } from './support/backends';
import { clusteredVectors, DISTANCES } from './support/vectors';

const DIMENSIONS = 16;
const METRIC = 'l2';
const K = 10;
const QUERIES = 5;
/** Gaussian σ of each of the 40 clusters, as in test/ann-index-recall.test.ts (overlapping clusters). */
const SPREAD = 0.7;
/** Distances closer than this are float32 ties: their rows may come in either order. */
const TIE = 1e-5;

@Entity('filtered_doc')
class FilteredDoc {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'varchar', length: 16 }) category!: string;
  @VectorColumn(DIMENSIONS) @VectorIndex({ metric: METRIC }) embedding!: number[];
}

const INDEX = `filtered_doc_embedding_${'KIND'}_${METRIC}`;

/** Every 100th row is 'rare' (1%); three other rows are 'scarce'; the rest 'common'. */
function categories(rows: number): (id: number) => string {
  const scarce = new Set([Math.floor(rows / 10) + 7, Math.floor(rows / 2) + 13, rows - 41]);
  return (id) => (id % 100 === 0 ? 'rare' : scarce.has(id) ? 'scarce' : 'common');
}

interface DataSet {
  /** Row `id` is `rows[id - 1]`. */
  rows: number[][];
  queries: number[][];
  categoryOf: (id: number) => string;
}

function dataSet(count: number, seed: number): DataSet {
  const all = clusteredVectors(count + QUERIES, DIMENSIONS, seed, 40, SPREAD);
  return { rows: all.slice(0, count), queries: all.slice(count), categoryOf: categories(count) };
}

/** The exact `limit` nearest rows (id, distance) among those `pass` keeps, computed in JavaScript. */
function exactNearest(data: DataSet, vector: number[], limit: number, pass: (id: number) => boolean): Array<{ id: number; distance: number }> {
  const out: Array<{ id: number; distance: number }> = [];
  data.rows.forEach((row, i) => {
    if (pass(i + 1)) out.push({ id: i + 1, distance: DISTANCES[METRIC](row, vector) });
  });
  return out.sort((a, b) => a.distance - b.distance || a.id - b.id).slice(0, limit);
}

/**
 * `rows` is the exact answer: same length, distinct ids, each row's reported distance its exact
 * one, and the ids of `exact` in order, where a row may stand in for another at the same distance.
 */
function expectExact(data: DataSet, vector: number[], rows: Array<Nearest<FilteredDoc>>, exact: Array<{ id: number; distance: number }>): void {
  const ids = rows.map((r) => r.entity.id);
  expect(new Set(ids).size).toBe(ids.length);
  rows.forEach((r) => expect(r.distance).toBeCloseTo(DISTANCES[METRIC](data.rows[r.entity.id - 1]!, vector), 4));
  const tiesResolved = ids.map((id, i) => {
    const want = exact[i];
    return want && Math.abs(DISTANCES[METRIC](data.rows[id - 1]!, vector) - want.distance) <= TIE ? want.id : id;
  });
  expect(tiesResolved).toEqual(exact.map((e) => e.id));
}

/** Inserts the rows (ids 1..n) 1,000 a statement. */
async function load(dataSource: VectorDataSource, data: DataSet): Promise<void> {
  const repo = dataSource.getRepository(FilteredDoc);
  for (let start = 0; start < data.rows.length; start += 1000) {
    const batch = data.rows.slice(start, start + 1000).map((embedding, i) => ({ id: start + i + 1, category: data.categoryOf(start + i + 1), embedding }));
    await repo.createQueryBuilder().insert().values(batch).updateEntity(false).execute();
  }
}

const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`;

export { INDEX, In, LessThan, findNearest, searchNearest, load, expectExact, exactNearest, dataSet, seconds };
export type { FindOptionsWhere, NearestOutcome, BackendName };

const describeOn = (name: BackendName, title: string, body: (backend: (typeof BACKENDS)[number]) => void): void => {
  for (const backend of BACKENDS.filter((b) => b.name === name)) describe(`${title} on ${backend.name}`, () => body(backend));
};

describeOn('libsql', 'timing', (backend) => {
  it('loads', async () => {
    for (const n of [5000, 10000, 20000]) {
      const data = dataSet(n, 1);
      const start = performance.now();
      const ds = await backend.open([FilteredDoc]);
      await ds.query(`DROP INDEX filtered_doc_embedding_diskann_l2`);
      await load(ds, data);
      const loaded = seconds(start);
      const b = performance.now();
      await ds.synchronize();
      console.log(`${n}: load ${loaded}, index ${seconds(b)}`);
      await backend.close(ds);
    }
  });
});
