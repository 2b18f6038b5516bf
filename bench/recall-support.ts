/** Data, ground truth and recall for bench/recall.ts. */
import { compare } from './measure';
import { Column, Entity, Not, PrimaryColumn, type Repository } from 'typeorm';
import { findNearest, insertVectors, searchNearest, VectorColumn, type FindNearestOptions, type NearestStrategyName, type VectorDataSource } from '../src';
import { seededRandom } from '../test/support/vectors';

/** The recall table's row type: one backend with one set of index options. */
export interface RecallRow {
  backend: string;
  data: string;
  options: string;
  recall: number;
  /** Median time of the index path over the exact scan (below 1 = the index is faster). */
  ratio: number;
  /** Seconds the index took to build on the loaded table (absolute: noise on a shared machine, order of magnitude only). */
  buildSeconds: number;
  /** Bytes on disk per row: the table (with its other indexes), and the vector index alone. */
  tableBytesPerRow: number;
  indexBytesPerRow: number;
  /** Median milliseconds of one index search and one exact search, over the queries (for the scale curve). */
  indexMs: number;
  exactMs: number;
}

/**
 * A loaded table's entity with its vectors and the true 10 nearest ids of each query. The rows'
 * vectors are one packed Float32Array (1,000,000 x 128 is 512 MB there, over 1 GB as `number[][]`):
 * row id `i + 1` is `vectors.subarray(i * dimensions, (i + 1) * dimensions)`.
 */
export interface RecallData {
  entity: Function;
  /** Rows of the table (ids 1..count). */
  count: number;
  dimensions: number;
  vectors: Float32Array;
  queries: number[][];
  truth: number[][];
  /** The true 10 nearest ids among the rare rows (category 'rare', every 100th row: a 1% filter). */
  rareTruth: number[][];
  label: string;
}

export interface RecallItem {
  id: number;
  category: string;
  embedding: number[];
}

/** Every 100th row is 'rare': the 1% filter of the filtered-search figures. */
export const categoryOfId = (id: number): string => (id % 100 === 0 ? 'rare' : 'common');

export const TABLE = 'recall_item';
export const K = 10;
const CLUSTERS = 40;
/** Gaussian standard deviation per coordinate: of 0.2, 0.4 and 0.7 tried (one run each), 0.4 gave pgvector the lowest recall. */
const SPREAD = 0.4;

/**
 * `count` clustered rows of `dimensions` (40 clusters) and `queries` queries (default 50) from the same clusters, with
 * their exact 10 nearest ids (l2) computed in JS, and an entity for table `recall_item`.
 *
 * @example
 * const data = recallData(20_000, 128, 100); // data.truth[0] = the ids nearest to data.queries[0]
 */
export function recallData(count: number, dimensions: number, queries = 50): RecallData {
  const all = clusteredFloat32(count + queries, dimensions, 7, CLUSTERS, SPREAD);
  const vectors = all.subarray(0, count * dimensions);
  const queryVectors = Array.from({ length: queries }, (_, q) => Array.from(all.subarray((count + q) * dimensions, (count + q + 1) * dimensions)));
  const truth = queryVectors.map((q) => nearestOf(q, vectors, () => true));
  const rareTruth = queryVectors.map((q) => nearestOf(q, vectors, (id) => categoryOfId(id) === 'rare'));
  @Entity(TABLE)
  class Item implements RecallItem {
    @PrimaryColumn() id!: number;
    @Column({ type: 'varchar', length: 16 }) category!: string;
    @VectorColumn(dimensions) embedding!: number[];
  }
  return { entity: Item, count, dimensions, vectors, queries: queryVectors, truth, rareTruth, label: `${count.toLocaleString('en')} x ${dimensions}, ${CLUSTERS} clusters (σ ${SPREAD}), l2` };
}

/**
 * test/support/vectors.ts's `clusteredVectors` (the same seeded values, in the same order), written
 * into one Float32Array instead of an array per row: every value is already a float32 there.
 */
function clusteredFloat32(count: number, dimensions: number, seed: number, clusters: number, spread: number): Float32Array {
  const random = seededRandom(seed);
  const centres = Array.from({ length: clusters }, () => Array.from({ length: dimensions }, () => random() * 2 - 1));
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const out = new Float32Array(count * dimensions);
  for (let i = 0; i < count; i++) {
    const centre = centres[Math.floor(random() * clusters)]!;
    for (let d = 0; d < dimensions; d++) out[i * dimensions + d] = centre[d]! + spread * gaussian();
  }
  return out;
}

/** The ids (1-based) of the K rows nearest to `q` (l2) among those `keep` accepts, keeping only the best K (no sort of every row). */
function nearestOf(q: number[], vectors: Float32Array, keep: (id: number) => boolean): number[] {
  const dimensions = q.length;
  const query = Float64Array.from(q, Math.fround);
  const best: Array<{ id: number; d: number }> = [];
  for (let i = 0, count = vectors.length / dimensions; i < count; i++) {
    if (!keep(i + 1)) continue;
    let sum = 0;
    for (let d = 0, at = i * dimensions; d < dimensions; d++) sum += (vectors[at + d]! - query[d]!) ** 2;
    const distance = Math.sqrt(sum);
    if (best.length === K && distance >= best[K - 1]!.d) continue;
    best.push({ id: i + 1, d: distance });
    best.sort((a, b) => a.d - b.d);
    if (best.length > K) best.pop();
  }
  return best.map((r) => r.id);
}

/** Recall and paired timings of one index configuration against the exact search. */
export interface PairedRun {
  recall: number;
  indexMs: number;
  exactMs: number;
}

/**
 * Runs every query through `index` and `exact`, alternately first, timing each call alone: recall@10
 * of the index path against the JS truth, and the median time of each path per query.
 *
 * @example
 * const { recall, indexMs, exactMs } = await pairedRun(data, nearestIds(repo), nearestIds(repo, { useIndex: false }));
 */
export async function pairedRun(data: RecallData, index: Search, exact: Search, queries = data.queries.length): Promise<PairedRun> {
  await index(data.queries[0]!);
  await exact(data.queries[0]!);
  const indexTimes: number[] = [];
  const exactTimes: number[] = [];
  let found = 0;
  for (let i = 0; i < queries; i++) {
    const query = data.queries[i]!;
    const expected = new Set(data.truth[i]);
    const timed = async (search: Search, times: number[]) => {
      const start = process.hrtime.bigint();
      const ids = await search(query);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      return ids;
    };
    let ids: number[];
    if (i % 2 === 0) {
      ids = await timed(index, indexTimes);
      await timed(exact, exactTimes);
    } else {
      await timed(exact, exactTimes);
      ids = await timed(index, indexTimes);
    }
    found += ids.filter((id) => expected.has(id)).length;
  }
  return { recall: found / (queries * K), indexMs: medianOf(indexTimes), exactMs: medianOf(exactTimes) };
}

/**
 * The median milliseconds of `search` over the first `queries` queries, each timed alone (after one untimed warm-up).
 *
 * @example
 * const exactMs = await medianSearchMs(data, nearestIds(repo, { useIndex: false }), 30);
 */
export async function medianSearchMs(data: RecallData, search: Search, queries = data.queries.length): Promise<number> {
  await search(data.queries[0]!);
  const times: number[] = [];
  for (let i = 0; i < queries; i++) {
    const start = process.hrtime.bigint();
    await search(data.queries[i]!);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return medianOf(times);
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * The rows' vectors as one `number[]` each (for small tables: 20,000 x 128 is about 21 MB so).
 *
 * @example
 * const rows = rowsOf(data); // rows[0] = the vector of id 1
 */
export function rowsOf(data: RecallData): number[][] {
  return Array.from({ length: data.count }, (_, i) => Array.from(data.vectors.subarray(i * data.dimensions, (i + 1) * data.dimensions)));
}

/** The rows with ids from+1..to as entities to insert, their vectors copied out of the packed array. */
function entitiesOf(data: RecallData, from: number, to: number): RecallItem[] {
  const out: RecallItem[] = [];
  for (let i = from; i < to; i++) {
    out.push({ id: i + 1, category: categoryOfId(i + 1), embedding: Array.from(data.vectors.subarray(i * data.dimensions, (i + 1) * data.dimensions)) });
  }
  return out;
}

/**
 * Inserts the rows with ids from+1..to (default: all), 500 a statement through `repository.insert`.
 *
 * @example
 * await loadRows(dataSource, data);
 */
export async function loadRows(dataSource: VectorDataSource, data: RecallData, from = 0, to = data.count): Promise<void> {
  const repo = dataSource.getRepository<RecallItem>(data.entity);
  for (let start = from; start < to; start += 500) await repo.insert(entitiesOf(data, start, Math.min(start + 500, to)));
}

/**
 * Loads the rows with ids from+1..to (default: all) through `insertVectors` (binary COPY on
 * PostgreSQL), 20,000 rows a call, so only that many are ever held as `number[]`.
 *
 * @example
 * await bulkLoadRows(dataSource, data, 0, 100_000);
 */
export async function bulkLoadRows(dataSource: VectorDataSource, data: RecallData, from = 0, to = data.count): Promise<void> {
  const repo = dataSource.getRepository<RecallItem>(data.entity);
  for (let start = from; start < to; start += 20_000) await insertVectors(repo, entitiesOf(data, start, Math.min(start + 20_000, to)), { batchSize: 2000 });
}

/** One search of the bench: the ids findNearest returns for a query. */
export type Search = (query: number[]) => Promise<number[]>;

/**
 * A `Search` through `findNearest` (l2, top 10) with extra options (`useIndex`, `where`, `search`).
 *
 * @example
 * const exact = nearestIds(repo, { useIndex: false });
 */
export function nearestIds(repo: Repository<RecallItem>, extra: Partial<FindNearestOptions<RecallItem>> = {}): Search {
  return async (vector) => (await findNearest(repo, { column: 'embedding', vector, metric: 'l2', limit: K, ...extra })).map((n) => n.entity.id);
}

/**
 * Mean recall@10 of `search` over the queries: the share of the true 10 nearest it returns
 * (`truth`: `data.truth`, or `data.rareTruth` for a search filtered to the rare rows).
 *
 * @example
 * await recallAt10(data, nearestIds(repo)); // 0.97
 */
export async function recallAt10(data: RecallData, search: Search, truth: number[][] = data.truth): Promise<number> {
  let found = 0;
  for (const [i, query] of data.queries.entries()) {
    const expected = new Set(truth[i]);
    found += (await search(query)).filter((id) => expected.has(id)).length;
  }
  return found / (data.queries.length * K);
}

/** What the filtered-search figures report for one backend. */
export interface FilteredRow {
  backend: string;
  /** Fewest rows findNearest returned over the queries (the target: always 10). */
  fewestRows: number;
  recall: number;
  /** How findNearest searched, with how many queries each way. */
  strategies: string;
  /** Median time of the filtered findNearest over the unfiltered one, both with library defaults. */
  ratio: number;
  /**
   * The same with conditions no search used before (each query adds `id != -n`, which every row
   * passes), so no search answers from the exact-fallback memory of an earlier one.
   */
  firstSeenRatio: number;
  /** Mean rows of the hand-written indexed query with the filter in its WHERE (the classic under-fill). */
  plainRows: number | undefined;
}

/**
 * Filtered search (1% of rows, category 'rare') through findNearest with the library's defaults,
 * against exact filtered search in JS and against the unfiltered search on the same index.
 *
 * @example
 * const row = await filteredSearch('PostgreSQL', data, repo, plain);
 */
export async function filteredSearch(backend: string, data: RecallData, repo: Repository<RecallItem>, plain?: Search): Promise<FilteredRow> {
  const options = (vector: number[]) => ({ column: 'embedding', vector, metric: 'l2' as const, limit: K, where: { category: 'rare' } });
  let fewestRows = Number.POSITIVE_INFINITY;
  const strategies = new Map<NearestStrategyName, number>();
  const filtered: Search = async (vector) => {
    const outcome = await searchNearest(repo, options(vector));
    fewestRows = Math.min(fewestRows, outcome.rows.length);
    strategies.set(outcome.strategy, (strategies.get(outcome.strategy) ?? 0) + 1);
    return outcome.rows.map((n) => n.entity.id);
  };
  const recall = await recallAt10(data, filtered, data.rareTruth);
  const summary = [...strategies].map(([name, n]) => `${name} ${n}`).join(', ');
  const { ratio } = await compare('filtered', 'unfiltered', allQueries(data, filtered), allQueries(data, nearestIds(repo)), 5);
  let unseen = 0;
  const firstSeen: Search = async (vector) =>
    (await searchNearest(repo, { ...options(vector), where: { category: 'rare', id: Not(-++unseen) } })).rows.map((n) => n.entity.id);
  const { ratio: firstSeenRatio } = await compare('filtered, unseen conditions', 'unfiltered', allQueries(data, firstSeen), allQueries(data, nearestIds(repo)), 5);
  let plainRows: number | undefined;
  if (plain) {
    let total = 0;
    for (const query of data.queries) total += (await plain(query)).length;
    plainRows = total / data.queries.length;
  }
  return { backend, fewestRows, recall, strategies: summary, ratio, firstSeenRatio, plainRows };
}

/**
 * Runs every query through `search` (one timed unit of `compare`).
 *
 * @example
 * await compare('index', 'exact', allQueries(data, indexed), allQueries(data, exact));
 */
export function allQueries(data: RecallData, search: Search): () => Promise<void> {
  return async () => {
    for (const query of data.queries) await search(query);
  };
}

/**
 * The SELECT (with its parameters) that `search` sends for the first query, to EXPLAIN it or read
 * its SQL.
 *
 * @example
 * const { query, parameters } = await searchSql(dataSource, data, indexed);
 */
export async function searchSql(dataSource: VectorDataSource, data: RecallData, search: Search): Promise<{ query: string; parameters: unknown[] }> {
  const seen: Array<{ query: string; parameters: unknown[] }> = [];
  const recorder = { beforeQuery: (event: { query: string; parameters?: unknown[] }) => void seen.push({ query: event.query, parameters: event.parameters ?? [] }) };
  const subscribers = dataSource.subscribers as unknown as object[];
  subscribers.push(recorder);
  try {
    await search(data.queries[0]!);
  } finally {
    subscribers.splice(subscribers.indexOf(recorder), 1);
  }
  const select = seen.filter((s) => s.query.includes('ORDER BY')).pop();
  if (!select) throw new Error('The search sent no ORDER BY query.');
  return select;
}
