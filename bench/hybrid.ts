/**
 * Latency of `findHybrid` (vector + full text fused by RRF in one statement) over the vector-only
 * `findNearest` on the same table and query vectors, on every backend: the price of hybrid search.
 * Part of `npm run bench` (or alone: `ts-node --transpile-only bench/hybrid.ts`). 5,000 documents
 * of seeded words with clustered 64-dimension embeddings, a vector index and a full-text index
 * with the library's defaults; 30 queries, top 10. Server backends run in databases of their own
 * (`tv_hybrid_<hex>`), dropped at the end.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Column, Entity, PrimaryColumn, type DataSourceOptions } from 'typeorm';
import { createLibsqlDataSource, findHybrid, findNearest, FullTextIndex, VectorColumn, VectorDataSource, VectorIndex } from '../src';
import { withNewMysqlDatabase, withNewPgDatabase } from '../test/support/db-clients';
import { startServers, type ServerUrls } from '../test/support/servers';
import { clusteredVectors, seededRandom } from '../test/support/vectors';
import { compare } from './measure';

const ROWS = 5000;
const DIMENSIONS = 64;
const QUERIES = 30;
const WORDS = ['vector', 'index', 'search', 'graph', 'cluster', 'query', 'table', 'column', 'rank', 'fusion', 'text', 'token', 'score', 'filter', 'limit', 'recall',
  'memory', 'disk', 'page', 'cache', 'plan', 'scan', 'join', 'order', 'batch', 'stream', 'replica', 'tenant', 'shard', 'model'];

@Entity('hybrid_bench')
@FullTextIndex(['title', 'body'])
class HybridDoc {
  @PrimaryColumn() id!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) body!: string;
  @VectorColumn(DIMENSIONS) @VectorIndex({ metric: 'cosine' }) embedding!: number[];
}

interface Corpus {
  rows: HybridDoc[];
  queries: Array<{ vector: number[]; text: string }>;
}

function corpus(): Corpus {
  const random = seededRandom(17);
  const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]!).join(' ');
  const vectors = clusteredVectors(ROWS + QUERIES, DIMENSIONS, 17, 40, 0.4);
  const rows = vectors.slice(0, ROWS).map((embedding, i) => Object.assign(new HybridDoc(), { id: i + 1, title: words(4), body: words(20), embedding }));
  const queries = vectors.slice(ROWS).map((vector) => ({ vector, text: words(2) }));
  return { rows, queries };
}

/** The median time of findHybrid over findNearest, both top 10 over all queries, on one DataSource. */
async function measure(backend: string, dataSource: VectorDataSource, data: Corpus): Promise<string> {
  const repo = dataSource.getRepository(HybridDoc);
  for (let start = 0; start < data.rows.length; start += 500) await repo.insert(data.rows.slice(start, start + 500));
  const hybrid = async () => {
    for (const q of data.queries) {
      await findHybrid(repo, { vector: { column: 'embedding', value: q.vector, metric: 'cosine' }, text: { columns: ['title', 'body'], query: q.text }, limit: 10 });
    }
  };
  const vectorOnly = async () => {
    for (const q of data.queries) await findNearest(repo, { column: 'embedding', vector: q.vector, metric: 'cosine', limit: 10 });
  };
  const { ratio } = await compare('hybrid', 'vector only', hybrid, vectorOnly, 5);
  return `| ${backend} | ${ROWS.toLocaleString('en')} x ${DIMENSIONS}, ${QUERIES} queries | ${ratio.toFixed(2)} |`;
}

/**
 * Runs the hybrid benchmark on every backend and returns its markdown table.
 *
 * @example
 * console.log(await hybridBenchmark(servers.urls));
 */
export async function hybridBenchmark(urls: ServerUrls): Promise<string> {
  const data = corpus();
  const lines = ['| backend | data | time ratio findHybrid / findNearest (top 10) |', '|---|---|---|'];
  const open = (options: DataSourceOptions) => new VectorDataSource({ ...options, entities: [HybridDoc], synchronize: true } as DataSourceOptions).initialize();
  const sqlite = await open({ type: 'better-sqlite3', database: ':memory:' });
  try {
    lines.push(await measure('SQLite + sqlite-vec (vec0, FTS5)', sqlite, data));
  } finally {
    await sqlite.destroy();
  }
  await withNewPgDatabase(urls.TEST_POSTGRES_URL, 'tv_hybrid', async (url) => {
    const pg = await open({ type: 'postgres', url });
    try {
      lines.push(await measure('PostgreSQL + pgvector (HNSW, GIN tsvector)', pg, data));
    } finally {
      await pg.destroy();
    }
  });
  await withNewMysqlDatabase(urls.TEST_MARIADB_URL, 'tv_hybrid', async (url) => {
    const mariadb = await open({ type: 'mariadb', url });
    try {
      lines.push(await measure('MariaDB (VECTOR INDEX, FULLTEXT)', mariadb, data));
    } finally {
      await mariadb.destroy();
    }
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-hybrid-'));
  const libsql = await createLibsqlDataSource({ url: `file:${path.join(dir, 'hybrid.db')}`, entities: [HybridDoc], synchronize: true }).initialize();
  try {
    lines.push(await measure('libSQL (DiskANN, FTS5)', libsql, data));
  } finally {
    await libsql.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return lines.join('\n');
}

if (require.main === module) {
  (async () => {
    const servers = await startServers(['postgres', 'mariadb']);
    try {
      console.log(await hybridBenchmark(servers.urls));
    } finally {
      await servers.stop();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
