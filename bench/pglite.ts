/**
 * PGlite (PostgreSQL in WebAssembly, in this process) against the PostgreSQL server, on the same
 * data through the same library calls: time ratios PGlite / server for inserts, exact kNN and HNSW
 * kNN, and recall@10 of HNSW on PGlite at the library's defaults (createVectorIndex defaults
 * m=16, ef_construction=64; findNearest defaults), so users can judge when PGlite is enough.
 * Part of `npm run bench`, or alone: `npx ts-node --transpile-only bench/pglite.ts` (it starts or
 * finds the test PostgreSQL server like `npm test`, and works in a database of its own, dropped at
 * the end). PGlite runs in memory, as `pglite()` does without dataDir.
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn, type DataSourceOptions, type Repository } from 'typeorm';
import { createVectorIndex, findNearest, pglite, VectorColumn, VectorDataSource } from '../src';
import { withNewPgDatabase } from '../test/support/db-clients';
import { startServers } from '../test/support/servers';
import { randomVectors } from '../test/support/vectors';
import { compare } from './measure';
import { allQueries, K, loadRows, nearestIds, recallAt10, recallData, TABLE, type RecallData, type RecallItem } from './recall-support';
import { open, withQueryRunner } from './recall';

const DIMENSIONS = 384;
const ROWS = 2000;

@Entity('bench_pglite')
class Row {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

/**
 * Runs the PGlite comparison against the PostgreSQL server at `postgresAdminUrl` and returns its markdown.
 *
 * @example
 * console.log(await pgliteBenchmark(servers.urls.TEST_POSTGRES_URL));
 */
export async function pgliteBenchmark(postgresAdminUrl: string): Promise<string> {
  const vectors = randomVectors(ROWS, DIMENSIONS, 1);
  const query = randomVectors(1, DIMENSIONS, 2)[0]!;
  const data = recallData(20_000, 128);
  const lines = ['| what | PGlite / PostgreSQL server (time ratio) |', '|---|---|'];
  let hnswLines: string[] = [];
  await withNewPgDatabase(postgresAdminUrl, 'tv_bench_pglite', async (url) => {
    const started = Date.now();
    const lite = await open({ ...pglite(), entities: [Row, data.entity], synchronize: true } as DataSourceOptions);
    console.error(`pglite: in-memory database with pgvector open in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const server = await open({ type: 'postgres', url, entities: [Row, data.entity], synchronize: true });
    try {
      const insert = (ds: VectorDataSource) => () => ds.getRepository(Row).insert(vectors.map((embedding) => ({ embedding })));
      const ratio = async (name: string, ours: () => unknown, theirs: () => unknown, rounds = 5) => (await compare(name, 'PostgreSQL server', ours, theirs, rounds)).ratio;
      lines.push(`| insert ${ROWS} x ${DIMENSIONS} (one multi-row INSERT) | ${(await ratio('insert', insert(lite), insert(server))).toFixed(2)} |`);
      const nearest = (ds: VectorDataSource) => () => findNearest(ds.getRepository(Row), { column: 'embedding', vector: query, limit: 10 });
      const rows = await lite.getRepository(Row).count();
      lines.push(`| exact kNN, ${rows.toLocaleString('en')} x ${DIMENSIONS}, top 10 entities (no index) | ${(await ratio('exact knn', nearest(lite), nearest(server), 9)).toFixed(2)} |`);

      const load = (ds: VectorDataSource) => async () => {
        await ds.query(`TRUNCATE ${TABLE}`);
        await loadRows(ds, data);
      };
      lines.push(`| load ${data.count.toLocaleString('en')} x 128 (500 rows an INSERT) | ${(await timedOnce(load(lite), load(server))).toFixed(2)} |`);
      const build = (ds: VectorDataSource) => async () => {
        await ds.query(`DROP INDEX IF EXISTS ${TABLE}_embedding_hnsw_l2`);
        await withQueryRunner(ds, (qr) => createVectorIndex(qr, { table: TABLE, column: 'embedding', metric: 'l2' }));
      };
      lines.push(`| HNSW build on those rows, createVectorIndex defaults (m=16, ef_construction=64) | ${(await timedOnce(build(lite), build(server))).toFixed(2)} |`);
      for (const ds of [lite, server]) await ds.query(`ANALYZE ${TABLE}`);
      const liteSearch = nearestIds(lite.getRepository<RecallItem>(data.entity));
      const serverSearch = nearestIds(server.getRepository<RecallItem>(data.entity));
      lines.push(`| HNSW kNN, 50 queries, findNearest defaults | ${(await ratio('hnsw knn', allQueries(data, liteSearch), allQueries(data, serverSearch))).toFixed(2)} |`);
      hnswLines = await recallLines(data, lite.getRepository<RecallItem>(data.entity), server.getRepository<RecallItem>(data.entity));
    } finally {
      await server.destroy();
      await lite.destroy();
    }
  });
  return [...lines, '', `HNSW recall@10 against exact search in JS, ${data.label}, 50 queries, the same rows and index options on both:`, '', ...hnswLines].join('\n');
}

async function recallLines(data: RecallData, lite: Repository<RecallItem>, server: Repository<RecallItem>): Promise<string[]> {
  const out = ['| index options | PGlite recall@10 | PostgreSQL server recall@10 |', '|---|---|---|'];
  for (const efSearch of [undefined, 100]) {
    const extra = efSearch ? { search: { efSearch } } : {};
    const label = efSearch ? `hnsw defaults; search: { efSearch: ${efSearch} }` : `hnsw defaults (m=16, ef_construction=64); findNearest defaults (efSearch max(40, 2 x ${K}) = 40)`;
    out.push(`| ${label} | ${(await recallAt10(data, nearestIds(lite, extra))).toFixed(3)} | ${(await recallAt10(data, nearestIds(server, extra))).toFixed(3)} |`);
  }
  return out;
}

/** Time of `ours` over time of `theirs`, each run once (for steps too slow to repeat: loads and index builds). */
async function timedOnce(ours: () => Promise<unknown>, theirs: () => Promise<unknown>): Promise<number> {
  const time = async (fn: () => Promise<unknown>) => {
    const start = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - start);
  };
  return (await time(ours)) / (await time(theirs));
}

if (require.main === module) {
  void (async () => {
    const servers = await startServers(['postgres']);
    try {
      console.log(await pgliteBenchmark(servers.urls.TEST_POSTGRES_URL));
    } finally {
      await servers.stop();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
