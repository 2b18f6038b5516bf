import 'reflect-metadata';
import { Column, DataSource, Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorDimensionError,
  VectorError,
  VectorValueError,
} from '../src';
import { BACKENDS, recordQueries, rows, sqlFamily } from './support/backends';
import { Doc } from './support/entities';

const COLUMN_TYPES: Record<string, { sql: string; expected: unknown[] }> = {
  sqlite: {
    sql: `SELECT name, type, "notnull" FROM pragma_table_info('doc') WHERE name IN ('embedding_vec', 'draft') ORDER BY name`,
    expected: [
      { name: 'draft', type: 'BLOB', notnull: 0 },
      { name: 'embedding_vec', type: 'BLOB', notnull: 1 },
    ],
  },
  libsql: {
    sql: `SELECT name, type, "notnull" FROM pragma_table_info('doc') WHERE name IN ('embedding_vec', 'draft') ORDER BY name`,
    expected: [
      { name: 'draft', type: 'F32_BLOB(3)', notnull: 0 },
      { name: 'embedding_vec', type: 'F32_BLOB(3)', notnull: 1 },
    ],
  },
  postgres: {
    sql: `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull
          FROM pg_attribute a WHERE a.attrelid = 'doc'::regclass AND a.attname IN ('embedding_vec', 'draft') ORDER BY a.attname`,
    expected: [
      { name: 'draft', type: 'vector(3)', notnull: false },
      { name: 'embedding_vec', type: 'vector(3)', notnull: true },
    ],
  },
};

describe.each(BACKENDS)('@VectorColumn on $name', (backend) => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([Doc]);
  });
  afterAll(() => backend.close(dataSource));
  beforeEach(() => dataSource.getRepository(Doc).clear());

  it('creates the backend column type, NOT NULL by default, under the given column name', async () => {
    const columnTypes = COLUMN_TYPES[sqlFamily(backend.name)]!;
    expect(await rows(dataSource, columnTypes.sql)).toEqual(columnTypes.expected);
  });

  it('wants no schema change on a second sync', async () => {
    const log = await dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('round-trips number[] and Float32Array exactly as float32', async () => {
    const repo = dataSource.getRepository(Doc);
    const embedding = [0.1, -2.5e-8, 123456.789];
    const draft = new Float32Array([1e-30, 3.4e38, -0.3333333]);
    const saved = await repo.save(repo.create({ title: 'a', embedding, draft }));
    const loaded = await repo.findOneByOrFail({ id: saved.id });
    expect(loaded.embedding).toEqual(embedding.map(Math.fround));
    expect(Array.isArray(loaded.embedding)).toBe(true);
    expect(loaded.draft).toBeInstanceOf(Float32Array);
    expect(Array.from(loaded.draft!)).toEqual(Array.from(draft));
  });

  it('accepts a Float32Array for a number[] property and stores NULL in a nullable column', async () => {
    const repo = dataSource.getRepository(Doc);
    const saved = await repo.save(repo.create({ title: 'b', embedding: new Float32Array([1, 2, 3]) as unknown as number[], draft: null }));
    const loaded = await repo.findOneByOrFail({ id: saved.id });
    expect(loaded.embedding).toEqual([1, 2, 3]);
    expect(loaded.draft).toBeNull();
  });

  it('saves many rows at once with insert() and updates with update()', async () => {
    const repo = dataSource.getRepository(Doc);
    await repo.insert([
      { title: 'x', embedding: [1, 0, 0] },
      { title: 'y', embedding: [0, 1, 0] },
    ]);
    await dataSource.createQueryBuilder().insert().into(Doc).values([{ title: 'z', embedding: [0, 0, 1] }]).execute();
    const y = await repo.findOneByOrFail({ title: 'y' });
    await repo.update({ id: y.id }, { embedding: [0.5, 0.5, 0.5] });
    const all = await repo.find({ order: { title: 'ASC' } });
    expect(all.map((d) => [d.title, d.embedding])).toEqual([
      ['x', [1, 0, 0]],
      ['y', [0.5, 0.5, 0.5]],
      ['z', [0, 0, 1]],
    ]);
  });

  const badValues: Array<[string, unknown, typeof VectorError, RegExp]> = [
    ['too few dimensions', [1, 2], VectorDimensionError, /Doc\.embedding expects 3 dimensions but the vector has 2; pass a vector of length 3\./],
    ['too many dimensions', [1, 2, 3, 4], VectorDimensionError, /expects 3 dimensions but the vector has 4/],
    ['NaN', [1, Number.NaN, 3], VectorValueError, /element 1 is NaN; every element must be a finite number\./],
    ['Infinity', [1, 2, Number.POSITIVE_INFINITY], VectorValueError, /element 2 is Infinity/],
    ['a float32 overflow', [1, 2, 1e39], VectorValueError, /overflows float32/],
    ['an empty vector', [], VectorValueError, /Doc\.embedding is an empty vector; pass at least one number\./],
    ['a non-numeric element', [1, '2', 3], VectorValueError, /element 1 is the string "2", not a number/],
    ['a string', '[1,2,3]', VectorValueError, /must be an array of numbers or a Float32Array, but got the string/],
    ['null in a NOT NULL column', null, VectorValueError, /Doc\.embedding is NOT NULL but got null/],
  ];

  it.each(badValues)('rejects %s before any SQL runs, and writes nothing', async (_label, embedding, errorClass, message) => {
    const repo = dataSource.getRepository(Doc);
    const queries = await recordQueries(dataSource, async () => {
      await expect(repo.save(repo.create({ title: 'bad', embedding: embedding as number[] }))).rejects.toBeInstanceOf(errorClass);
      await expect(repo.insert({ title: 'bad', embedding: embedding as number[] })).rejects.toThrow(message);
    });
    expect(queries.filter((q) => /INSERT/i.test(q.query))).toEqual([]);
    expect(await repo.count()).toBe(0);
  });
});

describe('@VectorColumn declarations', () => {
  it.each([
    [0, /dimensions 0; dimensions must be a positive integer such as 384\./],
    [-3, /dimensions -3/],
    [1.5, /dimensions 1.5/],
    [Number.NaN, /dimensions NaN/],
    ['3', /dimensions the string "3"/],
    [70000, /has 70000 dimensions, more than the 65536 that any supported backend stores; reduce the dimensions to 65536 or fewer\./],
  ])('rejects dimensions %p at decoration time', (dimensions, message) => {
    expect(() => {
      class Bad {
        @VectorColumn(dimensions as number) embedding!: number[];
      }
      return Bad;
    }).toThrow(message);
  });

  it('rejects unknown options and an unknown decode shape', () => {
    expect(() => {
      class Bad {
        @VectorColumn(3, { nulable: true } as never) embedding!: number[];
      }
      return Bad;
    }).toThrow(/Bad\.embedding has unknown option 'nulable'; use nullable, as, name, comment\./);
    expect(() => {
      class Bad {
        @VectorColumn(3, { as: 'float64array' } as never) embedding!: number[];
      }
      return Bad;
    }).toThrow(VectorConfigurationError);
  });

  it.each(BACKENDS.map((b) => b.name))('enforces the backend dimension limit when the DataSource starts on %s', async (name) => {
    @Entity('too_wide')
    class TooWide {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(16001) embedding!: number[];
    }
    const backend = BACKENDS.find((b) => b.name === name)!;
    if (sqlFamily(name) === 'libsql') {
      // libSQL stores 65536 dimensions, the most @VectorColumn accepts at decoration time (tested above).
      const dataSource = await backend.open([TooWide]);
      await backend.close(dataSource);
      return;
    }
    const limit = name === 'postgres' ? 16000 : 8192;
    const attempt = backend.open([TooWide]);
    await expect(attempt).rejects.toThrow(
      new RegExp(`TooWide\\.embedding has 16001 dimensions, more than the ${limit} that .* stores; reduce the dimensions to ${limit} or fewer\\.`),
    );
  });

  it('explains what to do when a plain DataSource is used', async () => {
    @Entity('plain')
    class Plain {
      @PrimaryGeneratedColumn() id!: number;
      @Column({ type: 'text' }) title!: string;
      @VectorColumn(3, { nullable: true }) embedding!: number[] | null;
    }
    const plain = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [Plain], synchronize: true });
    await expect(plain.initialize()).rejects.toThrow(/Data type "vector"/);
  });
});
