/**
 * PostgreSQL: VectorDataSource makes `pg` parse `vector` values (by the type's OID) into
 * Float32Array. The OID changes when pgvector is dropped and created again on a live DataSource;
 * the parser must follow it, on a plain query and inside a transaction.
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import { parsePgvectorBinary, VectorColumn, type VectorDataSource } from '../src';
import { parsePgvectorBinaryNumbers } from '../src/codecs';
import { dialectOf } from '../src/dialects';
import { POSTGRES_FAMILY } from './support/backends';

@Entity('oid_item')
class OidItem {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(3, { as: 'float32array' }) embedding!: Float32Array;
}

const POSTGRES = POSTGRES_FAMILY;

async function vectorOid(dataSource: VectorDataSource): Promise<number> {
  const [row] = await dataSource.query(`SELECT oid FROM pg_type WHERE typname = 'vector'`);
  return Number(row.oid);
}

async function roundTrip(dataSource: VectorDataSource, values: number[]): Promise<void> {
  const repository = dataSource.getRepository(OidItem);
  const saved = await repository.save({ embedding: new Float32Array(values) });
  const loaded = await repository.findOneByOrFail({ id: saved.id });
  expect(loaded.embedding).toBeInstanceOf(Float32Array);
  expect(Array.from(loaded.embedding)).toEqual(values.map(Math.fround));
  const [raw] = await dataSource.query('SELECT embedding FROM oid_item WHERE id = $1', [saved.id]);
  expect(raw.embedding).toBeInstanceOf(Float32Array);
}

// Under TEST_BACKENDS without postgres the loop declares nothing, and Jest refuses a file without tests.
if (!POSTGRES.length) it.skip('needs postgres or pglite among TEST_BACKENDS', () => {});

for (const backend of POSTGRES) describe(`pg vector type parser on ${backend.name}`, () => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([OidItem]);
  });
  afterAll(() => backend.close(dataSource));

  it('follows the vector OID across DROP EXTENSION and CREATE EXTENSION on a live DataSource', async () => {
    await roundTrip(dataSource, [0.1, -0, 0.3]);
    const before = await vectorOid(dataSource);
    await dataSource.query('TRUNCATE oid_item');
    await dataSource.query('DROP EXTENSION vector CASCADE');
    await dataSource.query('CREATE EXTENSION vector');
    expect(await vectorOid(dataSource)).not.toBe(before);
    await dataSource.synchronize();
    await roundTrip(dataSource, [1.5, -2, 3.25]);
  });

  it('parsePgvectorBinary reads what vector_send writes, bit for bit', async () => {
    const values = [0.1, -0, 3.4028234663852886e38, -1e-30, 1e-45];
    const [row] = await dataSource.query(`SELECT vector_send(CAST($1 AS vector)) AS b`, [`[${values.map((v) => (Object.is(v, -0) ? '-0' : String(v))).join(',')}]`]);
    const decoded = parsePgvectorBinary(row.b, 'v');
    expect(Array.from(decoded)).toEqual(values.map(Math.fround));
    expect(Object.is(decoded[1], -0)).toBe(true);
    const numbers = parsePgvectorBinaryNumbers(row.b, 'v');
    expect(numbers).toEqual(values.map(Math.fround));
    expect(Object.is(numbers[1], -0)).toBe(true);
  });

  it('a query vector bound as the codec binds it (pgvector binary on pg, text on PGlite) reaches the server as exactly its float32 (and float16) values', async () => {
    const values = new Float32Array([0.1, -0, 3.4028234663852886e38, -1e-30, 1e-45, 123456.789]);
    const halfValues = new Float32Array([0.0999755859375, -0, 65504, -2, 5.960464477539063e-8]);
    const { codec, codecs } = dialectOf(dataSource);
    const half = codecs!.float16!;
    const bound = codec.encodeParameter ? codec.encodeParameter(values, 'q') : codec.encode(values, 'q');
    const halfBound = half.encodeParameter ? half.encodeParameter(halfValues, 'q') : half.encode(halfValues, 'q');
    // pg sends a Buffer in binary format (vector_recv, halfvec_recv); PGlite serializes parameters as text.
    expect(bound instanceof Buffer).toBe(backend.name === 'postgres');
    expect(halfBound instanceof Buffer).toBe(backend.name === 'postgres');
    const [row] = await dataSource.query(`SELECT vector_send(${codec.parameterSql('$1')}) AS v, halfvec_send(${half.parameterSql('$2')}) AS h`, [bound, halfBound]);
    expect(Object.is(parsePgvectorBinary(row.v, 'v')[1], -0)).toBe(true);
    expect(Array.from(parsePgvectorBinary(row.v, 'v'))).toEqual(Array.from(values));
    const [text] = await dataSource.query(`SELECT ${half.parameterSql('$1')}::text AS h`, [halfBound]);
    expect(text.h).toBe('[0.099975586,-0,65504,-2,5.9604645e-08]');
  });

  it("reads vectors back from TypeORM's query-result cache (rows stored as JSON)", async () => {
    const cached = await backend.open([OidItem], { cache: true });
    try {
      const repository = cached.getRepository(OidItem);
      // JSON (the cache's format) writes -0 as 0, so the cached round trip is exact for every other value.
      await repository.save({ embedding: new Float32Array([0.5, -1e-30, 2]) });
      for (let i = 0; i < 2; i++) {
        const [item] = await repository.createQueryBuilder('i').cache(60_000).getMany();
        expect(item!.embedding).toBeInstanceOf(Float32Array);
        expect(Array.from(item!.embedding)).toEqual([0.5, Math.fround(-1e-30), 2]);
      }
    } finally {
      await backend.close(cached);
    }
  });

  it('follows it when a migration recreates the extension inside a transaction', async () => {
    const before = await vectorOid(dataSource);
    await dataSource.query('TRUNCATE oid_item');
    const queryRunner = dataSource.createQueryRunner();
    await queryRunner.startTransaction();
    try {
      await queryRunner.query('DROP EXTENSION vector CASCADE');
      await queryRunner.query('CREATE EXTENSION vector');
      await queryRunner.query('ALTER TABLE oid_item ADD COLUMN embedding vector(3)');
      await queryRunner.query(`INSERT INTO oid_item (embedding) VALUES ('[4,5,6]')`);
      const [row] = await queryRunner.query('SELECT embedding FROM oid_item ORDER BY id DESC LIMIT 1');
      expect(row.embedding).toBeInstanceOf(Float32Array);
      await queryRunner.commitTransaction();
    } finally {
      await queryRunner.release();
    }
    expect(await vectorOid(dataSource)).not.toBe(before);
    await dataSource.synchronize();
    await roundTrip(dataSource, [7, 8, 9]);
  });
});
