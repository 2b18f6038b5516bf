/**
 * Recall@10 of each backend's approximate (ANN) vector index against exact search computed in JS,
 * with the server's defaults and typeorm-vector's, on seeded clustered data: per index, the query
 * time of the index path over an exact scan of the same database (each query timed alone, the two
 * paths alternating), the build time, and bytes on disk per row. sqlite-vec's vec0 is exact: its
 * row says what vec0 costs against a plain BLOB scan. Also the scale curve (PostgreSQL: exact scan
 * and HNSW latency as the table grows to its full size, bench/scale-curve.png) and, at the default
 * size, filtered search. Part of `npm run bench` (`--rows 100000` for the 100,000 x 128 table; or
 * alone: `ts-node --transpile-only bench/recall.ts [rows] [--backends MariaDB,sqlite-vec]`). Index builds are not deterministic
 * (parallel pgvector builds, random HNSW levels): recall moves by a few points from run to run.
 * Each server backend runs in a database of its own (`tv_recall_<hex>`), dropped at the end.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Column, Entity, PrimaryColumn, type DataSourceOptions, type Repository } from 'typeorm';
import { createLibsqlDataSource, createVectorIndex, dropVectorIndex, encodeFloat32Blob, VectorColumn, VectorDataSource, VectorIndex, type VectorIndexRequest } from '../src';
import { withNewMysqlDatabase, withNewPgDatabase } from '../test/support/db-clients';
import { startServers, type ServerUrls } from '../test/support/servers';
import type { CurvePoint } from './chart';
import { bulkLoadRows, filteredSearch, K, medianSearchMs, nearestIds, pairedRun, recallData, searchSql, TABLE, type FilteredRow, type RecallData, type RecallItem, type RecallRow, type Search } from './recall-support';
import type { Figure } from './results-file';

const INDEX = 'recall_item_embedding_hnsw_l2';

/** The sizes of one recall run. */
export interface RecallSize {
  /** Rows of the PostgreSQL, MariaDB and sqlite-vec tables (libSQL's DiskANN gets `libsqlRows`). */
  rows: number;
  libsqlRows: number;
  dimensions: number;
  libsqlDimensions: number;
  queries: number;
  /** Whether to measure filtered search too (default size only: at 100,000 rows MariaDB's exact fallback alone takes minutes). */
  filtered: boolean;
  /**
   * PostgreSQL builds HNSW only on tables of at most this many rows (default: every size): above it
   * the scale curve has an exact-scan point only and the recall table no HNSW rows, and the table
   * says so. `--pg-hnsw-max-rows`: a 500,000-row build took 27 minutes on the 2-core bench machine.
   */
  pgHnswMaxRows?: number;
  /**
   * On the scale curve only, PostgreSQL builds HNSW at steps of at most this many rows, while the
   * full size still gets its HNSW rows (unless `pgHnswMaxRows` is below it): one large build
   * instead of one per step. `--pg-hnsw-curve-max-rows`.
   */
  pgHnswCurveMaxRows?: number;
}

/** The default `npm run bench` size: 20,000 x 128 (libSQL 10,000 x 64: its DiskANN build is the slow one), 100 queries. */
export const DEFAULT_RECALL_SIZE: RecallSize = { rows: 20_000, libsqlRows: 10_000, dimensions: 128, libsqlDimensions: 64, queries: 100, filtered: true };

/** What a recall run measured: the markdown tables, the figures for results.json, and the scale curve. */
export interface RecallResult {
  table: string;
  figures: Figure[];
  curve: CurvePoint[];
}

/** One backend's figures. */
interface Measured {
  recall: RecallRow[];
  filtered: FilteredRow[];
  curve: CurvePoint[];
  /** Sentences for below the table: what was not measured, and why. */
  notes?: string[];
}

/** The recall backends, by the names `--backends` takes. */
export const RECALL_BACKENDS = ['PostgreSQL', 'MariaDB', 'libSQL', 'sqlite-vec'] as const;

/** Above this many rows a run without `--backends` leaves out the backends whose index builds do not fit a session. */
export const LARGE_RECALL_ROWS = 100_000;

/** Why each backend left out above LARGE_RECALL_ROWS is left out: measured build times on the 2-core bench machine. */
const TOO_SLOW_WHEN_LARGE: Record<string, string> = {
  MariaDB: 'its VECTOR INDEX builds took 50 s (M=6) and 184 s (M=16) at 100,000 rows on a quiet machine (381 s and 553 s under load), growing faster than the rows',
  libSQL: 'its DiskANN builds take about 25 to 50 s per 20,000 rows, growing faster than the rows (named, it runs at --libsql-rows, default 20,000)',
};

/**
 * The backends a run measures: those named (`--backends`), or, without names, all of them up to
 * 100,000 rows and PostgreSQL and sqlite-vec above, with a sentence naming each one left out and why.
 *
 * @example
 * recallBackends(1_000_000); // { run: ['PostgreSQL', 'sqlite-vec'], notRun: ['MariaDB: its VECTOR INDEX builds took ...', 'libSQL: ...'] }
 * recallBackends(1_000_000, ['MariaDB']); // { run: ['MariaDB'], notRun: ['PostgreSQL: not in --backends', ...] }
 */
export function recallBackends(rows: number, only?: readonly string[]): { run: string[]; notRun: string[] } {
  const unknown = only?.find((name) => !(RECALL_BACKENDS as readonly string[]).includes(name));
  if (unknown !== undefined) throw new Error(`Unknown recall backend '${unknown}'; name some of ${RECALL_BACKENDS.join(',')}.`);
  const large = rows > LARGE_RECALL_ROWS;
  const chosen = (name: string) => (only ? only.includes(name) : !(large && name in TOO_SLOW_WHEN_LARGE));
  return {
    run: RECALL_BACKENDS.filter(chosen),
    notRun: RECALL_BACKENDS.filter((name) => !chosen(name)).map((name) =>
      only ? `${name}: not in --backends` : `${name}: ${TOO_SLOW_WHEN_LARGE[name]}, so above ${LARGE_RECALL_ROWS.toLocaleString('en')} rows it does not fit a session (name it in --backends to run it anyway)`,
    ),
  };
}

/**
 * Runs the recall benchmark on the backends `recallBackends` picks and returns its markdown tables and figures.
 *
 * @example
 * const { table } = await recallBenchmark(servers.urls, { ...DEFAULT_RECALL_SIZE, rows: 100_000, libsqlRows: 100_000, libsqlDimensions: 128, filtered: false });
 * const some = await recallBenchmark(servers.urls, DEFAULT_RECALL_SIZE, ['MariaDB', 'sqlite-vec']); // those backends only
 */
export async function recallBenchmark(urls: ServerUrls, size: RecallSize = DEFAULT_RECALL_SIZE, only?: readonly string[]): Promise<RecallResult> {
  const all: Array<[string, () => Promise<Measured>]> = [
    ['PostgreSQL', () => postgresRecall(urls.TEST_POSTGRES_URL, size)],
    ['MariaDB', () => mariadbRecall(urls.TEST_MARIADB_URL, size)],
    ['libSQL', () => libsqlRecall(size)],
    ['sqlite-vec', () => sqliteVecRecall(size)],
  ];
  const chosen = recallBackends(size.rows, only);
  const runs = all.filter(([name]) => chosen.run.includes(name));
  for (const reason of chosen.notRun) console.error(`recall: not run: ${reason}`);
  const rows: RecallRow[] = [];
  const filtered: FilteredRow[] = [];
  const curve: CurvePoint[] = [];
  const failures: string[] = [];
  const notes: string[] = [];
  for (const [name, run] of runs) {
    const start = Date.now();
    let measured: Measured;
    try {
      measured = await run();
    } catch (error) {
      // One backend failing (a server gone, a plan not as checked) must not lose the others' figures: reported, and the run fails at the end.
      failures.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      console.error(`recall: ${name} failed after ${((Date.now() - start) / 1000).toFixed(0)} s:`, error);
      continue;
    }
    rows.push(...measured.recall);
    filtered.push(...measured.filtered);
    curve.push(...measured.curve);
    notes.push(...(measured.notes ?? []));
    console.error(`recall: ${name} done in ${((Date.now() - start) / 1000).toFixed(0)} s`);
    for (const r of measured.recall) console.error(`recall: ${JSON.stringify(r)}`);
  }
  if (failures.length) process.exitCode = 1;
  const lines = [
    `| backend | data | index, search | recall@10 (${size.queries} queries) | time index / exact | build (s) | table bytes/row | index bytes/row |`,
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.backend} | ${r.data} | ${r.options} | ${r.recall.toFixed(3)} | ${r.ratio.toFixed(2)} | ${r.buildSeconds.toFixed(1)} | ${Math.round(r.tableBytesPerRow)} | ${Math.round(r.indexBytesPerRow)} |`);
  }
  if (filtered.length) {
    lines.push(
      '',
      `Filtered search: findNearest with library defaults, \`where: { category: 'rare' }\` (1% of rows), top ${K}, the same data and index as each backend's last row above; recall@10 against exact filtered search in JS.`,
      '',
      `| backend, filter column | fewest rows returned (of 10) | recall@10 | strategies (of ${size.queries} queries) | time ratio filtered/unfiltered | the same, conditions not seen before | hand-written indexed query with the filter in WHERE: mean rows |`,
      '|---|---|---|---|---|---|---|',
    );
    for (const r of filtered) {
      lines.push(`| ${r.backend} | ${r.fewestRows} | ${r.recall.toFixed(3)} | ${r.strategies} | ${r.ratio.toFixed(2)} | ${r.firstSeenRatio.toFixed(2)} | ${r.plainRows === undefined ? 'n/a' : r.plainRows.toFixed(1)} |`);
    }
  }
  const figures: Figure[] = rows.flatMap((r) => {
    const line = `recall ${r.backend}, ${r.data}, ${r.options}`;
    return [
      { line: `${line}: recall@10`, value: r.recall, better: 'higher' as const },
      { line: `${line}: time index / exact`, value: r.ratio, better: 'lower' as const },
      { line: `${line}: build seconds`, value: r.buildSeconds, better: 'info' as const },
      { line: `${line}: index bytes per row`, value: r.indexBytesPerRow, better: 'info' as const },
    ];
  });
  for (const r of filtered) figures.push({ line: `filtered ${r.backend}, ${size.rows.toLocaleString('en')} rows: recall@10`, value: r.recall, better: 'higher' });
  for (const note of notes) lines.push('', note);
  if (chosen.notRun.length) lines.push('', `Not run at ${size.rows.toLocaleString('en')} rows: ${chosen.notRun.join('; ')}.`);
  for (const failure of failures) lines.push('', `FAILED ${failure}`);
  return { table: lines.join('\n'), figures, curve };
}

/** Times `build`, in seconds. */
async function timed(build: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await build();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A recall row from a paired run of `index` against `exact`, with the build time and sizes. */
async function row(backend: string, data: RecallData, options: string, index: Search, exact: Search, build: { seconds: number; tableBytes: number; indexBytes: number }): Promise<RecallRow> {
  const run = await pairedRun(data, index, exact);
  return {
    backend,
    data: data.label,
    options,
    recall: run.recall,
    ratio: run.indexMs / run.exactMs,
    buildSeconds: build.seconds,
    tableBytesPerRow: build.tableBytes / data.count,
    indexBytesPerRow: build.indexBytes / data.count,
    indexMs: run.indexMs,
    exactMs: run.exactMs,
  };
}

/**
 * The scale curve's table sizes: a tenth, a fifth, half and all of `rows`; above 100,000 rows a
 * hundredth, a tenth, half and all (1,000,000: 10,000, 100,000, 500,000, 1,000,000), so the curve
 * spans two decades while the HNSW builds at the smaller sizes stay short.
 */
export function curveSteps(rows: number): number[] {
  return (rows > 100_000 ? [rows / 100, rows / 10, rows / 2, rows] : [rows / 10, rows / 5, rows / 2, rows]).map(Math.round);
}

/**
 * maintenance_work_mem of the bench's PostgreSQL session (the server default is 64MB): pgvector
 * builds an HNSW graph in memory while it fits there (the index on disk is 831 bytes a row at 128
 * dimensions and m=16, so about 1 GB at 1,000,000 rows), and more slowly on disk once it does not.
 * It changes the build time only, not the index: 148.5 s at 100,000 rows with 64MB, 66 to 76 s with 3GB.
 */
export const PG_MAINTENANCE_WORK_MEM = '3GB';

/**
 * pgvector: the scale curve while loading (HNSW built at each size, timed against an exact scan),
 * then at full size HNSW (library default m=16, ef_construction=64 = pgvector's; searched at
 * findNearest's defaults and at efSearch 100) and IVFFlat (lists=100, library default = pgvector's;
 * a plain ORDER BY at the server's ivfflat.probes=1, then findNearest's probes = sqrt(lists) = 10).
 */
async function postgresRecall(adminUrl: string, size: RecallSize): Promise<Measured> {
  const data = recallData(size.rows, size.dimensions, size.queries);
  return withNewPgDatabase(adminUrl, 'tv_recall', async (url) => {
    // One connection each: the hand-written queries below run at the server's session defaults.
    // maintenance_work_mem as a startup option: the pool may replace an idle connection, which would lose a SET.
    const indexed = await open({ type: 'postgres', url, entities: [data.entity], synchronize: true, extra: { max: 1, options: `-c maintenance_work_mem=${PG_MAINTENANCE_WORK_MEM}` } });
    const exact = new VectorDataSource({ type: 'postgres', url, entities: [data.entity], extra: { max: 1, options: '-c enable_indexscan=off' } });
    try {
      await exact.initialize();
      const repo = indexed.getRepository<RecallItem>(data.entity);
      const exactSearch = nearestIds(exact.getRepository<RecallItem>(data.entity));
      const indexSearch = nearestIds(repo);
      const sizes = async (index: string) => {
        const [r] = await indexed.query(`SELECT pg_table_size('${TABLE}') AS heap, pg_relation_size('${index}') AS idx`);
        return { tableBytes: Number(r.heap), indexBytes: Number(r.idx) };
      };
      const hnsw = (): Promise<void> => withQueryRunner(indexed, (qr) => createVectorIndex(qr, { table: TABLE, column: 'embedding', metric: 'l2', name: INDEX }));
      const curve: CurvePoint[] = [];
      let loaded = 0;
      let build = { seconds: 0, tableBytes: 0, indexBytes: 0 };
      const hnswMaxRows = size.pgHnswMaxRows ?? Number.POSITIVE_INFINITY;
      const notes: string[] = [];
      for (const step of curveSteps(data.count)) {
        await bulkLoadRows(indexed, data, loaded, step);
        loaded = step;
        await indexed.query(`VACUUM ANALYZE ${TABLE}`);
        await expectPlan(exact, data, exactSearch, false);
        const curveOnly = step < data.count && step > (size.pgHnswCurveMaxRows ?? Number.POSITIVE_INFINITY);
        if (step > hnswMaxRows || curveOnly) {
          const exactMs = await medianSearchMs(data, exactSearch, Math.min(30, data.queries.length));
          curve.push({ series: 'PostgreSQL exact scan', rows: step, ms: exactMs });
          console.error(`recall: PostgreSQL ${step} rows: median ms exact ${exactMs.toFixed(2)}; HNSW not built (above ${curveOnly ? `--pg-hnsw-curve-max-rows ${size.pgHnswCurveMaxRows}` : `--pg-hnsw-max-rows ${hnswMaxRows}`})`);
          continue;
        }
        const seconds = await timed(hnsw);
        await indexed.query(`ANALYZE ${TABLE}`);
        build = { seconds, ...(await sizes(INDEX)) };
        const run = await pairedRun(data, indexSearch, exactSearch, Math.min(30, data.queries.length));
        curve.push({ series: 'PostgreSQL exact scan', rows: step, ms: run.exactMs });
        // On a small table the planner may prefer a sequential scan: then there is no index point at that size.
        if (await planUsesIndex(indexed, data, indexSearch)) curve.push({ series: 'PostgreSQL HNSW (library defaults)', rows: step, ms: run.indexMs });
        else if (step === data.count) await expectPlan(indexed, data, indexSearch, true);
        else console.error(`recall: PostgreSQL ${step} rows: the planner scans instead of reading the HNSW index; no index point`);
        console.error(`recall: PostgreSQL ${step} rows: HNSW built in ${seconds.toFixed(1)} s; median ms exact ${run.exactMs.toFixed(2)}, HNSW ${run.indexMs.toFixed(2)}`);
        if (step < data.count) await indexed.query(`DROP INDEX ${INDEX}`);
      }
      const backend = 'PostgreSQL + pgvector';
      const out: RecallRow[] = [];
      const hnswAtFullSize = data.count <= hnswMaxRows;
      if (hnswAtFullSize) {
        out.push(await row(backend, data, 'hnsw m=16, ef_construction=64 (library default = pgvector default); findNearest defaults (efSearch max(40, 2 x limit) = 40)', indexSearch, exactSearch, build));
        out.push(await row(backend, data, 'the same index; search: { efSearch: 100 }', nearestIds(repo, { search: { efSearch: 100 } }), exactSearch, build));
        await indexed.query(`DROP INDEX ${INDEX}`);
      } else {
        notes.push(`PostgreSQL HNSW not built above ${hnswMaxRows.toLocaleString('en')} rows (--pg-hnsw-max-rows): no HNSW rows at ${data.count.toLocaleString('en')}, and exact-scan points only above that size on the scale curve.`);
      }
      const hnswRepo = repo;
      const ivfflat = 'recall_item_embedding_ivfflat_l2';
      const ivfSeconds = await timed(() => withQueryRunner(indexed, (qr) => createVectorIndex(qr, { table: TABLE, column: 'embedding', metric: 'l2', kind: 'ivfflat', name: ivfflat })));
      await indexed.query(`ANALYZE ${TABLE}`);
      const ivfBuild = { seconds: ivfSeconds, ...(await sizes(ivfflat)) };
      const plainOrderBy: Search = async (vector) => (await repo.createQueryBuilder('item').orderByL2('item.embedding', vector).limit(K).getMany()).map((item) => item.id);
      out.push(await row(backend, data, 'ivfflat lists=100 (library default = pgvector default); plain ORDER BY ... LIMIT 10 at the server default ivfflat.probes=1', plainOrderBy, exactSearch, ivfBuild));
      out.push(await row(backend, data, 'the same index; findNearest defaults (probes = sqrt(lists) = 10)', nearestIds(repo), exactSearch, ivfBuild));
      let filtered: FilteredRow[] = [];
      if (size.filtered) {
        await indexed.query(`DROP INDEX ${ivfflat}`);
        await hnsw();
        await indexed.query(`ANALYZE ${TABLE}`);
        const plain: Search = async (vector) =>
          (await hnswRepo.createQueryBuilder('item').orderByL2('item.embedding', vector).where('item.category = :c', { c: 'rare' }).limit(K).getMany()).map((item) => item.id);
        filtered = await filteredTwice(backend, indexed, data, hnswRepo, plain, `ANALYZE ${TABLE}`);
      }
      return { recall: out, filtered, curve, notes };
    } finally {
      if (exact.isInitialized) await exact.destroy();
      await indexed.destroy();
    }
  });
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

/**
 * MariaDB's cache for a VECTOR INDEX graph while the bench builds and searches it (the server
 * default is 16 MB): at 128 dimensions and M=16 the index takes about 713 bytes a row. With the
 * default cache, an M=16 build of 100,000 random vectors took 491 s; with 1 GB, 36 s. Set globally
 * (MariaDB has no session value for it) for the bench's run and given back afterwards.
 */
const MARIADB_MHNSW_CACHE_BYTES = 2 * 1024 ** 3;

/** MariaDB VECTOR INDEX: the server default M=6, then the library default M=16 (one vector index a table). */
async function mariadbRecall(adminUrl: string, size: RecallSize): Promise<Measured> {
  const data = recallData(size.rows, size.dimensions, size.queries);
  return withNewMysqlDatabase(adminUrl, 'tv_recall', async (url) => {
    const dataSource = await open({ type: 'mariadb', url, entities: [data.entity], synchronize: true });
    const [{ cache }] = await dataSource.query('SELECT @@GLOBAL.mhnsw_max_cache_size AS cache');
    await dataSource.query(`SET GLOBAL mhnsw_max_cache_size = ${MARIADB_MHNSW_CACHE_BYTES}`);
    try {
      await bulkLoadRows(dataSource, data);
      const repo = dataSource.getRepository<RecallItem>(data.entity);
      const indexSearch = nearestIds(repo);
      // useIndex: false hides the distance from the VECTOR INDEX: the same query as an exact scan.
      const exactSearch = nearestIds(repo, { useIndex: false });
      const sizes = async () => {
        await dataSource.query(`ANALYZE TABLE ${TABLE}`);
        const [t] = await dataSource.query(`SELECT DATA_LENGTH + INDEX_LENGTH AS bytes FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?`, [TABLE]);
        // The VECTOR INDEX lives in a hidden InnoDB table of its own, <table>#i#<n>.
        const [i] = await dataSource.query(`SELECT COALESCE(SUM(FILE_SIZE), 0) AS bytes FROM information_schema.INNODB_SYS_TABLESPACES WHERE NAME LIKE CONCAT(DATABASE(), '/${TABLE}#i#%')`);
        return { tableBytes: Number(t.bytes), indexBytes: Number(i.bytes) };
      };
      const measure = async (options: string, build: () => Promise<unknown>): Promise<RecallRow> => {
        const seconds = await timed(build);
        await expectMariadbKey(dataSource, data, indexSearch, true);
        await expectMariadbKey(dataSource, data, exactSearch, false);
        return row('MariaDB', data, options, indexSearch, exactSearch, { seconds, ...(await sizes()) });
      };
      const serverDefault = await measure('VECTOR INDEX with no M (server default M=6); findNearest defaults (k = max(40, 2 x limit) candidates)', () =>
        dataSource.query(`CREATE VECTOR INDEX ${INDEX} ON ${TABLE} (embedding) DISTANCE=euclidean`),
      );
      await dataSource.query(`DROP INDEX ${INDEX} ON ${TABLE}`);
      const recall = [serverDefault, await measure('createVectorIndex defaults: M=16; findNearest defaults', () => withQueryRunner(dataSource, (qr) => createVectorIndex(qr, { table: TABLE, column: 'embedding', metric: 'l2', name: INDEX })))];
      let filtered: FilteredRow[] = [];
      if (size.filtered) {
        // MariaDB walks its VECTOR INDEX until LIMIT rows pass the WHERE: it fills, slowly; timed in test/filtered-search.test.ts.
        const plain: Search = async (vector) =>
          (await repo.createQueryBuilder('item').orderByL2('item.embedding', vector).where('item.category = :c', { c: 'rare' }).limit(K).getMany()).map((item) => item.id);
        filtered = await filteredTwice('MariaDB', dataSource, data, repo, plain, `ANALYZE TABLE ${TABLE}`);
      }
      return { recall, filtered, curve: [] };
    } finally {
      await dataSource.query(`SET GLOBAL mhnsw_max_cache_size = ${Number(cache)}`);
      await dataSource.destroy();
    }
  });
}

/** Bytes of an SQLite database file's pages in use (page_count - freelist_count, x page_size). */
async function sqliteBytes(dataSource: VectorDataSource): Promise<number> {
  const [pages] = await dataSource.query('PRAGMA page_count');
  const [free] = await dataSource.query('PRAGMA freelist_count');
  const [pageSize] = await dataSource.query('PRAGMA page_size');
  return (Number(Object.values(pages)[0]) - Number(Object.values(free)[0])) * Number(Object.values(pageSize)[0]);
}

/** An index built on an SQLite file: build seconds, and bytes before (the table) and added (the index). */
async function sqliteBuild(dataSource: VectorDataSource, build: () => Promise<unknown>): Promise<{ seconds: number; tableBytes: number; indexBytes: number }> {
  const tableBytes = await sqliteBytes(dataSource);
  const seconds = await timed(build);
  return { seconds, tableBytes, indexBytes: (await sqliteBytes(dataSource)) - tableBytes };
}

/** libSQL DiskANN: libsql_vector_idx with only the metric, then the library defaults. */
async function libsqlRecall(size: RecallSize): Promise<Measured> {
  const data = recallData(size.libsqlRows, size.libsqlDimensions, size.queries);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-recall-'));
  const dataSource = await createLibsqlDataSource({ url: `file:${path.join(dir, 'recall.db')}`, entities: [data.entity], synchronize: true }).initialize();
  try {
    await bulkLoadRows(dataSource, data);
    const repo = dataSource.getRepository<RecallItem>(data.entity);
    const indexSearch = nearestIds(repo, { useIndex: true });
    const exactSearch = nearestIds(repo, { useIndex: false });
    const measure = async (options: string, build: () => Promise<unknown>): Promise<RecallRow> => {
      const built = await sqliteBuild(dataSource, build);
      if (!(await searchSql(dataSource, data, indexSearch)).query.includes('vector_top_k')) throw new Error('libSQL: the index path does not call vector_top_k.');
      if ((await searchSql(dataSource, data, exactSearch)).query.includes('vector_top_k')) throw new Error('libSQL: the exact path calls vector_top_k.');
      return row('libSQL (file)', data, options, indexSearch, exactSearch, built);
    };
    const serverDefault = await measure("libsql_vector_idx(embedding, 'metric=l2') (libSQL defaults)", () => dataSource.query(`CREATE INDEX ${INDEX} ON ${TABLE} (libsql_vector_idx(embedding, 'metric=l2'))`));
    await dataSource.query(`DROP INDEX ${INDEX}`);
    const recall = [serverDefault, await measure('createVectorIndex defaults: max_neighbors=64, compress_neighbors=float32', () => withQueryRunner(dataSource, (qr) => createVectorIndex(qr, { table: TABLE, column: 'embedding', metric: 'l2' })))];
    let filtered: FilteredRow[] = [];
    if (size.filtered) {
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
      filtered = await filteredTwice('libSQL (file)', dataSource, data, repo, plain, 'ANALYZE');
    }
    return { recall, filtered, curve: [] };
  } finally {
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** sqlite-vec: a vec0 table (exact, brute force over packed vectors) against a scan of the BLOB column. */
async function sqliteVecRecall(size: RecallSize): Promise<Measured> {
  const data = recallData(size.rows, size.dimensions, size.queries);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-recall-'));
  const dataSource = await open({ type: 'better-sqlite3', database: path.join(dir, 'recall.db'), entities: [data.entity], synchronize: true });
  try {
    await bulkLoadRows(dataSource, data);
    const repo = dataSource.getRepository<RecallItem>(data.entity);
    const request: VectorIndexRequest = { table: TABLE, column: 'embedding', metric: 'l2', dimensions: size.dimensions };
    const built = await sqliteBuild(dataSource, () => withQueryRunner(dataSource, (qr) => createVectorIndex(qr, request)));
    const vec0 = nearestIds(repo, { useIndex: true });
    const scan = nearestIds(repo, { useIndex: false });
    if (!(await searchSql(dataSource, data, vec0)).query.includes('MATCH')) throw new Error('sqlite-vec: the index path does not read vec0.');
    const recall = [await row('SQLite + sqlite-vec', data, 'createVectorIndex: a vec0 table (exact, no server defaults); time over a vec_distance_l2 scan of the BLOB column', vec0, scan, built)];
    let filtered: FilteredRow[] = [];
    if (size.filtered) {
      const name = `${TABLE}_embedding_vec0_l2`;
      const plain: Search = async (vector) =>
        ((await dataSource.query(`SELECT id FROM ${TABLE} WHERE rowid IN (SELECT rowid FROM ${name} WHERE embedding MATCH ? AND k = ${K}) AND category = 'rare'`, [JSON.stringify(vector)])) as Array<{ id: number }>).map((r) => r.id);
      filtered = await filteredTwice('SQLite + sqlite-vec', dataSource, data, repo, plain, 'ANALYZE');
      // The same search with category declared a vec0 filter column, @VectorIndex({ metric: 'l2', filterColumns: ['category'] }):
      // the filter runs inside the KNN query. findNearest pushes down only the filter columns an entity declares.
      await withQueryRunner(dataSource, (qr) => dropVectorIndex(qr, request));
      await withQueryRunner(dataSource, (qr) => createVectorIndex(qr, { ...request, filterColumns: [{ column: 'category', type: 'varchar' }] }));
      @Entity(TABLE)
      class FilterColumnItem implements RecallItem {
        @PrimaryColumn() id!: number;
        @Column({ type: 'varchar', length: 16 }) category!: string;
        @VectorColumn(size.dimensions) @VectorIndex({ metric: 'l2', filterColumns: ['category'] }) embedding!: number[];
      }
      const declared = await open({ type: 'better-sqlite3', database: path.join(dir, 'recall.db'), entities: [FilterColumnItem] });
      try {
        filtered.push(await filteredSearch('SQLite + sqlite-vec, category a vec0 filter column', data, declared.getRepository(FilterColumnItem), plain));
      } finally {
        await declared.destroy();
      }
    }
    return { recall, filtered, curve: [] };
  } finally {
    await dataSource.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** PostgreSQL's plan of the search's query. */
async function planOf(dataSource: VectorDataSource, data: RecallData, search: Search): Promise<string> {
  const { query, parameters } = await searchSql(dataSource, data, search);
  return (await dataSource.query(`EXPLAIN ${query}`, parameters)).map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
}

/** Whether EXPLAIN shows the HNSW index read by the search's query. */
async function planUsesIndex(dataSource: VectorDataSource, data: RecallData, search: Search): Promise<boolean> {
  return (await planOf(dataSource, data, search)).includes(`Index Scan using ${INDEX}`);
}

/** Fails the bench unless EXPLAIN shows the HNSW index used (or not used) by the search's query. */
async function expectPlan(dataSource: VectorDataSource, data: RecallData, search: Search, usesIndex: boolean): Promise<void> {
  const plan = await planOf(dataSource, data, search);
  if (plan.includes(`Index Scan using ${INDEX}`) !== usesIndex) throw new Error(`PostgreSQL plan ${usesIndex ? 'does not use' : 'uses'} ${INDEX}:\n${plan}`);
}

/** Fails the bench unless MariaDB's EXPLAIN shows the vector index as the key (or not). */
async function expectMariadbKey(dataSource: VectorDataSource, data: RecallData, search: Search, usesIndex: boolean): Promise<void> {
  const { query, parameters } = await searchSql(dataSource, data, search);
  const plan: Array<Record<string, unknown>> = await dataSource.query(`EXPLAIN ${query}`, parameters);
  if (plan.some((r) => r.key === INDEX) !== usesIndex) throw new Error(`MariaDB plan ${usesIndex ? 'does not use' : 'uses'} ${INDEX}: ${JSON.stringify(plan)}`);
}

/** A started VectorDataSource. */
export async function open(options: DataSourceOptions): Promise<VectorDataSource> {
  return new VectorDataSource(options).initialize();
}

/** Runs `work` on a query runner of its own, released afterwards. */
export async function withQueryRunner(dataSource: VectorDataSource, work: (qr: ReturnType<VectorDataSource['createQueryRunner']>) => Promise<void>): Promise<void> {
  const qr = dataSource.createQueryRunner();
  try {
    await work(qr);
  } finally {
    await qr.release();
  }
}

if (require.main === module) {
  (async () => {
    // ts-node --transpile-only bench/recall.ts [rows] [--backends PostgreSQL,MariaDB,libSQL,sqlite-vec]
    const args = process.argv.slice(2);
    const at = args.indexOf('--backends');
    const only = at >= 0 ? (args.splice(at, 2)[1] ?? '').split(',') : undefined;
    const rows = Number(args[0] ?? DEFAULT_RECALL_SIZE.rows);
    const servers = await startServers(['postgres', 'mariadb']);
    try {
      const size = rows === DEFAULT_RECALL_SIZE.rows ? DEFAULT_RECALL_SIZE : { ...DEFAULT_RECALL_SIZE, rows, libsqlRows: rows, libsqlDimensions: DEFAULT_RECALL_SIZE.dimensions, filtered: false };
      console.log((await recallBenchmark(servers.urls, size, only)).table);
    } finally {
      await servers.stop();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
