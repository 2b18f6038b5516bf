/**
 * Tenant-filtered kNN on PostgreSQL, 100 tenants x 1,000 rows: a table partitioned by LIST on the
 * tenant column with the HNSW index on the parent (one per partition; the search is pruned to the
 * tenant's partition) against one shared table with one HNSW index searched with findNearest's
 * filtered strategy (iterative scan, over-fetch, exact fallback; a B-tree on the tenant column
 * too). Recall@10 against exact per-tenant search in JS, and the median time of one
 * findNearest, each over the partitioned table's. Part of `npm run bench` (or alone:
 * `ts-node --transpile-only bench/partitions.ts`); runs in a database of its own, dropped at the end.
 */
import 'reflect-metadata';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, type Repository } from 'typeorm';
import { addTablePartition, createVectorIndex, findNearest, VectorColumn, VectorDataSource } from '../src';
import { withNewPgDatabase } from '../test/support/db-clients';
import { startServers } from '../test/support/servers';
import { l2, randomVectors } from '../test/support/vectors';

const TENANTS = 100;
const PER_TENANT = 1_000;
const DIMENSIONS = 32;
const QUERIES = 50;
const K = 10;

@Entity('part_doc')
class PartDoc {
  @PrimaryGeneratedColumn() id!: number;
  @PrimaryColumn({ type: 'integer', name: 'tenant_id' }) tenantId!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

@Entity('shared_doc')
class SharedDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer', name: 'tenant_id' }) tenantId!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

type Doc = PartDoc | SharedDoc;

/**
 * Runs the benchmark on the PostgreSQL server of `adminUrl` and returns its markdown table.
 *
 * @example
 * console.log(await partitionsBenchmark(servers.urls.TEST_POSTGRES_URL));
 */
export async function partitionsBenchmark(adminUrl: string): Promise<string> {
  const vectors = randomVectors(TENANTS * PER_TENANT, DIMENSIONS, 901);
  const tenantOf = (i: number) => 1 + (i % TENANTS);
  const queries = randomVectors(QUERIES, DIMENSIONS, 902).map((vector, q) => ({ vector, tenant: 1 + ((q * 37) % TENANTS) }));
  // Ids are 1-based insertion order in every table.
  const truth = queries.map(({ vector, tenant }) =>
    vectors
      .map((v, i) => ({ id: i + 1, tenant: tenantOf(i), d: l2(v, vector) }))
      .filter((r) => r.tenant === tenant)
      .sort((a, b) => a.d - b.d)
      .slice(0, K)
      .map((r) => r.id),
  );
  return withNewPgDatabase(adminUrl, 'tv_partitions', async (url) => {
    const dataSource = await new VectorDataSource({ type: 'postgres', url, entities: [PartDoc, SharedDoc], synchronize: false }).initialize();
    try {
      const runner = dataSource.createQueryRunner();
      try {
        await runner.query(
          `CREATE TABLE "part_doc" ("id" SERIAL NOT NULL, "tenant_id" integer NOT NULL, "embedding" vector(${DIMENSIONS}) NOT NULL, PRIMARY KEY ("id", "tenant_id")) PARTITION BY LIST ("tenant_id")`,
        );
        for (let t = 1; t <= TENANTS; t++) await addTablePartition(runner, { table: 'part_doc', partition: `part_doc_${t}`, values: [t] });
        // The shared table has a B-tree on the tenant too, as an application would; the planner still reads the HNSW index.
        await runner.query(`CREATE TABLE "shared_doc" ("id" SERIAL PRIMARY KEY, "tenant_id" integer NOT NULL, "embedding" vector(${DIMENSIONS}) NOT NULL)`);
        await runner.query('CREATE INDEX "shared_doc_tenant" ON "shared_doc" ("tenant_id")');
      } finally {
        await runner.release();
      }
      const rows = vectors.map((embedding, i) => ({ tenantId: tenantOf(i), embedding }));
      const built: string[] = [];
      for (const [entity, table] of [[PartDoc, 'part_doc'], [SharedDoc, 'shared_doc']] as const) {
        const repo = dataSource.getRepository<Doc>(entity);
        for (let i = 0; i < rows.length; i += 2_000) await repo.insert(rows.slice(i, i + 2_000));
        const start = Date.now();
        const indexRunner = dataSource.createQueryRunner();
        try {
          await createVectorIndex(indexRunner, { table, column: 'embedding', metric: 'l2', dimensions: DIMENSIONS });
        } finally {
          await indexRunner.release();
        }
        built.push(`${table} ${((Date.now() - start) / 1000).toFixed(1)} s`);
        await dataSource.query(`ANALYZE "${table}"`);
      }
      const measured = [];
      for (const [name, entity] of [
        ['partitioned by tenant (LIST), HNSW per partition', PartDoc],
        ['one table, one HNSW index (+ B-tree on tenant), filtered findNearest', SharedDoc],
      ] as const) {
        measured.push({ name, ...(await measure(dataSource.getRepository<Doc>(entity), queries, truth)) });
      }
      const base = measured[0]!.median;
      const lines = measured.map((m) => `| ${m.name} | ${m.recall.toFixed(3)} | ${m.median.toFixed(2)} | ${(m.median / base).toFixed(2)} |`);
      return [
        `Tenant-filtered kNN (PostgreSQL): ${TENANTS} tenants x ${PER_TENANT} rows x ${DIMENSIONS} dims, ${QUERIES} queries, top ${K}, default settings; index builds: ${built.join(', ')}.`,
        '',
        '| layout | recall@10 | median ms / query | time over partitioned |',
        '|---|---|---|---|',
        ...lines,
      ].join('\n');
    } finally {
      await dataSource.destroy();
    }
  });
}

/** Recall@10 of findNearest filtered on each query's tenant, and its median time in ms (after one warm-up pass). */
async function measure(repo: Repository<Doc>, queries: Array<{ vector: number[]; tenant: number }>, truth: number[][]): Promise<{ recall: number; median: number }> {
  const search = (q: { vector: number[]; tenant: number }) => findNearest(repo, { column: 'embedding', vector: q.vector, limit: K, where: { tenantId: q.tenant } });
  for (const q of queries) await search(q);
  let hits = 0;
  const times: number[] = [];
  for (const [i, q] of queries.entries()) {
    const start = process.hrtime.bigint();
    const found = await search(q);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const expected = new Set(truth[i]);
    hits += found.filter((r) => expected.has(r.entity.id)).length;
  }
  times.sort((a, b) => a - b);
  return { recall: hits / (queries.length * K), median: times[Math.floor(times.length / 2)]! };
}

if (require.main === module) {
  (async () => {
    const servers = await startServers(['postgres']);
    try {
      console.log(await partitionsBenchmark(servers.urls.TEST_POSTGRES_URL));
    } finally {
      await servers.stop();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
