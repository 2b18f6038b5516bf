/**
 * `npm run bench`: ratios against baselines measured in the same run (absolute times on shared
 * machines are noise): codecs (bench/codecs.ts), the kNN overhead over the raw driver
 * (bench/overhead.ts), inserts and loads against TypeORM's own vector type, ANN recall with build
 * time and size (bench/recall.ts), hybrid search (bench/hybrid.ts, bench/hybrid-recall.ts), bulk
 * loading (bench/bulk.ts), vector types (bench/vector-types.ts) and tenant partitions (bench/partitions.ts).
 *
 *   npm run bench                      the default run, a few minutes
 *   npm run bench -- --binary          also bench/pg-binary.ts (10,000 x 1,536 text against vector_send; ~3 min)
 *   npm run bench -- --rows 100000     only the recall table and the scale curve, at 100,000 x 128 (bench/scale-curve.png);
 *                                      libSQL at 20,000 x 128 unless --libsql-rows N (its DiskANN build is the slow one)
 *   npm run bench -- --rows 1000000    the same at 1,000,000 x 128: above 100,000 rows PostgreSQL and sqlite-vec only
 *                                      (MariaDB's and libSQL's index builds do not fit a session; the output says so)
 *   npm run bench -- --backends A,B    the recall table on those backends only (PostgreSQL, MariaDB, libSQL, sqlite-vec)
 *   npm run bench -- --pg-hnsw-max-rows N   PostgreSQL builds HNSW only on tables of at most N rows (above: exact scan
 *                                      and IVFFlat only; a 500,000-row HNSW build took 27 min on the 2-core machine)
 *   npm run bench -- --pg-hnsw-curve-max-rows N   the same on the scale curve only: the full size keeps its HNSW rows
 *   npm run bench -- --bulk-rows N     rows of the bulk-load comparison (bench/bulk.ts; default 10,000)
 *   npm run bench -- --save            also write the figures to bench/results.json
 *
 * Every run compares its figures with bench/results.json and prints a warning naming each line
 * more than 20% worse than saved. Needs the test servers: TEST_POSTGRES_URL and TEST_MARIADB_URL,
 * or it starts its own like `npm test`. On either, it works only in databases it creates
 * (`tv_bench_<hex>`, `tv_recall_<hex>`, ...) and drops them at the end, so it can run beside the
 * tests on the same servers.
 */
import 'reflect-metadata';
import * as os from 'node:os';
import * as path from 'node:path';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { VectorColumn, VectorDataSource } from '../src';
import { withNewPgDatabase } from '../test/support/db-clients';
import { startServers } from '../test/support/servers';
import { randomVectors } from '../test/support/vectors';
import { drawScaleCurve } from './chart';
import { codecBenchmark } from './codecs';
import { hybridBenchmark } from './hybrid';
import { hybridRecallBenchmark } from './hybrid-recall';
import { compare } from './measure';
import { overheadBenchmark } from './overhead';
import { pgBinaryBenchmark } from './pg-binary';
import { DEFAULT_RECALL_SIZE, RECALL_BACKENDS, recallBackends, recallBenchmark, type RecallSize } from './recall';
import { bulkBenchmark, numberFlag } from './bulk';
import { vectorTypesBenchmark } from './vector-types';
import { partitionsBenchmark } from './partitions';
import { format, mergeResults, readResults, regressions, writeResults, type Figure } from './results-file';
import { pgliteBenchmark } from './pglite';

const RESULTS = path.join(__dirname, 'results.json');
const DIMENSIONS = 384;
const ROWS = 2000;

@Entity('bench_ours')
class Ours {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

@Entity('bench_typeorm')
class TypeormVector {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'vector', length: DIMENSIONS }) embedding!: number[];
}

/** The command-line flags. */
interface Flags {
  rows: number;
  /** libSQL's table in a --rows run (its DiskANN build is far the slowest: 20,000 unless given). */
  libsqlRows: number | undefined;
  binary: boolean;
  save: boolean;
  /** `--only codecs,overhead,bulk`: just those parts of the default run. */
  only: ReadonlySet<string> | undefined;
  /** `--backends PostgreSQL,sqlite-vec`: the recall table on those backends only (default: bench/recall.ts's recallBackends). */
  backends: string[] | undefined;
  /** `--pg-hnsw-max-rows N`: PostgreSQL builds HNSW only up to N rows (bench/recall.ts's RecallSize.pgHnswMaxRows). */
  pgHnswMaxRows: number | undefined;
  /** `--pg-hnsw-curve-max-rows N`: on the scale curve, HNSW only up to N rows (the full size keeps its HNSW rows). */
  pgHnswCurveMaxRows: number | undefined;
}

const ONLY_PARTS = ['codecs', 'overhead', 'bulk'];

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { rows: DEFAULT_RECALL_SIZE.rows, libsqlRows: undefined, binary: false, save: false, only: undefined, backends: undefined, pgHnswMaxRows: undefined, pgHnswCurveMaxRows: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--binary') flags.binary = true;
    else if (arg === '--save') flags.save = true;
    else if (arg === '--rows') {
      flags.rows = Number(argv[++i]);
      if (!Number.isInteger(flags.rows) || flags.rows < 1000) throw new Error(`--rows ${argv[i]} is not a whole number of at least 1000; pass e.g. --rows 100000.`);
    } else if (arg === '--libsql-rows') {
      flags.libsqlRows = Number(argv[++i]);
      if (!Number.isInteger(flags.libsqlRows) || flags.libsqlRows < 1000) throw new Error(`--libsql-rows ${argv[i]} is not a whole number of at least 1000; pass e.g. --libsql-rows 20000.`);
    } else if (arg === '--only') {
      const parts = String(argv[++i]).split(',');
      const unknown = parts.find((part) => !ONLY_PARTS.includes(part));
      if (unknown !== undefined) throw new Error(`--only ${argv[i]} names '${unknown}'; name some of ${ONLY_PARTS.join(',')}.`);
      flags.only = new Set(parts);
    } else if (arg === '--backends') {
      flags.backends = String(argv[++i]).split(',');
      recallBackends(flags.rows, flags.backends); // rejects an unknown name before anything runs
    } else if (arg === '--pg-hnsw-max-rows') {
      flags.pgHnswMaxRows = Number(argv[++i]);
      if (!Number.isInteger(flags.pgHnswMaxRows) || flags.pgHnswMaxRows < 0) throw new Error(`--pg-hnsw-max-rows ${argv[i]} is not a whole number; pass e.g. --pg-hnsw-max-rows 100000.`);
    } else if (arg === '--pg-hnsw-curve-max-rows') {
      flags.pgHnswCurveMaxRows = Number(argv[++i]);
      if (!Number.isInteger(flags.pgHnswCurveMaxRows) || flags.pgHnswCurveMaxRows < 0) throw new Error(`--pg-hnsw-curve-max-rows ${argv[i]} is not a whole number; pass e.g. --pg-hnsw-curve-max-rows 100000.`);
    } else if (arg === '--bulk-rows' || arg === '--bulk-rounds') i++; // read by bench/bulk.ts's numberFlag
    else throw new Error(`Unknown flag ${arg}; use --rows N, --libsql-rows N, --backends ${RECALL_BACKENDS.join(',')}, --pg-hnsw-max-rows N, --pg-hnsw-curve-max-rows N, --bulk-rows N, --bulk-rounds N, --only ${ONLY_PARTS.join(',')}, --binary, --save.`);
  }
  return flags;
}

/** Inserts and loads against TypeORM's own `vector` type on PostgreSQL (2,000 x 384). */
async function typeormBaseline(url: string): Promise<Figure[]> {
  const vectors = randomVectors(ROWS, DIMENSIONS, 1);
  const pg = await new VectorDataSource({ type: 'postgres', url, entities: [Ours, TypeormVector], synchronize: true }).initialize();
  const plain = new DataSource({ type: 'postgres', url, entities: [TypeormVector] });
  try {
    await plain.initialize();
    const insert = await compare('insert', 'TypeORM', () => pg.getRepository(Ours).insert(vectors.map((embedding) => ({ embedding }))), () => plain.getRepository(TypeormVector).insert(vectors.map((embedding) => ({ embedding }))), 5);
    const load = await compare('load', 'TypeORM', () => pg.getRepository(Ours).find({ take: ROWS }), () => plain.getRepository(TypeormVector).find({ take: ROWS }), 5);
    return [
      { line: `PostgreSQL insert ${ROWS.toLocaleString('en')} x ${DIMENSIONS} (one multi-row INSERT each) (time ratio)`, value: insert.ratio, better: 'lower', baseline: "TypeORM's own vector type" },
      { line: `PostgreSQL load ${ROWS.toLocaleString('en')} entities x ${DIMENSIONS} (time ratio)`, value: load.ratio, better: 'lower', baseline: "TypeORM's own vector type" },
    ];
  } finally {
    if (plain.isInitialized) await plain.destroy();
    await pg.destroy();
  }
}

function figureTable(figures: readonly Figure[]): string {
  const lines = ['| what | baseline | figure |', '|---|---|---|'];
  for (const f of figures) lines.push(`| ${f.line} | ${f.baseline ?? ''} | ${format(f.value)} |`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const started = Date.now();
  const flags = parseFlags(process.argv.slice(2));
  const big = flags.rows !== DEFAULT_RECALL_SIZE.rows;
  const libsqlRows = flags.libsqlRows ?? Math.min(flags.rows, 20_000);
  const runs = (part: string) => flags.only === undefined || flags.only.has(part);
  const passed = process.argv.slice(2).filter((arg) => arg !== '--save').join(' ');
  const command = `npm run bench${passed ? ` -- ${passed}` : ''}`;
  const figures: Figure[] = [];
  const sections: string[] = [];
  if (!big && runs('codecs')) {
    figures.push(...(await codecBenchmark()));
    console.error('bench: codecs done');
  }
  const servers = await startServers(['postgres', 'mariadb']);
  try {
    if (!big && runs('overhead')) {
      await withNewPgDatabase(servers.urls.TEST_POSTGRES_URL, 'tv_bench', async (url) => {
        if (flags.only === undefined) figures.push(...(await typeormBaseline(url)));
        figures.push(...(await overheadBenchmark(url)));
      });
      console.error('bench: overhead done');
      if (flags.binary) figures.push(...(await pgBinaryBenchmark(servers.urls.TEST_POSTGRES_URL)));
    }
    if (!big && figures.length) sections.push(`Ratios, speed-ups and their baselines (\`${command}\`):\n\n${figureTable(figures)}`);
    if (flags.only?.has('bulk')) {
      const bulk = await bulkBenchmark(servers.urls, numberFlag('--bulk-rows', 10_000), numberFlag('--bulk-rounds', 3));
      figures.push(...bulk.figures);
      sections.push(`Bulk loading (bench/bulk.ts, \`${command}\`):\n\n${bulk.table}\n\n${figureTable(bulk.figures)}`);
    }
    if (flags.only === undefined) await recallAndTheRest();
  } finally {
    await servers.stop();
  }

  async function recallAndTheRest(): Promise<void> {
    const size: RecallSize = {
      ...(big ? { ...DEFAULT_RECALL_SIZE, rows: flags.rows, libsqlRows, libsqlDimensions: DEFAULT_RECALL_SIZE.dimensions, filtered: false } : DEFAULT_RECALL_SIZE),
      ...(flags.pgHnswMaxRows === undefined ? {} : { pgHnswMaxRows: flags.pgHnswMaxRows }),
      ...(flags.pgHnswCurveMaxRows === undefined ? {} : { pgHnswCurveMaxRows: flags.pgHnswCurveMaxRows }),
    };
    const recall = await recallBenchmark(servers.urls, size, flags.backends);
    figures.push(...recall.figures);
    sections.push(`Vector indexes: recall@10 against exact search in JS; time of the index path over an exact scan, same database, each query timed alone (\`${command}\`):\n\n${recall.table}`);
    // The curve is PostgreSQL's: a run without it (--backends) leaves the committed chart as it is.
    if (recall.curve.length) {
      const chart = big ? path.join(__dirname, 'scale-curve.png') : path.join(os.tmpdir(), `tv-scale-curve-${flags.rows}.png`);
      await drawScaleCurve(recall.curve, chart, `PostgreSQL + pgvector ${DEFAULT_RECALL_SIZE.dimensions} dims: exact scan and HNSW as the table grows`);
      sections.push(`Scale curve (${chart}):\n\n| series | rows | median ms |\n|---|---|---|\n${recall.curve.map((p) => `| ${p.series} | ${p.rows} | ${p.ms.toFixed(2)} |`).join('\n')}`);
    } else sections.push('No scale curve: PostgreSQL was not run (bench/scale-curve.png left as it was).');
    if (!big) {
      sections.push(`Hybrid search (\`${command}\`):\n\n${await hybridBenchmark(servers.urls)}\n\n${await hybridRecallBenchmark()}`);
      {
        const bulk = await bulkBenchmark(servers.urls, numberFlag('--bulk-rows', 10_000), numberFlag('--bulk-rounds', 3));
        figures.push(...bulk.figures);
        sections.push(`Bulk loading (bench/bulk.ts):\n\n${bulk.table}`);
      }
      sections.push(`Vector types and index storage (bench/vector-types.ts): bytes per row and recall@10.\n\n${await vectorTypesBenchmark(servers.urls)}`);
      sections.push(await partitionsBenchmark(servers.urls.TEST_POSTGRES_URL));
      sections.push(`PGlite against the PostgreSQL server (bench/pglite.ts):\n\n${await pgliteBenchmark(servers.urls.TEST_POSTGRES_URL)}`);
    }
  }
  const seconds = Math.round((Date.now() - started) / 1000);
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(sections.join('\n\n'));
  console.log(`\n${command}: ${seconds} s, peak memory of the bench process ${peakRssMb} MB (the database servers' own memory not included).`);
  const saved = readResults(RESULTS);
  const worse = regressions(saved, figures);
  for (const regression of worse) console.warn(`WARNING ${regression.message}`);
  if (!worse.length) console.log(`No figure regressed by more than 20% against ${path.relative(process.cwd(), RESULTS)}.`);
  if (flags.save) {
    writeResults(RESULTS, mergeResults(saved, figures, { date: new Date().toISOString().slice(0, 10), command, seconds, peakRssMb }));
    console.log(`Saved ${figures.length} figures to ${path.relative(process.cwd(), RESULTS)}.`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
