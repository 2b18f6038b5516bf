/**
 * `npm run bench`: ratios against baselines measured in the same run (absolute times on shared
 * machines are noise), then bench/recall.ts (ANN index recall). Needs the test servers:
 * TEST_POSTGRES_URL and TEST_MARIADB_URL, or it starts its own like `npm test`. On either, it works
 * only in databases it creates (`tv_bench_<hex>`, `tv_recall_<hex>`) and drops them at the end, so it
 * can run beside the tests on the same servers.
 */
import 'reflect-metadata';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import * as pgvector from 'pgvector';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { decodeFloat32Blob, encodeFloat32Blob, parsePgvectorText, toPgvectorText, validateVector, VectorColumn, VectorDataSource } from '../src';
import { withNewPgDatabase } from '../test/support/db-clients';
import { startServers } from '../test/support/servers';
import { randomVectors } from '../test/support/vectors';
import { compare, type Comparison } from './measure';
import { hybridBenchmark } from './hybrid';
import { hybridRecallBenchmark } from './hybrid-recall';
import { recallBenchmark } from './recall';
import { bulkBenchmark, numberFlag } from './bulk';
import { vectorTypesBenchmark } from './vector-types';
import { partitionsBenchmark } from './partitions';
import { pgliteBenchmark } from './pglite';

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

async function main(): Promise<void> {
  const results: Comparison[] = [];
  const vectors = randomVectors(ROWS, DIMENSIONS, 1);
  const query = randomVectors(1, DIMENSIONS, 2)[0]!;

  // Codecs, 2,000 vectors of 384 dimensions each time.
  const texts = vectors.map((v) => toPgvectorText(validateVector(v, DIMENSIONS, 'v')));
  results.push(await compare('encode pgvector text (validate + format)', "pgvector-node's toSql", () => vectors.map((v) => toPgvectorText(validateVector(v, DIMENSIONS, 'v'))), () => vectors.map((v) => pgvector.toSql(v))));
  results.push(await compare('decode pgvector text', "pgvector-node's fromSql", () => texts.map((t) => parsePgvectorText(t, 'v')), () => texts.map((t) => pgvector.fromSql(t))));
  const blobs = vectors.map((v) => encodeFloat32Blob(validateVector(v, DIMENSIONS, 'v')));
  results.push(await compare('encode float32 BLOB (validate + write)', 'Buffer.from(new Float32Array(v).buffer)', () => vectors.map((v) => encodeFloat32Blob(validateVector(v, DIMENSIONS, 'v'))), () => vectors.map((v) => Buffer.from(new Float32Array(v).buffer))));
  results.push(await compare('decode float32 BLOB (checked copy)', 'Float32Array.from(view)', () => blobs.map((b) => decodeFloat32Blob(b, 'v')), () => blobs.map((b) => Float32Array.from(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4)))));

  // SQLite: kNN through TypeORM + typeorm-vector against better-sqlite3 running the same SQL.
  const sqlite = await new VectorDataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Ours], synchronize: true }).initialize();
  await sqlite.getRepository(Ours).insert(vectors.map((embedding) => ({ embedding })));
  const sqliteQb = () => sqlite.getRepository(Ours).createQueryBuilder('o').orderByL2('o.embedding', query).limit(10);
  const [sqliteSql] = sqliteQb().getQueryAndParameters();
  const raw = (sqlite.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
  const rawStatement = raw.prepare(sqliteSql);
  results.push(await compare(`SQLite kNN, ${ROWS} x ${DIMENSIONS}, top 10 entities`, 'better-sqlite3 with the same SQL', () => sqliteQb().getMany(), () => rawStatement.all(encodeFloat32Blob(new Float32Array(query)))));
  await sqlite.destroy();

  // PostgreSQL: inserts against TypeORM's own vector type; kNN against pg with the same SQL, in a
  // database of the bench's own (never dropSchema on whatever the URL names: it may be shared).
  const servers = await startServers(['postgres', 'mariadb']);
  let recallTable: string;
  let hybridTable: string;
  try {
    await withNewPgDatabase(servers.urls.TEST_POSTGRES_URL, 'tv_bench', async (url) => {
      const pg = await new VectorDataSource({ type: 'postgres', url, entities: [Ours, TypeormVector], synchronize: true }).initialize();
      const plain = new DataSource({ type: 'postgres', url, entities: [TypeormVector] });
      const client = new Client({ connectionString: url });
      try {
        await plain.initialize();
        await client.connect();
        results.push(
          await compare(
            `PostgreSQL insert ${ROWS} x ${DIMENSIONS} (one multi-row INSERT each)`,
            "TypeORM's own vector type",
            () => pg.getRepository(Ours).insert(vectors.map((embedding) => ({ embedding }))),
            () => plain.getRepository(TypeormVector).insert(vectors.map((embedding) => ({ embedding }))),
            5,
          ),
        );
        results.push(await compare(`PostgreSQL load ${ROWS} entities`, "TypeORM's own vector type", () => pg.getRepository(Ours).find({ take: ROWS }), () => plain.getRepository(TypeormVector).find({ take: ROWS }), 5));
        const pgQb = () => pg.getRepository(Ours).createQueryBuilder('o').orderByL2('o.embedding', query).limit(10);
        const [pgSql] = pgQb().getQueryAndParameters();
        const queryText = toPgvectorText(new Float32Array(query));
        results.push(await compare(`PostgreSQL kNN, ${await count(pg)} rows x ${DIMENSIONS}, top 10 entities`, 'pg with the same SQL', () => pgQb().getMany(), () => client.query(pgSql, [queryText])));
      } finally {
        await client.end().catch(() => undefined);
        if (plain.isInitialized) await plain.destroy();
        await pg.destroy();
      }
    });
    recallTable = await recallBenchmark(servers.urls);
    hybridTable = `${await hybridBenchmark(servers.urls)}\n\n${await hybridRecallBenchmark()}`;
    hybridTable += `\n\n${await bulkBenchmark(servers.urls, numberFlag('--bulk-rows', 10_000))}`;
    console.log(`\nVector types and index storage (bench/vector-types.ts): bytes per row and recall@10.\n\n${await vectorTypesBenchmark(servers.urls)}`);
    console.log(`\n${await partitionsBenchmark(servers.urls.TEST_POSTGRES_URL)}`);
    console.log(`\nPGlite against the PostgreSQL server (bench/pglite.ts):\n\n${await pgliteBenchmark(servers.urls.TEST_POSTGRES_URL)}`);
  } finally {
    await servers.stop();
  }

  console.log('\n| what | baseline | time ratio (ours / baseline) |\n|---|---|---|');
  for (const r of results) console.log(`| ${r.name} | ${r.baseline} | ${r.ratio.toFixed(2)} |`);
  console.log(`\nHybrid search: findHybrid (vector + full text, RRF in one statement) over the vector-only findNearest, same table and query vectors.\n\n${hybridTable}`);
  console.log(`\nVector indexes: recall@10 against exact search in JS (50 queries; builds vary by a few points run to run); time of the index path over an exact scan, same database.\n\n${recallTable}`);
}

async function count(dataSource: VectorDataSource): Promise<number> {
  return dataSource.getRepository(Ours).count();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
