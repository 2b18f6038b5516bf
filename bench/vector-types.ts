/**
 * Size and recall of each vector type and index storage option on the bench data (bench/recall-
 * support.ts: clustered rows, l2, true neighbours computed in JS): bytes per row of the column and
 * of the index, recall@10 of findNearest with the library's defaults, and whether findNearest read
 * the index (EXPLAIN of its query). Part of `npm run bench`, or alone:
 * `ts-node --transpile-only --project tsconfig.json bench/vector-types.ts` (needs the test servers
 * or starts its own). Sizes: `TV_TYPES_ROWS` (default 5,000) rows of `TV_TYPES_DIMS` (default 1,536).
 * Each server runs in a database of its own (`tv_types_<hex>`), dropped at the end.
 */
import 'reflect-metadata';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { explainNearest, searchNearest, VectorColumn, VectorDataSource, VectorIndex, type VectorIndexStorage, type VectorSearchTuning } from '../src';
import { withNewPgDatabase } from '../test/support/db-clients';
import { startServers, type ServerUrls } from '../test/support/servers';
import { loadRows, nearestIds, recallAt10, recallData, rowsOf, TABLE, type RecallData, type RecallItem } from './recall-support';

const ROWS = Number(process.env.TV_TYPES_ROWS ?? 5000);
const DIMENSIONS = Number(process.env.TV_TYPES_DIMS ?? 1536);

/** One measured storage option. */
interface TypeRow {
  backend: string;
  option: string;
  columnBytes: number;
  indexBytes: number | undefined;
  recall: number;
  plannerReadsIndex: string;
  buildSeconds: number | undefined;
}

/**
 * Measures every storage option and returns the markdown table.
 *
 * @example
 * console.log(await vectorTypesBenchmark(servers.urls));
 */
export async function vectorTypesBenchmark(urls: Pick<ServerUrls, 'TEST_POSTGRES_URL'>): Promise<string> {
  const data = recallData(ROWS, DIMENSIONS);
  const rows = [...(await postgresTypes(urls.TEST_POSTGRES_URL, data)), ...(await sqliteTypes(data))];
  const lines = [
    `Data: ${data.label}; findNearest l2 (bit: hamming), top 10, library defaults (binary: rerank 20 unless stated), recall@10 against exact float32 search in JS over ${data.queries.length} queries. SQLite's int8 and bit columns hold the rows quantized in JS (int8: each element x 127 / the largest magnitude in the data, rounded; bit: 1 where the element is positive), and are searched with the queries quantized the same way.`,
    '',
    '| backend | storage | column bytes/row | index bytes/row | recall@10 | findNearest reads the index (EXPLAIN) | index build (s) |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.backend} | ${r.option} | ${r.columnBytes.toFixed(0)} | ${r.indexBytes === undefined ? 'n/a' : r.indexBytes.toFixed(0)} | ${r.recall.toFixed(3)} | ${r.plannerReadsIndex} | ${r.buildSeconds === undefined ? '' : r.buildSeconds.toFixed(1)} |`,
    );
  }
  return lines.join('\n');
}

/** The recall table's entity with one `@VectorIndex` (l2, HNSW defaults) of `storage`. */
function indexedEntity(storage: VectorIndexStorage | undefined, dimensions: number): Function {
  @Entity(TABLE)
  class Indexed implements RecallItem {
    @PrimaryColumn() id!: number;
    @Column({ type: 'varchar', length: 16 }) category!: string;
    @VectorColumn(dimensions)
    @VectorIndex({ metric: 'l2', ...(storage ? { storage } : {}), name: `${TABLE}_${storage ?? 'float32'}` })
    embedding!: number[];
  }
  return Indexed;
}

async function postgresTypes(adminUrl: string, data: RecallData): Promise<TypeRow[]> {
  return withNewPgDatabase(adminUrl, 'tv_types', async (url) => {
    const base = await new VectorDataSource({ type: 'postgres', url, entities: [data.entity], synchronize: true }).initialize();
    const out: TypeRow[] = [];
    try {
      await loadRows(base, data);
      await base.query(`ANALYZE ${TABLE}`);
      const bytes = ((await base.query(`SELECT avg(pg_column_size(embedding))::float AS bytes FROM ${TABLE}`)) as Array<{ bytes: number }>)[0]!.bytes;
      const options: Array<{ storage: VectorIndexStorage | undefined; tunings: Array<VectorSearchTuning | undefined> }> = [
        { storage: undefined, tunings: [undefined] },
        { storage: 'halfvec', tunings: [undefined] },
        { storage: 'binary', tunings: [{ rerank: 5 }, undefined, { rerank: 40 }] },
      ];
      for (const { storage, tunings } of options) {
        const name = `${TABLE}_${storage ?? 'float32'}`;
        const indexable = storage !== undefined || DIMENSIONS <= 2000;
        if (!indexable) continue;
        const start = Date.now();
        const dataSource = await new VectorDataSource({ type: 'postgres', url, entities: [indexedEntity(storage, DIMENSIONS)], synchronize: true }).initialize();
        const buildSeconds = (Date.now() - start) / 1000;
        try {
          const size = ((await dataSource.query('SELECT pg_relation_size($1::regclass)::float AS size', [name])) as Array<{ size: number }>)[0]!.size;
          const repo = dataSource.getRepository<RecallItem>(TABLE);
          const explained = await explainNearest(repo, { column: 'embedding', vector: data.queries[0]!, metric: 'l2', limit: 10 });
          const { index } = await searchNearest(repo, { column: 'embedding', vector: data.queries[0]!, metric: 'l2', limit: 10 });
          if (index !== name) throw new Error(`findNearest planned on ${String(index)}, not ${name}`);
          for (const tuning of tunings) {
            const recall = await recallAt10(data, nearestIds(repo, tuning ? { search: tuning } : {}));
            const option = storage === undefined ? `none (vector(${DIMENSIONS}), vector_l2_ops)` : storage === 'halfvec' ? `'halfvec' (halfvec_l2_ops)` : `'binary' (bit_hamming_ops), rerank ${tuning?.rerank ?? 20}`;
            out.push({ backend: 'PostgreSQL', option, columnBytes: bytes, indexBytes: size / ROWS, recall, plannerReadsIndex: explained.usesIndex ? 'yes' : 'no', buildSeconds });
            console.error(`vector-types: PostgreSQL ${option}: recall ${recall.toFixed(3)}`);
          }
          await dataSource.query(`DROP INDEX ${name}`);
        } finally {
          await dataSource.destroy();
        }
      }
    } finally {
      await base.destroy();
    }
    return out;
  });
}

/**
 * `rows` quantized to int8 (one scale for the whole data set, so distances keep their order), to
 * sign bits, and scaled into [-1, 1] (by the same one scale: the same neighbours), the range
 * `storage: 'int8'` (vec_quantize_int8(..., 'unit')) quantizes without clamping.
 */
function quantized(rows: readonly number[][]): { int8: (row: readonly number[]) => number[]; bits: (row: readonly number[]) => string; unit: (row: readonly number[]) => number[] } {
  const max = Math.max(...rows.map((row) => Math.max(...row.map(Math.abs))));
  return {
    int8: (row) => row.map((x) => Math.max(-127, Math.min(127, Math.round((x * 127) / max)))),
    bits: (row) => row.map((x) => (x > 0 ? '1' : '0')).join(''),
    unit: (row) => row.map((x) => x / max),
  };
}

/** SQLite with sqlite-vec: a float32, an int8 and a bit column of the same rows, each with its vec0 index. */
async function sqliteTypes(data: RecallData): Promise<TypeRow[]> {
  const rows = rowsOf(data);
  const dimensions = data.dimensions;
  @Entity('types_item')
  class TypesItem {
    @PrimaryColumn() id!: number;
    @VectorColumn(dimensions) @VectorIndex({ metric: 'l2' }) f32!: number[];
    @VectorColumn(dimensions, { type: 'int8' }) @VectorIndex({ metric: 'l2' }) i8!: number[];
    @VectorColumn(dimensions, { type: 'bit' }) @VectorIndex({ metric: 'hamming' }) bits!: string;
    @VectorColumn(dimensions) @VectorIndex({ metric: 'l2', storage: 'binary' }) fbin!: number[];
    @VectorColumn(dimensions) @VectorIndex({ metric: 'l2', storage: 'int8' }) fi8!: number[];
    @VectorColumn(dimensions) @VectorIndex({ metric: 'l2', storage: 'int8' }) fi8u!: number[];
  }
  const q = quantized(rows);
  const dataSource = await new VectorDataSource({ type: 'better-sqlite3', database: ':memory:', entities: [TypesItem], synchronize: true }).initialize();
  try {
    const repo = dataSource.getRepository(TypesItem);
    for (let start = 0; start < rows.length; start += 500) {
      await repo.insert(rows.slice(start, start + 500).map((row, i) => ({ id: start + i + 1, f32: row, i8: q.int8(row), bits: q.bits(row), fbin: row, fi8: row, fi8u: q.unit(row) })));
    }
    const columns: Array<{ column: 'f32' | 'i8' | 'bits' | 'fbin' | 'fi8' | 'fi8u'; option: string; query: (row: number[]) => unknown; metric: 'l2' | 'hamming'; reranks?: number[] }> = [
      { column: 'f32', option: `float32 BLOB, vec0 float[${dimensions}]`, query: (row) => row, metric: 'l2' },
      { column: 'i8', option: `type: 'int8' BLOB, vec0 int8[${dimensions}]`, query: q.int8, metric: 'l2' },
      { column: 'bits', option: `type: 'bit' BLOB, vec0 bit[${dimensions}]`, query: q.bits, metric: 'hamming' },
      { column: 'fbin', option: `float32 BLOB, storage: 'binary' (vec0 bit[${dimensions}] of vec_quantize_binary)`, query: (row) => row, metric: 'l2', reranks: [1, 20] },
      { column: 'fi8', option: `float32 BLOB, storage: 'int8' (vec0 int8[${dimensions}] of vec_quantize_int8 'unit'), the data as is (elements beyond [-1, 1] clamped)`, query: (row) => row, metric: 'l2', reranks: [1, 20] },
      { column: 'fi8u', option: `float32 BLOB, storage: 'int8', the data scaled into [-1, 1]`, query: q.unit, metric: 'l2', reranks: [1, 20] },
    ];
    const out: TypeRow[] = [];
    for (const { column, option, query, metric, reranks } of columns) {
      const bytes = ((await dataSource.query(`SELECT avg(length(${column})) AS bytes FROM types_item`)) as Array<{ bytes: number }>)[0]!.bytes;
      // The vec0 table's vectors live in its <name>_vector_chunks00 shadow table, 1,024 rows a chunk.
      const [chunks] = (await dataSource.query(`SELECT name FROM sqlite_master WHERE name = 'types_item_${column}_vec0_${metric}_vector_chunks00'`)) as Array<{ name: string }>;
      const indexBytes = chunks ? ((await dataSource.query(`SELECT sum(length(vectors)) AS total FROM "${chunks.name}"`)) as Array<{ total: number }>)[0]!.total / rows.length : undefined;
      for (const rerank of reranks ?? [undefined]) {
        const search = rerank === undefined ? {} : { search: { rerank } };
        const recall = await recallAt10(data, async (row) => (await searchNearest(repo, { column, vector: query(row) as number[], metric, limit: 10, ...search })).rows.map((n) => n.entity.id));
        const label = rerank === undefined ? option : `${option}, rerank ${rerank}${rerank === 1 ? ' (the codes alone)' : ''}`;
        out.push({ backend: 'SQLite (sqlite-vec)', option: label, columnBytes: bytes, indexBytes, recall, plannerReadsIndex: 'yes (vec0 is read by name)', buildSeconds: undefined });
        console.error(`vector-types: SQLite ${label}: recall ${recall.toFixed(3)}`);
      }
    }
    return out;
  } finally {
    await dataSource.destroy();
  }
}

if (require.main === module) {
  (async () => {
    const servers = await startServers(['postgres']);
    try {
      console.log(await vectorTypesBenchmark(servers.urls));
    } finally {
      await servers.stop();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

