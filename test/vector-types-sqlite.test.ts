/**
 * int8 and bit vectors on SQLite with sqlite-vec: BLOB columns read through `vec_int8` / `vec_bit`,
 * indexed by vec0 `int8[N]` / `bit[N]` tables; values read back exactly; a second
 * migration:generate finds nothing; types and sizes sqlite-vec lacks refused when the DataSource starts.
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn, type DataSourceOptions } from 'typeorm';
import { findNearest, searchNearest, UnsupportedVectorFeatureError, VectorColumn, VectorDataSource, VectorIndex } from '../src';
import { BACKENDS, recordQueries, rows } from './support/backends';
import { clusteredVectors, cosineDistance } from './support/vectors';

@Entity('sq_codes')
class Codes {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(4, { type: 'int8' })
  @VectorIndex({ metric: 'l2' })
  codes!: number[];
  @VectorColumn(4, { type: 'int8', nullable: true, as: 'int8array', sizeCheck: true }) raw!: Int8Array | null;
  @VectorColumn(16, { type: 'bit' })
  @VectorIndex({ metric: 'hamming' })
  hash!: string;
}

const sqlite = BACKENDS.find((backend) => backend.name === 'sqlite');

(sqlite ? describe : describe.skip)('int8 and bit vectors on SQLite (sqlite-vec)', () => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await sqlite!.open([Codes]);
  });
  afterAll(() => sqlite!.close(dataSource));

  it('creates vec0 int8[N] and bit[N] tables, and a second migration:generate finds nothing', async () => {
    const tables = await rows<{ sql: string }>(dataSource, "SELECT sql FROM sqlite_master WHERE sql LIKE '%USING vec0%' ORDER BY name");
    expect(tables.map((t) => t.sql)).toEqual([
      'CREATE VIRTUAL TABLE "sq_codes_codes_vec0_l2" USING vec0(codes int8[4] distance_metric=l2)',
      'CREATE VIRTUAL TABLE "sq_codes_hash_vec0_hamming" USING vec0(hash bit[16])',
    ]);
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
  });

  it('stores int8 values exactly, refuses values outside -128..127 before any SQL, and searches through the vec0 table', async () => {
    const repo = dataSource.getRepository(Codes);
    const saved = await repo.save([
      repo.create({ codes: [1, -2, 3, 127], raw: Int8Array.of(-128, 0, 5, 9), hash: '1111000000000000' }),
      repo.create({ codes: [-128, 0, 0, 5], raw: null, hash: '1110000000000001' }),
      repo.create({ codes: [10, 10, 10, 10], raw: null, hash: '0000000011111111' }),
    ]);
    const loaded = await repo.findOneByOrFail({ id: saved[0]!.id });
    expect(loaded.codes).toEqual([1, -2, 3, 127]);
    expect(loaded.raw).toEqual(Int8Array.of(-128, 0, 5, 9));
    expect(loaded.hash).toBe('1111000000000000');
    expect(await rows(dataSource, 'SELECT hex(codes) AS codes, hex(hash) AS hash FROM sq_codes WHERE id = ?', [saved[0]!.id])).toEqual([{ codes: '01FE037F', hash: 'F000' }]);
    await expect(repo.save(repo.create({ codes: [1, 2, 3, 128], hash: '0'.repeat(16) }))).rejects.toThrow(
      'Codes.codes element 3 is 128; every element of an int8 vector must be an integer from -128 to 127 (quantize it first).',
    );
    expect(await repo.count()).toBe(3);
    const viaIndex = await searchNearest(repo, { column: 'codes', vector: Int8Array.of(9, 9, 9, 9), metric: 'l2', limit: 2 });
    expect(viaIndex.index).toBe('sq_codes_codes_vec0_l2');
    expect(viaIndex.rows.map((n) => [n.entity.id, n.distance])).toEqual([
      [saved[2]!.id, 2],
      [saved[0]!.id, Math.fround(Math.sqrt(64 + 121 + 36 + 118 * 118))],
    ]);
    const exact = await findNearest(repo, { column: 'codes', vector: [9, 9, 9, 9], metric: 'l2', limit: 2, useIndex: false });
    expect(exact.map((n) => n.entity.id)).toEqual(viaIndex.rows.map((n) => n.entity.id));
    const cosine = await findNearest(repo, { column: 'codes', vector: [1, 1, 1, 1], metric: 'cosine', limit: 1 });
    expect(cosine.map((n) => n.entity.id)).toEqual([saved[2]!.id]);
    const hamming = await searchNearest(repo, { column: 'hash', vector: '1111000000000001', metric: 'hamming', limit: 3 });
    expect(hamming.index).toBe('sq_codes_hash_vec0_hamming');
    expect(hamming.rows.map((n) => [n.entity.id, n.distance])).toEqual([
      [saved[0]!.id, 1],
      [saved[1]!.id, 1],
      [saved[2]!.id, 11],
    ]);
    // sizeCheck: a BLOB of another size is refused whoever writes it.
    await expect(dataSource.query('UPDATE sq_codes SET raw = ? WHERE id = ?', [Buffer.from([1, 2, 3]), saved[1]!.id])).rejects.toThrow(/CHECK constraint failed/);
    await repo.delete({ id: saved[0]!.id });
    expect((await findNearest(repo, { column: 'hash', vector: '1111000000000000', metric: 'hamming', limit: 1 })).map((n) => n.entity.id)).toEqual([saved[1]!.id]);
  });
});

@Entity('sq_binary')
class SqBinary {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(64)
  @VectorIndex({ metric: 'cosine', storage: 'binary' })
  embedding!: number[];
}

(sqlite ? describe : describe.skip)("storage: 'binary' on SQLite (sqlite-vec): a vec0 bit[N] table of vec_quantize_binary codes, re-ranked by the exact metric", () => {
  let dataSource: VectorDataSource;
  const all = clusteredVectors(410, 64, 5, 10, 0.5);
  const vectors = all.slice(0, 400);
  const queries = all.slice(400);
  beforeAll(async () => {
    dataSource = await sqlite!.open([SqBinary]);
    await dataSource.getRepository(SqBinary).insert(vectors.map((embedding) => ({ embedding })));
  });
  afterAll(() => sqlite!.close(dataSource));

  it('creates the vec0 bit[N] table filled by vec_quantize_binary, finds no change on a second migration:generate, and re-ranks in one query', async () => {
    expect(await rows(dataSource, "SELECT sql FROM sqlite_master WHERE name IN ('sq_binary_embedding_vec0_cosine', 'sq_binary_embedding_vec0_cosine_insert') ORDER BY name")).toEqual([
      { sql: 'CREATE VIRTUAL TABLE "sq_binary_embedding_vec0_cosine" USING vec0(embedding bit[64])' },
      { sql: 'CREATE TRIGGER "sq_binary_embedding_vec0_cosine_insert" AFTER INSERT ON "sq_binary" WHEN NEW."embedding" IS NOT NULL BEGIN INSERT INTO "sq_binary_embedding_vec0_cosine"(rowid, "embedding") VALUES (NEW.rowid, vec_quantize_binary(NEW."embedding")); END' },
    ]);
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
    const repo = dataSource.getRepository(SqBinary);
    const recorded = await recordQueries(dataSource, () => searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10 }));
    const selects = recorded.filter((q) => q.query.startsWith('SELECT') && q.query.includes('sq_binary'));
    expect(selects).toHaveLength(1);
    expect(selects[0]!.query).toContain('"entity".rowid IN (SELECT rowid FROM "sq_binary_embedding_vec0_cosine" WHERE "embedding" MATCH vec_quantize_binary(?) AND k = 200)');
    let found = 0;
    for (const query of queries) {
      const { rows: near, index, strategy } = await searchNearest(repo, { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
      expect({ index, strategy }).toEqual({ index: 'sq_binary_embedding_vec0_cosine', strategy: 'index' });
      for (const n of near) expect(n.distance).toBeCloseTo(cosineDistance(vectors[n.entity.id - 1]!, query), 5);
      const exact = vectors.map((v, i) => ({ id: i + 1, d: cosineDistance(v, query) })).sort((a, b) => a.d - b.d).slice(0, 10);
      found += near.filter((n) => exact.some((e) => e.id === n.entity.id)).length;
    }
    expect(found / (10 * queries.length)).toBeGreaterThanOrEqual(0.9);
    const narrow = await searchNearest(repo, { column: 'embedding', vector: queries[0]!, metric: 'cosine', limit: 10, search: { rerank: 2 } });
    expect(narrow.scanned).toBe(20);
  });
});

describe('int8 and bit refusals on SQLite (sqlite-vec) when the DataSource starts', () => {
  const build = async (entity: Function) => {
    const dataSource = new VectorDataSource({ type: 'better-sqlite3', database: ':memory:', entities: [entity] } as DataSourceOptions);
    await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  };
  it('refuses a bit column whose size is not whole bytes, and metrics a type lacks', async () => {
    @Entity('sq_odd') class Odd { @PrimaryGeneratedColumn() id!: number; @VectorColumn(12, { type: 'bit' }) hash!: string; }
    await expect(build(Odd)).rejects.toThrow(
      new UnsupportedVectorFeatureError("Odd.hash has 12 dimensions but SQLite (sqlite-vec) stores bit vectors in whole units of 8; use @VectorColumn(16, { type: 'bit' }) (pad with zeros)."),
    );
    @Entity('sq_bad_metric') class BadMetric { @PrimaryGeneratedColumn() id!: number; @VectorColumn(8, { type: 'bit' }) @VectorIndex({ metric: 'jaccard' }) hash!: string; }
    await expect(build(BadMetric)).rejects.toThrow("SQLite (sqlite-vec) has no 'jaccard' distance on bit vectors; use 'hamming' instead.");
  });
});

@Entity('lib_bits')
class LibBits {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(12, { type: 'bit' })
  @VectorIndex({ metric: 'hamming' })
  hash!: string;
  @VectorColumn(9, { type: 'bit', nullable: true, as: 'uint8array', sizeCheck: true }) packed!: Uint8Array | null;
}

describe.each(BACKENDS.filter((backend) => backend.name.startsWith('libsql')))('bit vectors on $name (F1BIT_BLOB)', (backend) => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([LibBits]);
  });
  afterAll(() => backend.close(dataSource));

  it("creates F1BIT_BLOB(N) with a DiskANN index (libSQL's cosine of bits is their Hamming distance), reads bits back exactly, and a second migration:generate finds nothing", async () => {
    expect(await rows(dataSource, "SELECT name, type FROM pragma_table_info('lib_bits') WHERE name <> 'id'")).toEqual([
      { name: 'hash', type: 'F1BIT_BLOB(12)' },
      { name: 'packed', type: 'F1BIT_BLOB(9)' },
    ]);
    expect(await rows(dataSource, "SELECT sql FROM sqlite_master WHERE name = 'lib_bits_hash_diskann_hamming'")).toEqual([
      { sql: `CREATE INDEX "lib_bits_hash_diskann_hamming" ON "lib_bits" (libsql_vector_idx("hash", 'metric=cosine', 'max_neighbors=64', 'compress_neighbors=float32'))` },
    ]);
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
    const repo = dataSource.getRepository(LibBits);
    const saved = await repo.save([
      repo.create({ hash: '101011110001', packed: Uint8Array.of(0b10000000, 0b10000000) }),
      repo.create({ hash: '010000000001', packed: null }),
      repo.create({ hash: '111111111111', packed: null }),
    ]);
    const loaded = await repo.findOneByOrFail({ id: saved[0]!.id });
    expect(loaded).toMatchObject({ hash: '101011110001', packed: Uint8Array.of(0b10000000, 0b10000000) });
    // libSQL reads the BLOB typeorm-vector wrote as the same bits (as +1 / -1).
    expect(await rows(dataSource, 'SELECT vector_extract(hash) AS v FROM lib_bits WHERE id = ?', [saved[0]!.id])).toEqual([{ v: '[1,-1,1,-1,1,1,1,1,-1,-1,-1,1]' }]);
    const { rows: near, index } = await searchNearest(dataSource.getRepository(LibBits), { column: 'hash', vector: '101011110001', metric: 'hamming', limit: 3 });
    expect(index).toBe('lib_bits_hash_diskann_hamming');
    expect(near.map((n) => [n.entity.id, n.distance])).toEqual([
      [saved[0]!.id, 0],
      [saved[2]!.id, 5],
      [saved[1]!.id, 7],
    ]);
    const exact = await findNearest(repo, { column: 'hash', vector: '101011110001', metric: 'hamming', limit: 3, useIndex: false });
    expect(exact.map((n) => n.distance)).toEqual([0, 5, 7]);
    // sizeCheck: vector1bit's own BLOB of 9 bits fits, one of 25 bits (7 bytes, not 5) does not.
    await dataSource.query("UPDATE lib_bits SET packed = vector1bit('[1,0,0,0,0,0,0,0,1]') WHERE id = ?", [saved[1]!.id]);
    await expect(dataSource.query(`UPDATE lib_bits SET packed = vector1bit('[${Array(25).fill(1).join(',')}]') WHERE id = ?`, [saved[1]!.id])).rejects.toThrow(/CHECK constraint failed/);
  });

  it("refuses int8: libSQL's F8_BLOB holds 8-bit quantized floats, which do not read back as the integers written", async () => {
    expect(await rows(dataSource, "SELECT vector_extract(vector8('[1,2,3]')) AS a, vector_extract(vector8('[-128,0,127]')) AS b")).toEqual([{ a: '[1,1.99608,3]', b: '[-128,0,127]' }]);
    @Entity('lib_codes') class LibCodes { @PrimaryGeneratedColumn() id!: number; @VectorColumn(3, { type: 'int8' }) codes!: number[]; }
    const refused = new VectorDataSource({ ...dataSource.options, entities: [LibCodes] } as DataSourceOptions);
    await expect((refused as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas()).rejects.toThrow(
      new UnsupportedVectorFeatureError(
        "LibCodes.codes is a int8 @VectorColumn but libSQL has no int8 vectors; libSQL's F8_BLOB is not int8 but 8-bit quantized floats (each vector scaled between its own minimum and maximum in 256 steps, so [1, 2, 3] reads back as [1, 1.99608, 3]): store the column as 'float16' (F16_BLOB) or 'float32', or use SQLite with sqlite-vec for exact int8 vectors.",
      ),
    );
  });
});
