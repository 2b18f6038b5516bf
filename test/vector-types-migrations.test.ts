/**
 * Migrations of halfvec, bit and sparsevec columns on PostgreSQL: createVectorIndex picks the
 * operator class from the column's element type (the entity's @VectorColumn, else the column's
 * database type) without `elementType`, and a changed dimension count of such a column is altered
 * in place by migration:generate (guarded, or cleared when nullable), then finds no change.
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn, type DataSourceOptions } from 'typeorm';
import { createVectorIndex, dropVectorIndex, VectorColumn, VectorConfigurationError, VectorDataSource, VectorIndex, vectorIndexSql, type SparseVector } from '../src';
import { BACKENDS, rows } from './support/backends';

@Entity('mt_typed')
class Typed {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(3, { type: 'float16' }) half!: number[];
  @VectorColumn(8, { type: 'bit' }) hash!: string;
  @VectorColumn(5, { type: 'sparse' }) terms!: SparseVector;
}

const postgres = BACKENDS.find((backend) => backend.name === 'postgres');

(postgres ? describe : describe.skip)('halfvec, bit and sparsevec columns in migrations (PostgreSQL)', () => {
  let base: VectorDataSource;
  beforeAll(async () => {
    base = await postgres!.open([Typed]);
  });
  afterAll(() => postgres!.close(base));

  /** A second DataSource on the same database, with `entities` and no synchronize. */
  async function using<T>(entities: Function[], work: (dataSource: VectorDataSource) => Promise<T>): Promise<T> {
    const dataSource = await new VectorDataSource({ ...base.options, entities, synchronize: false } as DataSourceOptions).initialize();
    try {
      return await work(dataSource);
    } finally {
      await dataSource.destroy();
    }
  }
  const indexdefs = async () =>
    (await rows<{ indexdef: string }>(base, "SELECT indexdef FROM pg_indexes WHERE tablename = 'mt_typed' AND indexdef ~ 'hnsw' ORDER BY indexname")).map((r) => r.indexdef.replace(/ ON public\./, ' ON '));

  it('createVectorIndex without elementType takes the type from the entity, else from the column type, and dropVectorIndex drops it', async () => {
    const requests = [
      { table: 'mt_typed', column: 'half', metric: 'cosine' },
      { table: 'mt_typed', column: 'hash', metric: 'hamming' },
      { table: 'mt_typed', column: 'terms', metric: 'l2' },
    ] as const;
    expect(vectorIndexSql(base, requests[1]).up).toEqual(['CREATE INDEX "mt_typed_hash_hnsw_hamming" ON "mt_typed" USING hnsw ("hash" bit_hamming_ops) WITH (m = 16, ef_construction = 64)']);
    const expected = [
      "CREATE INDEX mt_typed_half_hnsw_cosine ON mt_typed USING hnsw (half halfvec_cosine_ops) WITH (m='16', ef_construction='64')",
      "CREATE INDEX mt_typed_hash_hnsw_hamming ON mt_typed USING hnsw (hash bit_hamming_ops) WITH (m='16', ef_construction='64')",
      "CREATE INDEX mt_typed_terms_hnsw_l2 ON mt_typed USING hnsw (terms sparsevec_l2_ops) WITH (m='16', ef_construction='64')",
    ];
    // From the entity's @VectorColumn.
    const runner = base.createQueryRunner();
    try {
      for (const request of requests) await createVectorIndex(runner, request);
      expect(await indexdefs()).toEqual(expected);
      for (const request of requests) await dropVectorIndex(runner, request);
      expect(await indexdefs()).toEqual([]);
    } finally {
      await runner.release();
    }
    // No entity maps the table: from the column's database type.
    await using([], async (bare) => {
      const bareRunner = bare.createQueryRunner();
      try {
        for (const request of requests) await createVectorIndex(bareRunner, request);
        expect(await indexdefs()).toEqual(expected);
        for (const request of requests) await dropVectorIndex(bareRunner, request);
        // A given elementType the column contradicts is refused before any DDL.
        await expect(createVectorIndex(bareRunner, { table: 'mt_typed', column: 'half', metric: 'cosine', elementType: 'float32' })).rejects.toThrow(
          new VectorConfigurationError("Column mt_typed.half is halfvec (float16 vectors) but elementType is 'float32'; pass elementType: 'float16' or change the column's type first."),
        );
      } finally {
        await bareRunner.release();
      }
    });
    expect(await indexdefs()).toEqual([]);
  });

  it('migration:generate alters a halfvec, bit or sparsevec column of another dimension count in place, around its index; a second run is clean', async () => {
    await base.query('CREATE TABLE mt_dims (id serial PRIMARY KEY, half halfvec(3), hash bit(8) NOT NULL, terms sparsevec(5))');
    await base.query("INSERT INTO mt_dims (half, hash, terms) SELECT '[1,2,3]', B'10101010', '{1:1}/5' FROM generate_series(1, 20)");
    await base.query('CREATE INDEX mt_dims_half_idx ON mt_dims USING hnsw (half halfvec_l2_ops)');
    @Entity('mt_dims')
    class Dims {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(4, { type: 'float16', nullable: true }) @VectorIndex({ metric: 'l2', name: 'mt_dims_half_idx' }) half!: number[] | null;
      @VectorColumn(12, { type: 'bit' }) hash!: string;
      @VectorColumn(6, { type: 'sparse', nullable: true }) terms!: SparseVector | null;
    }
    const generate = () =>
      using([Dims], async (dataSource) => {
        const sql = await dataSource.driver.createSchemaBuilder().log();
        return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query).reverse() };
      });
    const { up, down } = await generate();
    expect(up.join('\n')).not.toMatch(/DROP COLUMN|ADD "/);
    expect(up.filter((q) => !q.includes('DO $tv$'))).toEqual([
      '/* typeorm-vector: mt_dims.half changes from 3 to 4 dimensions: existing vectors must be re-embedded (they are cleared to NULL); its vector indexes are dropped first and recreated after */ DROP INDEX "mt_dims_half_idx"',
      'ALTER TABLE "mt_dims" ALTER COLUMN "half" TYPE halfvec(4) USING NULL',
      'CREATE INDEX "mt_dims_half_idx" ON "mt_dims" USING hnsw ("half" halfvec_l2_ops) WITH (m = 16, ef_construction = 64)',
      'ALTER TABLE "mt_dims" ALTER COLUMN "hash" TYPE bit(12)',
      '/* typeorm-vector: mt_dims.terms changes from 5 to 6 dimensions: existing vectors must be re-embedded (they are cleared to NULL) */ ALTER TABLE "mt_dims" ALTER COLUMN "terms" TYPE sparsevec(6) USING NULL',
    ]);
    // The NOT NULL bit column's guard names the rows of another length, before anything changes.
    const run = async (statements: string[]) => {
      const runner = base.createQueryRunner();
      try {
        await runner.startTransaction();
        for (const statement of statements) await runner.query(statement);
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      } finally {
        await runner.release();
      }
    };
    await expect(run(up)).rejects.toThrow(/mt_dims\.hash has 20 rows whose vectors do not have 12 dimensions \(id 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, \.\.\.\); re-embed them/);
    // A bit(8) value cannot become 12 bits: with no rows left the migration runs, and a second one finds nothing.
    await base.query('DELETE FROM mt_dims');
    await run(up);
    const types = () => rows(base, "SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'mt_dims'::regclass AND attnum > 1 ORDER BY attnum");
    expect(await types()).toEqual([
      { name: 'half', type: 'halfvec(4)' },
      { name: 'hash', type: 'bit(12)' },
      { name: 'terms', type: 'sparsevec(6)' },
    ]);
    await base.query("INSERT INTO mt_dims (half, hash, terms) VALUES ('[1,2,3,4]', B'101010101010', '{6:1}/6')");
    expect((await generate()).up).toEqual([]);
    await base.query('DELETE FROM mt_dims');
    await run(down);
    expect(await types()).toEqual([
      { name: 'half', type: 'halfvec(3)' },
      { name: 'hash', type: 'bit(8)' },
      { name: 'terms', type: 'sparsevec(5)' },
    ]);
    expect(await rows(base, "SELECT indexdef FROM pg_indexes WHERE indexname = 'mt_dims_half_idx'")).toEqual([{ indexdef: 'CREATE INDEX mt_dims_half_idx ON public.mt_dims USING hnsw (half halfvec_l2_ops)' }]);
  });
});
