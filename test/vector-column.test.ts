import 'reflect-metadata';
import { Column, DataSource, Entity, In, PrimaryGeneratedColumn } from 'typeorm';
import {
  MAX_VECTOR_DIMENSIONS,
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
  mariadb: {
    sql: `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE = 'NO' AS notnull FROM information_schema.columns
          WHERE table_schema = DATABASE() AND table_name = 'doc' AND COLUMN_NAME IN ('embedding_vec', 'draft') ORDER BY COLUMN_NAME`,
    expected: [
      { name: 'draft', type: 'vector(3)', notnull: 0 },
      { name: 'embedding_vec', type: 'vector(3)', notnull: 1 },
    ],
  },
};

/** Most dimensions a column may have on each backend. */
const DIMENSION_LIMITS: Record<string, number> = { sqlite: 8192, postgres: 16000, mariadb: 16383, libsql: 65536 };

/**
 * The largest float32 element each backend stores in a vector: MariaDB refuses a vector whose
 * squared norm overflows float32 (so elements stay under about 1.8e19).
 */
const LARGE_ELEMENT: Record<string, number> = { sqlite: 3.4e38, libsql: 3.4e38, postgres: 3.4e38, mariadb: 1.8e19 };

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
    const draft = new Float32Array([1e-30, LARGE_ELEMENT[sqlFamily(backend.name)]!, -0.3333333]);
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

  it('writes number[] and Float32Array through every write path, one row and many, and reads back exactly', async () => {
    const repo = dataSource.getRepository(Doc);
    const f32 = (values: number[]) => new Float32Array(values) as unknown as number[];
    const expected = new Map<string, number[]>();
    const write = (title: string, values: number[]) => {
      expected.set(title, values.map(Math.fround));
      return { title, embedding: title.endsWith('f32') ? f32(values) : values };
    };
    await repo.save(repo.create(write('save-one', [0.1, 0.2, 0.3])));
    await repo.save(repo.create(write('save-one-f32', [0.4, 0.5, 0.6])));
    await repo.save([write('save-many-a', [1.1, 1.2, 1.3]), write('save-many-b-f32', [1.4, 1.5, 1.6])].map((d) => repo.create(d)));
    await repo.insert(write('insert-one-f32', [2.1, 2.2, 2.3]));
    await repo.insert([write('insert-many-a', [2.4, 2.5, 2.6]), write('insert-many-b-f32', [2.7, 2.8, 2.9])]);
    await dataSource.createQueryBuilder().insert().into(Doc).values(write('qb-one-f32', [3.1, 3.2, 3.3])).execute();
    await dataSource
      .createQueryBuilder()
      .insert()
      .into(Doc)
      .values([write('qb-many-a', [3.4, 3.5, 3.6]), write('qb-many-b-f32', [3.7, 3.8, 3.9])])
      .execute();

    await repo.update({ title: 'insert-many-a' }, write('insert-many-a', [4.1, 4.2, 4.3]));
    await repo.update({ title: 'qb-one-f32' }, write('qb-one-f32', [4.4, 4.5, 4.6]));
    await dataSource.createQueryBuilder().update(Doc).set(write('qb-many-a', [4.7, 4.8, 4.9])).where('title = :t', { t: 'qb-many-a' }).execute();
    const loaded = await repo.findOneByOrFail({ title: 'save-one' });
    loaded.embedding = f32([5.1, 5.2, 5.3]);
    loaded.draft = new Float32Array([5.4, 5.5, 5.6]);
    await repo.save(loaded);
    expected.set('save-one', [5.1, 5.2, 5.3].map(Math.fround));
    const many = await repo.findBy({ title: In(['save-many-a', 'save-many-b-f32']) });
    for (const doc of many) doc.embedding = expected.get(doc.title)!.map((v) => v * 2);
    await repo.save(many);
    for (const doc of many) expected.set(doc.title, doc.embedding.map(Math.fround));

    const all = await repo.find({ order: { title: 'ASC' } });
    expect(Object.fromEntries(all.map((d) => [d.title, d.embedding]))).toEqual(Object.fromEntries([...expected].sort()));
    expect(all.every((d) => Array.isArray(d.embedding))).toBe(true);
    expect(Array.from(all.find((d) => d.title === 'save-one')!.draft!)).toEqual([5.4, 5.5, 5.6].map(Math.fround));
  });

  const badValues: Array<[string, unknown, typeof VectorError, RegExp]> = [
    ['too few dimensions', [1, 2], VectorDimensionError, /Doc\.embedding expects 3 dimensions but the vector has 2; pass a vector of length 3\./],
    ['too many dimensions', [1, 2, 3, 4], VectorDimensionError, /expects 3 dimensions but the vector has 4/],
    ['NaN', [1, Number.NaN, 3], VectorValueError, /element 1 is NaN; every element must be a finite number\./],
    ['Infinity', [1, 2, Number.POSITIVE_INFINITY], VectorValueError, /element 2 is Infinity/],
    ['a float32 overflow', [1, 2, 1e39], VectorValueError, /overflows float32/],
    ['an empty vector', [], VectorValueError, /Doc\.embedding is an empty vector; pass at least one number\./],
    ['a non-numeric element', [1, '2', 3], VectorValueError, /element 1 is the string "2", not a number/],
    ['a string', '[1,2,3]', VectorValueError, /must be an array of numbers or a numeric typed array \(Float32Array, Float64Array, \.\.\.\), but got the string/],
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
    }).toThrow(/Bad\.embedding has unknown option 'nulable'; use type, nullable, as, name, comment, sizeCheck\./);
    expect(() => {
      class Bad {
        @VectorColumn(3, { as: 'float64array' } as never) embedding!: number[];
      }
      return Bad;
    }).toThrow(VectorConfigurationError);
  });

  it.each(BACKENDS.map((b) => b.name))('enforces the backend dimension limit when the DataSource starts on %s', async (name) => {
    const limit = DIMENSION_LIMITS[sqlFamily(name)]!;
    const backend = BACKENDS.find((b) => b.name === name)!;
    if (limit === MAX_VECTOR_DIMENSIONS) {
      // libSQL stores as many dimensions as @VectorColumn accepts, so the limit shows at decoration time.
      @Entity('widest')
      class Widest {
        @PrimaryGeneratedColumn() id!: number;
        @VectorColumn(limit) embedding!: number[];
      }
      await backend.close(await backend.open([Widest]));
      expect(() => {
        class TooWide {
          @VectorColumn(limit + 1) embedding!: number[];
        }
        return TooWide;
      }).toThrow(`reduce the dimensions to ${limit} or fewer.`);
      return;
    }
    @Entity('too_wide')
    class TooWide {
      @PrimaryGeneratedColumn() id!: number;
      @VectorColumn(limit + 1) embedding!: number[];
    }
    const attempt = backend.open([TooWide]);
    await expect(attempt).rejects.toThrow(
      new RegExp(`TooWide\\.embedding has ${limit + 1} dimensions, more than the ${limit} that .* stores; reduce the dimensions to ${limit} or fewer\\.`),
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
