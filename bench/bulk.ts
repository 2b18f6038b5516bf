/**
 * Bulk load: `insertVectors` against `repository.save` in chunks of 500 on every backend, and on
 * PostgreSQL binary COPY against text COPY of the same rows, as ratios measured in one run
 * (interleaved rounds, medians), each load into an emptied table. After the first load of each
 * backend the rows are read back and compared with what was written (vectors to the float32 bit).
 * Every load starts alike: the bench's heap settled by a full collection (`save` leaves about a
 * gigabyte of garbage, which the next load otherwise pays for: insertVectors on PostgreSQL took
 * 0.53 s after a COPY but 1.03 s after a `save`) and, on PostgreSQL, the server checkpointed (the
 * loads before it leave up to 300 MB of dirty pages and WAL behind).
 *
 * `npx ts-node --transpile-only bench/bulk.ts --rows 100000 [--rounds 1]` on its own (default 20,000
 * rows, 3 rounds); `npm run bench` runs it with `--bulk-rows` (default 10,000). Needs the test
 * servers as `npm run bench` does; works only in databases it creates and drops.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Column, Entity, PrimaryGeneratedColumn, type DataSourceOptions } from 'typeorm';
import { insertVectors, libsql, VectorColumn, VectorDataSource } from '../src';
import { loadVectors } from '../src/bulk/insert-vectors';
import { withNewMysqlDatabase, withNewPgDatabase } from '../test/support/db-clients';
import { startServers, type ServerUrls } from '../test/support/servers';
import { randomVectors } from '../test/support/vectors';
import { garbageCollector } from './measure';
import type { Figure } from './results-file';

const DIMENSIONS = 384;
const SAVE_CHUNK = 500;

@Entity('bench_bulk')
class BulkRow {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 40 }) title!: string;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

/** One backend's figures: seconds per load (median), the speed-ups, and whether the rows read back equal. */
export interface BulkFigures {
  backend: string;
  insertVectorsSeconds: number;
  saveSeconds: number;
  /** On PostgreSQL: the same rows through text COPY. */
  textCopySeconds?: number;
  readBackEqual: boolean;
}

type Method = { name: 'insertVectors' | 'save' | 'text COPY'; load: (repo: ReturnType<VectorDataSource['getRepository']>, rows: Array<Partial<BulkRow>>) => Promise<unknown> };

const METHODS: Record<string, Method> = {
  insertVectors: { name: 'insertVectors', load: (repo, rows) => insertVectors(repo, rows) },
  save: { name: 'save', load: (repo, rows) => repo.save(rows, { chunk: SAVE_CHUNK }) },
  text: { name: 'text COPY', load: (repo, rows) => loadVectors(repo, rows, {}, { copyFormat: 'text' }) },
};

/** Times each method `rounds` times (alternating order), each into an emptied table, and checks the first insertVectors load reads back equal. */
async function measure(backend: string, dataSource: VectorDataSource, vectors: number[][], rounds: number, methods: Method[]): Promise<BulkFigures> {
  const repo = dataSource.getRepository(BulkRow);
  const times = new Map<string, number[]>(methods.map((m) => [m.name, []]));
  const collect = garbageCollector();
  let readBackEqual: boolean | undefined;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? methods : [...methods].reverse();
    for (const method of order) {
      await repo.clear();
      const rows = vectors.map((embedding, i) => ({ title: `row ${i}`, embedding }));
      if (dataSource.options.type === 'postgres') await dataSource.query('CHECKPOINT');
      collect();
      const started = process.hrtime.bigint();
      await method.load(repo, rows);
      times.get(method.name)!.push(Number(process.hrtime.bigint() - started) / 1e9);
      if (method.name === 'insertVectors' && readBackEqual === undefined) readBackEqual = await readsBackEqual(dataSource, vectors);
    }
    process.stderr.write(`bulk ${backend}: round ${round + 1}/${rounds} ${methods.map((m) => `${m.name} ${times.get(m.name)!.at(-1)!.toFixed(2)} s`).join(', ')}\n`);
  }
  await repo.clear();
  return {
    backend,
    insertVectorsSeconds: median(times.get('insertVectors')!),
    saveSeconds: median(times.get('save')!),
    textCopySeconds: times.has('text COPY') ? median(times.get('text COPY')!) : undefined,
    readBackEqual: readBackEqual ?? false,
  };
}

/** Whether the table holds exactly `vectors` (as float32), in order of the titles written. */
async function readsBackEqual(dataSource: VectorDataSource, vectors: number[][]): Promise<boolean> {
  const stored = await dataSource.getRepository(BulkRow).find();
  if (stored.length !== vectors.length) return false;
  return stored.every((row) => {
    const expected = vectors[Number(row.title.slice(4))]!;
    return row.embedding.length === expected.length && row.embedding.every((value, i) => Object.is(value, Math.fround(expected[i]!)));
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function onFile<T>(work: (file: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-bench-bulk-'));
  try {
    return await work(path.join(dir, 'bench.db'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function withDataSource<T>(options: DataSourceOptions, work: (dataSource: VectorDataSource) => Promise<T>): Promise<T> {
  const dataSource = await new VectorDataSource({ ...options, entities: [BulkRow], synchronize: true } as DataSourceOptions).initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Runs the bulk-load comparison on `rows` rows of 384 dimensions and returns it as a Markdown table.
 *
 * @example
 * console.log((await bulkBenchmark(servers.urls, 10_000, 3)).table);
 */
export async function bulkBenchmark(urls: ServerUrls<'postgres' | 'mariadb'>, rows: number, rounds = 3): Promise<{ table: string; figures: Figure[] }> {
  const vectors = randomVectors(rows, DIMENSIONS, 7);
  const both = [METHODS.insertVectors!, METHODS.save!];
  const figures: BulkFigures[] = [];
  figures.push(await withNewPgDatabase(urls.TEST_POSTGRES_URL, 'tv_bench_bulk', (url) => withDataSource({ type: 'postgres', url }, (ds) => measure('PostgreSQL (binary COPY)', ds, vectors, rounds, [...both, METHODS.text!]))));
  figures.push(await onFile((file) => withDataSource({ type: 'better-sqlite3', database: file }, (ds) => measure('SQLite file (better-sqlite3)', ds, vectors, rounds, both))));
  figures.push(await onFile((file) => withDataSource({ ...libsql({ url: `file:${file}` }) } as DataSourceOptions, (ds) => measure('libSQL file', ds, vectors, rounds, both))));
  figures.push(await withNewMysqlDatabase(urls.TEST_MARIADB_URL, 'tv_bench_bulk', (url) => withDataSource({ type: 'mariadb', url }, (ds) => measure('MariaDB', ds, vectors, rounds, both))));
  const lines = [
    `Bulk load of ${rows.toLocaleString('en')} rows x ${DIMENSIONS} (median of ${rounds} load${rounds > 1 ? 's' : ''} each, into an emptied table):`,
    '',
    '| backend | insertVectors | save, chunks of 500 | speed-up over save | text COPY | binary over text COPY | rows read back equal |',
    '|---|---|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.backend} | ${f.insertVectorsSeconds.toFixed(2)} s | ${f.saveSeconds.toFixed(2)} s | ${(f.saveSeconds / f.insertVectorsSeconds).toFixed(1)}x | ${f.textCopySeconds === undefined ? '' : `${f.textCopySeconds.toFixed(2)} s`} | ${f.textCopySeconds === undefined ? '' : `${(f.textCopySeconds / f.insertVectorsSeconds).toFixed(1)}x`} | ${f.readBackEqual ? 'yes' : 'NO'} |`,
    ),
  ];
  const size = `${rows.toLocaleString('en')} x ${DIMENSIONS}`;
  const speedUps: Figure[] = figures.flatMap((f) => [
    { line: `bulk: ${f.backend} insertVectors over save (chunks of 500), ${size} (speed-up)`, value: f.saveSeconds / f.insertVectorsSeconds, better: 'higher' as const, baseline: 'repository.save(rows, { chunk: 500 })' },
    ...(f.textCopySeconds === undefined ? [] : [{ line: `bulk: ${f.backend} insertVectors over text COPY, ${size} (speed-up)`, value: f.textCopySeconds / f.insertVectorsSeconds, better: 'higher' as const, baseline: 'the same rows through text COPY' }]),
  ]);
  return { table: lines.join('\n'), figures: speedUps };
}

/** `--name N` from the command line, or `fallback`. */
export function numberFlag(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  if (at < 0) return fallback;
  const value = Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} takes a positive integer, not ${process.argv[at + 1]}.`);
  return value;
}

if (require.main === module) {
  (async () => {
    const servers = await startServers(['postgres', 'mariadb']);
    try {
      console.log((await bulkBenchmark(servers.urls, numberFlag('--rows', 20_000), numberFlag('--rounds', 3))).table);
    } finally {
      await servers.stop();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
