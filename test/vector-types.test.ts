/**
 * Vector element types (float16, int8, bit, sparse) and index storage (halfvec for embeddings over
 * 2,000 dimensions): the pure codecs first, then PostgreSQL on the real database, then the refusal
 * of every type a backend lacks, when the DataSource starts.
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn, type DataSourceOptions } from 'typeorm';
import {
  explainNearest,
  findNearest,
  libsql,
  MAX_FLOAT16,
  orderByDistance,
  orderByHamming,
  orderByJaccard,
  packBits,
  parseSparsevecText,
  roundToFloat16,
  searchNearest,
  toSparsevecText,
  unpackBits,
  UnsupportedVectorFeatureError,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorDimensionError,
  VectorIndex,
  VectorValueError,
  type SparseVector,
  type VectorElementType,
} from '../src';
import { decodeFloat16Bytes, ELEMENT_VALUES, encodeFloat16Bytes } from '../src/codecs';
import { BACKENDS, POSTGRES_FAMILY, rows } from './support/backends';
import { cosineDistance, l2, randomVectors, seededRandom } from './support/vectors';

describe('element type codecs', () => {
  it('rounds to float16 to nearest, ties to even, keeping -0, subnormals and 65504', () => {
    expect(roundToFloat16(0.1)).toBe(0.0999755859375);
    expect(roundToFloat16(1 / 3)).toBe(0.333251953125);
    expect(roundToFloat16(2049)).toBe(2048);
    expect(roundToFloat16(2051)).toBe(2052);
    expect(roundToFloat16(MAX_FLOAT16)).toBe(65504);
    expect(roundToFloat16(65519)).toBe(65504);
    expect(roundToFloat16(65520)).toBe(Infinity);
    expect(roundToFloat16(3e-8)).toBe(2 ** -24);
    expect(roundToFloat16(1e-8)).toBe(0);
    expect(Object.is(roundToFloat16(-1e-9), -0)).toBe(true);
    expect(roundToFloat16(-1.0009765625)).toBe(-1.0009765625);
  });

  it('validates each type before any SQL, one sentence naming the value and the fix', () => {
    const bytes = encodeFloat16Bytes(new Float32Array([1, -2, 0.0999755859375, 2 ** -24, -0, 65504]));
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x00, 0x3c, 0x00, 0xc0]);
    expect(decodeFloat16Bytes(bytes)).toEqual(new Float32Array([1, -2, 0.0999755859375, 2 ** -24, -0, 65504]));
    expect(() => ELEMENT_VALUES.float16.validate([1, 70000], 2, 'Doc.half')).toThrow(
      new VectorValueError('Doc.half element 1 is 70000, which overflows float16; keep every element within ±65504 or store the column as float32.'),
    );
    expect(Array.from(ELEMENT_VALUES.float16.validate([0.1, -65504], 2, 'q'))).toEqual([0.0999755859375, -65504]);
    expect(() => ELEMENT_VALUES.int8.validate([1, 128], 2, 'Doc.codes')).toThrow(/element 1 is 128; every element of an int8 vector must be an integer from -128 to 127/);
    expect(() => ELEMENT_VALUES.int8.validate([1.5], 1, 'Doc.codes')).toThrow(VectorValueError);
    expect(ELEMENT_VALUES.int8.validate([-128, 127], 2, 'q')).toEqual(Int8Array.from([-128, 127]));
    expect(() => ELEMENT_VALUES.bit.validate('1010', 8, 'Doc.hash')).toThrow(new VectorDimensionError('Doc.hash expects 8 bits but the vector has 4; pass 8 bits.'));
    expect(() => ELEMENT_VALUES.bit.validate('10x0', 4, 'Doc.hash')).toThrow(/has "x" at position 2/);
    expect(() => ELEMENT_VALUES.bit.validate(Uint8Array.of(0b10101111), 4, 'Doc.hash')).toThrow(/bits set past bit 4/);
    expect(ELEMENT_VALUES.bit.validate(Uint8Array.of(0b10100000), 4, 'q')).toBe('1010');
    expect(ELEMENT_VALUES.bit.validate([1, 0, true, false], 4, 'q')).toBe('1010');
    const sparse = (value: unknown, max?: number) => ELEMENT_VALUES.sparse.validate(value, 5, 'Doc.terms', { maxNonZero: max });
    expect(() => sparse({ indices: [3, 1], values: [1, 2], dimensions: 5 })).toThrow(new VectorValueError('Doc.terms index 1 is 1, after 3; list the indices in ascending order, each once.'));
    expect(() => sparse({ indices: [1, 1], values: [1, 2], dimensions: 5 })).toThrow(/ascending order, each once/);
    expect(() => sparse({ indices: [5], values: [1], dimensions: 5 })).toThrow(/index 0 is 5; every index must be an integer from 0 to 4/);
    expect(() => sparse({ indices: [0], values: [1], dimensions: 6 })).toThrow(VectorDimensionError);
    expect(() => sparse({ indices: [0, 1], values: [1], dimensions: 5 })).toThrow(/2 indices but 1 values/);
    expect(() => sparse({ indices: [0, 1], values: [1, 2], dimensions: 5 }, 1)).toThrow(/2 non-zero elements, more than the 1 its vector index takes/);
    expect(sparse({ indices: [0, 2], values: [0, 2.5], dimensions: 5 })).toEqual({ indices: [2], values: [2.5], dimensions: 5 });
    expect(sparse([0, 1.5, 0, 0, -1])).toEqual({ indices: [1, 4], values: [1.5, -1], dimensions: 5 });
  });

  it('packs bits first bit high, and writes sparsevec text 1-based', () => {
    expect(packBits('101000001')).toEqual(Uint8Array.of(0b10100000, 0b10000000));
    expect(unpackBits(Uint8Array.of(0b10100000, 0b10000000), 9)).toBe('101000001');
    const vector: SparseVector = { indices: [0, 7], values: [0.5, 2], dimensions: 10 };
    expect(toSparsevecText(vector)).toBe('{1:0.5,8:2}/10');
    expect(parseSparsevecText('{1:0.5,8:2}/10', 'q')).toEqual(vector);
    expect(parseSparsevecText('{}/3', 'q')).toEqual({ indices: [], values: [], dimensions: 3 });
  });
});

@Entity('half_doc')
class HalfDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(3, { type: 'float16' })
  @VectorIndex({ metric: 'cosine' })
  half!: number[];
  @VectorColumn(3, { type: 'float16', nullable: true, as: 'float32array' }) draft!: Float32Array | null;
}

@Entity('bit_doc')
class BitDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(12, { type: 'bit' })
  @VectorIndex({ metric: 'hamming' })
  @VectorIndex({ metric: 'jaccard' })
  hash!: string;
  @VectorColumn(12, { type: 'bit', nullable: true, as: 'uint8array' }) packed!: Uint8Array | null;
}

@Entity('sparse_doc')
class SparseDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(6, { type: 'sparse' })
  @VectorIndex({ metric: 'l2' })
  terms!: SparseVector;
  @VectorColumn(6, { type: 'sparse', nullable: true, as: 'array' }) dense!: number[] | null;
}

const BIG = 3072;

@Entity('big_doc')
class BigDoc {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(BIG)
  @VectorIndex({ metric: 'cosine', storage: 'halfvec' })
  embedding!: number[];
}

for (const postgres of POSTGRES_FAMILY) describe(`element types on PostgreSQL (pgvector) on ${postgres.name}`, () => {
  let dataSource: VectorDataSource;
  const bigVectors = randomVectors(40, BIG, 12);
  beforeAll(async () => {
    dataSource = await postgres!.open([HalfDoc, BitDoc, SparseDoc, BigDoc]);
    await dataSource.getRepository(BigDoc).insert(bigVectors.map((embedding) => ({ embedding })));
  });
  afterAll(() => postgres!.close(dataSource));

  it('creates halfvec(N), bit(N), sparsevec(N) columns and indexes with the operator class of type and metric', async () => {
    const types = await rows(
      dataSource,
      `SELECT c.relname || '.' || a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       WHERE c.relname IN ('half_doc', 'bit_doc', 'sparse_doc', 'big_doc') AND a.attnum > 0 AND a.attname <> 'id' AND NOT a.attisdropped ORDER BY 1`,
    );
    expect(types).toEqual([
      { name: 'big_doc.embedding', type: 'vector(3072)' },
      { name: 'bit_doc.hash', type: 'bit(12)' },
      { name: 'bit_doc.packed', type: 'bit(12)' },
      { name: 'half_doc.draft', type: 'halfvec(3)' },
      { name: 'half_doc.half', type: 'halfvec(3)' },
      { name: 'sparse_doc.dense', type: 'sparsevec(6)' },
      { name: 'sparse_doc.terms', type: 'sparsevec(6)' },
    ]);
    const indexes = await rows<{ indexdef: string }>(dataSource, "SELECT indexdef FROM pg_indexes WHERE indexdef ~ 'USING hnsw' ORDER BY indexname");
    expect(indexes.map((row) => row.indexdef.replace(/ ON \w+\./, ' ON '))).toEqual([
      "CREATE INDEX big_doc_embedding_hnsw_cosine ON big_doc USING hnsw (((embedding)::halfvec(3072)) halfvec_cosine_ops) WITH (m='16', ef_construction='64')",
      "CREATE INDEX bit_doc_hash_hnsw_hamming ON bit_doc USING hnsw (hash bit_hamming_ops) WITH (m='16', ef_construction='64')",
      "CREATE INDEX bit_doc_hash_hnsw_jaccard ON bit_doc USING hnsw (hash bit_jaccard_ops) WITH (m='16', ef_construction='64')",
      "CREATE INDEX half_doc_half_hnsw_cosine ON half_doc USING hnsw (half halfvec_cosine_ops) WITH (m='16', ef_construction='64')",
      "CREATE INDEX sparse_doc_terms_hnsw_l2 ON sparse_doc USING hnsw (terms sparsevec_l2_ops) WITH (m='16', ef_construction='64')",
    ]);
  });

  it('wants no schema change on a second sync or migration:generate (columns and indexes of every type)', async () => {
    const log = await dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('stores float16 rounded to nearest (ties to even) and reads back exactly those values', async () => {
    const repo = dataSource.getRepository(HalfDoc);
    const saved = await repo.save(repo.create({ half: [0.1, -65504, 1 / 3], draft: new Float32Array([3e-8, 2049, -0]) }));
    const loaded = await repo.findOneByOrFail({ id: saved.id });
    expect(loaded.half).toEqual([0.0999755859375, -65504, 0.333251953125]);
    expect(loaded.draft).toEqual(new Float32Array([2 ** -24, 2048, -0]));
    expect(Object.is(loaded.draft![2], -0)).toBe(true);
    await expect(repo.save(repo.create({ half: [1, 2, 65536] }))).rejects.toThrow(/element 2 is 65536, which overflows float16/);
    expect(await repo.count()).toBe(1);
    const near = await findNearest(repo, { column: 'half', vector: [0.1, -65504, 0.3], metric: 'cosine', limit: 1 });
    expect(near.map((n) => n.entity.id)).toEqual([saved.id]);
    await repo.clear();
  });

  it('stores bit vectors, orders by Hamming and Jaccard distance, and reads them back as a string or packed bytes', async () => {
    const repo = dataSource.getRepository(BitDoc);
    const hashes = ['111100000000', '111000000000', '000000001111', '100000000001'];
    await repo.save(hashes.map((hash, i) => repo.create({ hash, packed: i === 0 ? packBits(hash) : null })));
    const first = await repo.findOneByOrFail({ hash: '111100000000' as never });
    expect(first.packed).toEqual(Uint8Array.of(0b11110000, 0));
    const sql = orderByHamming(repo.createQueryBuilder('doc'), 'doc.hash', '111100000000').limit(2).getQuery();
    expect(sql).toContain('ORDER BY ("doc"."hash" <~> CAST(:tv_vector_');
    expect(sql).toContain(' AS bit(12))) ASC');
    const byHamming = await orderByHamming(repo.createQueryBuilder('doc'), 'doc.hash', '111110000000').limit(2).getMany();
    expect(byHamming.map((d) => d.hash)).toEqual(['111100000000', '111000000000']);
    const byJaccard = await orderByJaccard(repo.createQueryBuilder('doc'), 'doc.hash', Uint8Array.of(0b00000000, 0b11110000)).limit(1).getMany();
    expect(byJaccard.map((d) => d.hash)).toEqual(['000000001111']);
    const near = await findNearest(repo, { column: 'hash', vector: '100000000011', metric: 'hamming', limit: 2 });
    expect(near.map((n) => [n.entity.hash, n.distance])).toEqual([
      ['100000000001', 1],
      ['000000001111', 3],
    ]);
    expect(() => orderByDistance(repo.createQueryBuilder('doc'), 'doc.hash', '100000000011', 'l2')).toThrow(
      new UnsupportedVectorFeatureError("PostgreSQL (pgvector) has no 'l2' distance on bit vectors; use 'hamming', 'jaccard' instead."),
    );
    await expect(repo.save(repo.create({ hash: '1010' }))).rejects.toThrow(/expects 12 bits but the vector has 4/);
    await repo.clear();
  });

  it('stores sparse vectors as sparsevec, searches them, and refuses unsorted indices before any SQL', async () => {
    const repo = dataSource.getRepository(SparseDoc);
    const a = await repo.save(repo.create({ terms: { indices: [0, 4], values: [1, 0.5], dimensions: 6 }, dense: [0, 0, 2, 0, 0, 0] }));
    await repo.save(repo.create({ terms: { indices: [2, 3], values: [1, 1], dimensions: 6 } }));
    const loaded = await repo.findOneByOrFail({ id: a.id });
    expect(loaded.terms).toEqual({ indices: [0, 4], values: [1, 0.5], dimensions: 6 });
    expect(loaded.dense).toEqual([0, 0, 2, 0, 0, 0]);
    const near = await findNearest(repo, { column: 'terms', vector: { indices: [0], values: [1], dimensions: 6 }, metric: 'l2', limit: 2 });
    expect(near.map((n) => n.entity.id)).toEqual([a.id, a.id + 1]);
    expect(near[0]!.distance).toBeCloseTo(0.5, 6);
    await expect(repo.save(repo.create({ terms: { indices: [4, 0], values: [1, 1], dimensions: 6 } }))).rejects.toThrow(VectorValueError);
    expect(await repo.count()).toBe(2);
    await repo.clear();
  });

  it(`indexes a vector(${BIG}) column as halfvec: queries order by the index expression, and EXPLAIN shows the index`, async () => {
    const repo = dataSource.getRepository(BigDoc);
    const query = randomVectors(1, BIG, 99)[0]!;
    const qb = repo.createQueryBuilder('doc').orderByCosine('doc.embedding', query).limit(5);
    const [sql, parameters] = qb.getQueryAndParameters();
    expect(sql).toContain(`ORDER BY (CAST("doc"."embedding" AS halfvec(${BIG})) <=> CAST(CAST($1 AS vector) AS halfvec(${BIG}))) ASC`);
    const plan = await dataSource.transaction(async (manager) => {
      await manager.query("SET LOCAL enable_seqscan = off");
      return (await manager.query(`EXPLAIN ${sql}`, parameters)) as Array<Record<string, string>>;
    });
    expect(plan.map((row) => row['QUERY PLAN']).join('\n')).toMatch(/Index Scan using big_doc_embedding_hnsw_cosine/);
    const exact = bigVectors.map((v, i) => ({ id: i + 1, distance: cosineDistance(v, query) })).sort((x, y) => x.distance - y.distance);
    const { rows: near, index } = await searchNearest(repo, { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
    expect(index).toBe('big_doc_embedding_hnsw_cosine');
    const explained = await explainNearest(repo, { column: 'embedding', vector: query, metric: 'cosine', limit: 10 });
    expect({ usesIndex: explained.usesIndex, warnings: explained.warnings }).toEqual({ usesIndex: true, warnings: [] });
    const recall = near.filter((n) => exact.slice(0, 10).some((e) => e.id === n.entity.id)).length / 10;
    expect(recall).toBeGreaterThanOrEqual(0.9);
    // the distance reported is the halfvec one: within float16 rounding of the exact distance
    expect(Math.abs(near[0]!.distance - exact.find((e) => e.id === near[0]!.entity.id)!.distance)).toBeLessThan(1e-3);
    expect(l2(query, query)).toBe(0);
  });
});

@Entity('lib_half')
class LibHalf {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(3, { type: 'float16' })
  @VectorIndex({ metric: 'cosine' })
  half!: number[];
}

describe.each(BACKENDS.filter((backend) => backend.name.startsWith('libsql')))('float16 on $name (F16_BLOB)', (backend) => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([LibHalf]);
  });
  afterAll(() => backend.close(dataSource));

  it('creates F16_BLOB(N) with a DiskANN index, wants no change on a second sync, and reads back the float16 values exactly', async () => {
    expect(await rows(dataSource, "SELECT type FROM pragma_table_info('lib_half') WHERE name = 'half'")).toEqual([{ type: 'F16_BLOB(3)' }]);
    expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);
    const repo = dataSource.getRepository(LibHalf);
    const saved = await repo.save([repo.create({ half: [0.1, -65504, 1 / 3] }), repo.create({ half: [1, 0, 0] }), repo.create({ half: [0, 1, 0] })]);
    expect((await repo.findOneByOrFail({ id: saved[0]!.id })).half).toEqual([0.0999755859375, -65504, 0.333251953125]);
    expect(await rows(dataSource, 'SELECT vector_extract(half) AS v FROM lib_half WHERE id = ?', [saved[1]!.id])).toEqual([{ v: '[1,0,0]' }]);
    const { rows: near, index } = await searchNearest(repo, { column: 'half', vector: [0.9, 0.1, 0], metric: 'cosine', limit: 2 });
    expect(index).toBe('lib_half_half_diskann_cosine');
    expect(near.map((n) => n.entity.id)).toEqual([saved[1]!.id, saved[2]!.id]);
  });
});

@Entity('too_big')
class TooBig {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(BIG)
  @VectorIndex({ metric: 'cosine' })
  embedding!: number[];
}

/** Builds the metadata (where VectorDataSource checks columns and indexes) without connecting. */
async function build(options: DataSourceOptions): Promise<void> {
  const dataSource = new VectorDataSource(options);
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
}

describe('refusals when the DataSource starts, before any table is touched', () => {
  it('refuses a vector index over 2,000 dimensions, suggesting storage: halfvec', async () => {
    await expect(build({ type: 'postgres', entities: [TooBig] })).rejects.toThrow(
      new UnsupportedVectorFeatureError(
        "A PostgreSQL (pgvector) 'hnsw' index takes at most 2000 dimensions but too_big.embedding has 3072; index it as storage: 'halfvec' (up to 4000) or storage: 'binary' (up to 64000), use a smaller embedding, or leave the column unindexed for exact search.",
      ),
    );
  });

  const typed = (type: VectorElementType) => {
    @Entity(`typed_${type}`)
    class Typed {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(8, { type }) v!: unknown;
    }
    return Typed;
  };
  const lacking: Array<[string, DataSourceOptions, VectorElementType[]]> = [
    ['PostgreSQL (pgvector)', { type: 'postgres' }, ['int8']],
    ['SQLite (sqlite-vec)', { type: 'better-sqlite3', database: ':memory:' }, ['float16', 'sparse']],
    ['libSQL', { ...libsql({ url: ':memory:' }) } as DataSourceOptions, ['int8', 'sparse']],
    ['MariaDB', { type: 'mariadb', database: 'unused' }, ['float16', 'int8', 'bit', 'sparse']],
    ['MySQL', { type: 'mysql', database: 'unused' }, ['float16', 'int8', 'bit', 'sparse']],
  ];
  it.each(lacking)('%s refuses the element types it lacks, saying what to use instead', async (name, options, types) => {
    for (const type of types) {
      const message = new RegExp(`^Typed\\.v is a ${type} @VectorColumn but ${name.replace(/[()]/g, '\\$&')} has no ${type} vectors; .*\\.$`);
      await expect(build({ ...options, entities: [typed(type)] } as DataSourceOptions)).rejects.toThrow(message);
      await expect(build({ ...options, entities: [typed(type)] } as DataSourceOptions)).rejects.toThrow(UnsupportedVectorFeatureError);
    }
  });

  it('checks type and as in the decorator', () => {
    expect(() => VectorColumn(3, { type: 'float64' as never })({}, 'v')).toThrow(VectorConfigurationError);
    expect(() => VectorColumn(3, { type: 'bit', as: 'float32array' })({}, 'v')).toThrow(/a bit column cannot return; use 'string', 'uint8array'/);
    expect(() => VectorIndex({ metric: 'cosine', storage: 'int4' as never })({}, 'v')).toThrow(VectorConfigurationError);
    expect(seededRandom(1)()).toBeGreaterThanOrEqual(0);
  });
});
