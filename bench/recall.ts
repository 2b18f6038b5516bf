/**
 * Recall@10 of each backend's approximate (ANN) vector index against exact search computed in JS,
 * with typeorm-vector's default index options and the server's own, and the query time of the
 * index path over an exact scan of the same database in the same run. Part of `npm run bench`
 * (or alone: `ts-node --transpile-only bench/recall.ts`). SQLite's vec0 is an exact scan, so it is
 * not here. The data is seeded, but index builds are not deterministic (parallel pgvector builds,
 * random HNSW levels): recall moves by a few points from run to run. Each server backend runs in a
 * database of its own (`tv_recall_<hex>`), dropped at the end; nothing else on the server is touched.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSourceOptions, Repository } from 'typeorm';
import { createLibsqlDataSource, createVectorIndex, encodeFloat32Blob, VectorDataSource } from '../src';
import { withNewMysqlDatabase, withNewPgDatabase } from '../test/support/db-clients';
import { startServers, type ServerUrls } from '../test/support/servers';
import { compare } from './measure';
import { allQueries, filteredSearch, K, loadRows, nearestIds, recallAt10, recallData, searchSql, TABLE, type FilteredRow, type RecallData, type RecallItem, type RecallRow, type Search } from './recall-support';

const INDEX = 'recall_item_embedding_hnsw_l2';

/**
 * Runs the recall benchmark on every backend with an ANN index and returns its markdown table.
 *
 * @example
 * console.log(await recallBenchmark(servers.urls));
 */
export async function recallBenchmark(urls: ServerUrls): Promise<string> {
  const runs: Array<[string, () => Promise<Measured>]> = [
    ['PostgreSQL', () => postgresRecall(urls.TEST_POSTGRES_URL)],
    ['MariaDB', () => mariadbRecall(urls.TEST_MARIADB_URL)],
    ['libSQL', libsqlRecall],
  ];
  const rows: RecallRow[] = [];
  const filtered: FilteredRow[] = [];
  for (const [name, run] of runs) {
    const start = Date.now();
    const measured = await run();
    rows.push(...measured.recall);
    filtered.push(...measured.filtered);
    console.error(`recall: ${name} done in ${((Date.now() - start) / 1000).toFixed(0)} s`);
  }
  const lines = ['| backend | data | index options | recall@10 | time ratio index/exact |', '|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.backend} | ${r.data} | ${r.options} | ${r.recall.toFixed(3)} | ${r.ratio.toFixed(2)} |`);
  lines.push(
    '',
    `Filtered search: findNearest with library defaults, \`where: { category: 'rare' }\` (1% of rows), top ${K}, the same data and index as the last row above; recall@10 against exact filtered search in JS.`,
    '',
    '| backend, filter column | fewest rows returned (of 10) | recall@10 | strategies (of 50 queries) | time ratio filtered/unfiltered | hand-written indexed query with the filter in WHERE: mean rows |',
    '|---|---|---|---|---|---|',
  );
  for (const r of filtered) {
    lines.push(`| ${r.backend} | ${r.fewestRows} | ${r.recall.toFixed(3)} | ${r.strategies} | ${r.ratio.toFixed(2)} | ${r.plainRows === undefined ? 'n/a' : r.plainRows.toFixed(1)} |`);
  }
  return lines.join('\n');
}

/** One backend's figures: unfiltered recall rows, and the filtered search on the library's defaults. */
interface Measured {
  recall: RecallRow[];
  filtered: FilteredRow[];
}

/**
 * The filtered-search figures twice: with no index on `category`, then with a B-tree on it (as a
 * column users filter on usually has), which the exact filtered search reads.
 */
async function filteredTwice(backend: string, dataSource: VectorDataSource, data: RecallData, repo: Repository<RecallItem>, plain: Search, analyze: string): Promise<FilteredRow[]> {
  const unindexed = await filteredSearch(`${backend}, category not indexed`, data, repo, plain);
  await dataSource.query(`CREATE INDEX recall_item_category ON ${TABLE} (category)`);
  await dataSource.query(analyze);
  return [unindexed, await filteredSearch(`${backend}, category B-tree`, data, repo, plain)];
}

/** pgvector HNSW (library default m=16, ef_construction=64 = pgvector's), at findNearest's default efSearch (40 at limit 10) and 100. */
async function postgresRecall(adminUrl: string): Promise<Measured> {
  const data = recallData(20_000, 128);
  return withNewPgDatabase(adminUrl, 'tv_recall', async (url) => {
    // One connection each: the hand-written filtered query below runs at the server's session defaults.
    const indexed = await open({ type: 'postgres', url, entities: [data.entity], synchronize: true, extra: { max: 1 } });
    const exact = new VectorDataSource({ type: 'postgres', url, entities: [data.entity], extra: { max: 1, options: '-c enable_indexscan=off' } });
    try {
      await exact.initialize();
      await loadRows(indexed, data);
      await withQueryRunner(indexed, (qr) => createVectorIndex(qr, { table: TABLE, column: 'embedding', metric: 'l2' }));
      await indexed.query('ANALYZE recall_item');
      const indexSearch = nearestIds(indexed.getRepository<RecallItem>(data.entity));
      const exactSearch = nearestIds(exact.getRepository<RecallItem>(data.entity));
      await expectPlan(indexed, data, indexSearch, true);
      await expectPlan(exact, data, exactSearch, false);
      const out: RecallRow[] = [];
      for (const efSearch of [undefined, 100]) {
        const search = efSearch ? nearestIds(indexed.getRepository<RecallItem>(data.entity), { search: { efSearch } }) : indexSearch;
        out.push({
          backend: 'PostgreSQL + pgvector',
          data: data.label,
          options: `hnsw m=16, ef_construction=64 (library default = pgvector default); ${efSearch ? `search: { efSearch: ${efSearch} }` : 'findNearest defaults (efSearch max(40, 2 x limit) = 40)'}`,
          recall: await recallAt10(data, search),
          ratio: (await compare('pg', 'exact', allQueries(data, search), allQueries(data, exactSearch), 5)).ratio,
        });
      }
      const repo = indexed.getRepository<RecallItem>(data.entity);
      const plain: Search = async (vector) =>
        (await repo.createQueryBuilder('item').orderByL2('item.embedding', vector).where('item.category = :c', { c: 'rare' }).limit(K).getMany()).map((item) => item.id);
      return { recall: out, filtered: await filteredTwice('PostgreSQL + pgvector', indexed, data, repo, plain, `ANALYZE ${TABLE}`) };
    } finally {
      if (exact.isInitialized) await exact.destroy();
      await indexed.destroy();
    }
  });
}

/** MariaDB VECTOR INDEX: the server default M=6, then the library default M=16 (one vector index a table). */
async function mariadbRecall(adminUrl: string): Promise<Measured> {
  const data = recallData(20_000, 128);
  return withNewMysqlDatabase(adminUrl, 'tv_recall', async (url) => {
    const dataSource = await open({ type: 'mariadb', url, entities: [data.entity], synchronize: true });
    try {
      await loadRows(dataSource, data);
      const repo = dataSource.getRepository<RecallItem>(data.entity);
      const indexSearch = nearestIds(repo);
      // useIndex: false hides the distance from the VECTOR INDEX: the same query as an exact scan.
      const exactSearch = nearestIds(repo, { useIndex: false });
      const measure = async (options: string): Promise<RecallRow> => {
        await expectMariadbKey(dataSource, data, indexSearch, true);
        await expectMariadbKey(dataSource, data, exactSearch, false);
        const recall = await recallAt10(data, indexSearch);
        const { ratio } = await compare('mariadb', 'exact', allQueries(data, indexSearch), allQueries(data, exactSearch), 5);
        return { backend: 'MariaDB', data: data.label, options, recall, ratio };
      };
      await dataSource.query(`CREATE VECTOR INDEX ${INDEX} ON ${TABLE} (embedding) DISTANCE=euclidean`);
      const serverDefault = await measure('VECTOR INDEX with no M (server default M=6); findNearest defaults (k = max(40, 2 x limit) candidates)');
      await dataSource.query(`DROP INDEX ${INDEX} ON ${TABLE}`);
      await withQueryRunner(dataSource, (qr) => createVectorIndex(qr, { table: TABLE, column: 'embedding', metric: 'l2' }));
      const recall = [serverDefault, await measure('createVectorIndex defaults: M=16; findNearest defaults')];
      // MariaDB walks its VECTOR INDEX until LIMIT rows pass the WHERE: it fills, slowly; timed in test/filtered-search.test.ts.
      const plain: Search = async (vector) =>
        (await repo.createQueryBuilder('item').orderByL2('item.embedding', vector).where('item.category = :c', { c: 'rare' }).limit(K).getMany()).map((item) => item.id);
      return { recall, filtered: await filteredTwice('MariaDB', dataSource, data, repo, plain, `ANALYZE TABLE ${TABLE}`) };
    } finally {
      await dataSource.destroy();
    }
  });
}

/** libSQL DiskANN: libsql_vector_idx with only the metric, then the library defaults. */
async function libsqlRecall(): Promise<Measured> {
  const data = recallData(10_000, 64);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-recall-'));
  const dataSource = await createLibsqlDataSource({ url: `file:${path.join(dir, 'recall.db')}`, entities: [data.entity], synchronize: true }).initialize();
  try {
    await loadRows(dataSource, data);
    const repo = dataSource.getRepository<RecallItem>(data.entity);
    const indexSearch = nearestIds(repo, { useIndex: true });
    const exactSearch = nearestIds(repo, { useIndex: false });
    const measure = async (options: string): Promise<RecallRow> => {
      if (!(await searchSql(dataSource, data, indexSearch)).query.includes('vector_top_k')) throw new Error('libSQL: the index path does not call vector_top_k.');
      if ((await searchSql(dataSource, data, exactSearch)).query.includes('vector_top_k')) throw new Error('libSQL: the exact path calls vector_top_k.');
      const recall = await recallAt10(data, indexSearch);
      const { ratio } = await compare('libsql', 'exact', allQueries(data, indexSearch), allQueries(data, exactSearch), 5);
      return { backend: 'libSQL (file)', data: data.label, options, recall, ratio };
    };
    await dataSource.query(`CREATE INDEX ${INDEX} ON ${TABLE} (libsql_vector_idx(embedding, 'metric=l2'))`);
    const serverDefault = await measure("libsql_vector_idx(embedding, 'metric=l2') (libSQL defaults)");
    await dataSource.query(`DROP INDEX ${INDEX}`);
    await withQueryRunner(dataSource, (qr) => createVectorIndex(qr, { table: TABLE, column: 'embedding', metric: 'l2' }));
    const recall = [serverDefault, await measure('createVectorIndex defaults: max_neighbors=64, compress_neighbors=float32')];
    const [{ name }] = (await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${TABLE}' AND sql LIKE '%libsql_vector_idx%'`)) as [{ name: string }];
    const plain: Search = async (vector) =>
      (
        await repo
          .createQueryBuilder('item')
          .orderByL2('item.embedding', vector)
          .where(`item.rowid IN (SELECT id FROM vector_top_k('${name}', vector32(:v), ${K}))`, { v: encodeFloat32Blob(new Float32Array(vector)) })
          .andWhere('item.category = :c', { c: 'rare' })
          .limit(K)
          .getMany()
      ).map((item) => item.id);
    return { recall, filtered: await filteredTwice('libSQL (file)', dataSource, data, repo, plain, 'ANALYZE') };
  } finally {
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails the bench unless EXPLAIN shows the HNSW index used (or not used) by the search's query. */
async function expectPlan(dataSource: VectorDataSource, data: RecallData, search: Search, usesIndex: boolean): Promise<void> {
  const { query, parameters } = await searchSql(dataSource, data, search);
  const plan = (await dataSource.query(`EXPLAIN ${query}`, parameters)).map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  if (plan.includes(`Index Scan using ${INDEX}`) !== usesIndex) throw new Error(`PostgreSQL plan ${usesIndex ? 'does not use' : 'uses'} ${INDEX}:\n${plan}`);
}

/** Fails the bench unless MariaDB's EXPLAIN shows the vector index as the key (or not). */
async function expectMariadbKey(dataSource: VectorDataSource, data: RecallData, search: Search, usesIndex: boolean): Promise<void> {
  const { query, parameters } = await searchSql(dataSource, data, search);
  const plan: Array<Record<string, unknown>> = await dataSource.query(`EXPLAIN ${query}`, parameters);
  if (plan.some((r) => r.key === INDEX) !== usesIndex) throw new Error(`MariaDB plan ${usesIndex ? 'does not use' : 'uses'} ${INDEX}: ${JSON.stringify(plan)}`);
}

async function open(options: DataSourceOptions): Promise<VectorDataSource> {
  return new VectorDataSource(options).initialize();
}

async function withQueryRunner(dataSource: VectorDataSource, work: (qr: ReturnType<VectorDataSource['createQueryRunner']>) => Promise<void>): Promise<void> {
  const qr = dataSource.createQueryRunner();
  try {
    await work(qr);
  } finally {
    await qr.release();
  }
}

if (require.main === module) {
  (async () => {
    const servers = await startServers(['postgres', 'mariadb']);
    try {
      console.log(await recallBenchmark(servers.urls));
    } finally {
      await servers.stop();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
