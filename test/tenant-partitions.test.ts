/**
 * Per-tenant partitions on PostgreSQL: a table partitioned by LIST (and one by HASH) on its tenant
 * column, created by a migration; `createVectorIndex` on the parent puts an HNSW index on every
 * partition, including one `addTablePartition` adds afterwards; `findNearest` filtered on the
 * tenant is pruned to that tenant's partition and reads its index (the plan, by explainNearest),
 * with the exact answer; the entity's schema then needs no migration (`migration:generate` clean).
 * Bad partition bounds are refused before any SQL. (SQLite's vec0 partition keys are tested in
 * test/vec0-filtered-search.test.ts.)
 */
import 'reflect-metadata';
import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn, type QueryRunner } from 'typeorm';
import {
  addTablePartition,
  createVectorIndex,
  dropTablePartition,
  explainNearest,
  findNearest,
  UnsupportedVectorFeatureError,
  VectorColumn,
  VectorConfigurationError,
  VectorIndex,
  type VectorDataSource,
} from '../src';
import { BACKENDS, POSTGRES_FAMILY, recordQueries, rows } from './support/backends';
import { l2, randomVectors } from './support/vectors';

const INDEX = 'tenant_doc_embedding_hnsw_l2';

@Entity('tenant_doc')
class TenantDoc {
  @PrimaryGeneratedColumn() id!: number;
  @PrimaryColumn({ type: 'integer', name: 'tenant_id' }) tenantId!: number;
  @VectorColumn(8) @VectorIndex({ metric: 'l2', name: INDEX }) embedding!: number[];
}

/** The migration that creates the partitioned table (TypeORM cannot declare partitioning) and its vector index, on the parent. */
async function createPartitionedTable(runner: QueryRunner, by: 'LIST' | 'HASH'): Promise<void> {
  await runner.query(
    `CREATE TABLE "tenant_doc" ("id" SERIAL NOT NULL, "tenant_id" integer NOT NULL, "embedding" vector(8) NOT NULL, CONSTRAINT "PK_tenant_doc" PRIMARY KEY ("id", "tenant_id")) PARTITION BY ${by} ("tenant_id")`,
  );
}

// 1,000 rows a tenant: enough that the planner reads a partition through its index rather than sorting it.
const vectors = randomVectors(3000, 8, 71);
const query = randomVectors(1, 8, 72)[0]!;

for (const backend of POSTGRES_FAMILY) {
  describe(`per-tenant partitions on ${backend.name}`, () => {
    let dataSource: VectorDataSource;
    const repo = () => dataSource.getRepository(TenantDoc);
    const indexesOf = async () =>
      (
        await rows<{ table: string; index: string }>(
          dataSource,
          "SELECT c.relname AS table, i.relname AS index FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_am a ON a.oid = i.relam WHERE a.amname = 'hnsw' ORDER BY 1",
        )
      ).map((r) => r.table);

    beforeAll(async () => {
      dataSource = await backend.open([TenantDoc], { synchronize: false });
      const runner = dataSource.createQueryRunner();
      try {
        await createPartitionedTable(runner, 'LIST');
        for (const tenant of [1, 2]) await addTablePartition(runner, { table: 'tenant_doc', partition: `tenant_doc_${tenant}`, values: [tenant] });
        await createVectorIndex(runner, { table: 'tenant_doc', column: 'embedding', metric: 'l2', name: INDEX });
        // A tenant added after the index: its partition gets the index from the parent.
        await addTablePartition(runner, { table: 'tenant_doc', partition: 'tenant_doc_3', values: [3] });
        await addTablePartition(runner, { table: 'tenant_doc', partition: 'tenant_doc_rest', default: true });
      } finally {
        await runner.release();
      }
      await repo().insert(vectors.map((embedding, i) => ({ tenantId: 1 + (i % 3), embedding })));
      await dataSource.query('ANALYZE tenant_doc');
    });
    afterAll(() => backend.close(dataSource));

    it('the HNSW index of the parent is on every partition, one added after it included', async () => {
      expect(await indexesOf()).toEqual(['tenant_doc', 'tenant_doc_1', 'tenant_doc_2', 'tenant_doc_3', 'tenant_doc_rest']);
    });

    it("findNearest with where: { tenantId } is pruned to the tenant's partition, reads its HNSW index, and returns the exact nearest of that tenant", async () => {
      const explained = await explainNearest(repo(), { column: 'embedding', vector: query, limit: 5, where: { tenantId: 3 } });
      expect(explained).toMatchObject({ usesIndex: true, index: INDEX, strategy: 'index-iterative' });
      expect(explained.plan).toMatch(/Index Scan using tenant_doc_3_embedding_idx on tenant_doc_3/);
      expect(explained.plan).not.toMatch(/tenant_doc_(1|2|rest)\b/);
      const found = await findNearest(repo(), { column: 'embedding', vector: query, limit: 5, where: { tenantId: 3 } });
      const exact = vectors
        .map((v, i) => ({ id: i + 1, tenant: 1 + (i % 3), d: l2(v, query) }))
        .filter((r) => r.tenant === 3)
        .sort((a, b) => a.d - b.d)
        .slice(0, 5);
      expect(found.map((r) => r.entity.id)).toEqual(exact.map((r) => r.id));
      expect(found.every((r) => r.entity.tenantId === 3)).toBe(true);
    });

    it('the entity needs no migration afterwards (migration:generate stays clean)', async () => {
      const sql = await dataSource.driver.createSchemaBuilder().log();
      expect(sql.upQueries.map((q) => q.query)).toEqual([]);
    });

    it('addTablePartition and dropTablePartition send one statement each, bounds as literals, HASH bounds too', async () => {
      const runner = dataSource.createQueryRunner();
      try {
        const sent = await recordQueries(dataSource, async () => {
          await addTablePartition(runner, { table: 'tenant_doc', partition: 'tenant_doc_x', values: [7, 8] });
          await dropTablePartition(runner, { table: 'tenant_doc', partition: 'tenant_doc_x', values: [7, 8] });
        });
        expect(sent.map((q) => q.query)).toEqual(['CREATE TABLE "tenant_doc_x" PARTITION OF "tenant_doc" FOR VALUES IN (7, 8)', 'DROP TABLE "tenant_doc_x"']);
        await runner.query('CREATE TABLE "hashed_doc" ("id" SERIAL NOT NULL, "tenant" text NOT NULL, "embedding" vector(8), PRIMARY KEY ("id", "tenant")) PARTITION BY HASH ("tenant")');
        await createVectorIndex(runner, { table: 'hashed_doc', column: 'embedding', metric: 'cosine', dimensions: 8 });
        for (const remainder of [0, 1]) await addTablePartition(runner, { table: 'hashed_doc', partition: `hashed_doc_${remainder}`, modulus: 2, remainder });
        expect((await indexesOf()).filter((t) => t.startsWith('hashed'))).toEqual(['hashed_doc', 'hashed_doc_0', 'hashed_doc_1']);
        const quoted = await recordQueries(dataSource, () => addTablePartition(runner, { table: 'tenant_doc', partition: 'tenant_doc_q', values: ["o'brien"] }).catch(() => undefined));
        expect(quoted[0]?.query).toBe(`CREATE TABLE "tenant_doc_q" PARTITION OF "tenant_doc" FOR VALUES IN ('o''brien')`);
      } finally {
        await runner.release();
      }
    });

    it.each([
      [{ table: 'tenant_doc', partition: 'p; DROP TABLE x', values: [1] }, /addTablePartition partition "p; DROP TABLE x" is not a plain table name/],
      [{ table: 'tenant_doc', partition: 'p', values: [] }, /addTablePartition values \[\] must be a non-empty list of integers or strings/],
      [{ table: 'tenant_doc', partition: 'p', values: [1.5] }, /values \[1\.5\] must be a non-empty list/],
      [{ table: 'tenant_doc', partition: 'p', modulus: 2, remainder: 2 }, /modulus 2 and remainder 2 must be integers with 0 <= remainder < modulus/],
      [{ table: 'tenant_doc', partition: 'p', values: [1], modulus: 2, remainder: 0 }, /needs exactly one of values, modulus with remainder, or default: true/],
      [{ table: 'tenant_doc', partition: 'p', values: [1], tenant: 1 }, /addTablePartition has no option 'tenant'/],
    ])('refuses %j before any SQL', async (bad, message) => {
      const runner = dataSource.createQueryRunner();
      try {
        const sent = await recordQueries(dataSource, () => expect(addTablePartition(runner, bad as never)).rejects.toThrow(VectorConfigurationError));
        expect(sent).toEqual([]);
        await expect(addTablePartition(runner, bad as never)).rejects.toThrow(message);
      } finally {
        await runner.release();
      }
    });
  });
}

for (const backend of BACKENDS.filter((b) => b.name === 'sqlite')) {
  it(`addTablePartition on ${backend.name} says what to use instead`, async () => {
    const dataSource = await backend.open([TenantDoc], { synchronize: false });
    try {
      await expect(addTablePartition(dataSource.createQueryRunner(), { table: 'tenant_doc', partition: 'p', values: [1] })).rejects.toThrow(
        new UnsupportedVectorFeatureError(
          'addTablePartition needs native table partitions, which SQLite (sqlite-vec) does not have; on SQLite use a vec0 index with partitionKey, on libSQL one database per tenant.',
        ),
      );
    } finally {
      await backend.close(dataSource);
    }
  });
}
