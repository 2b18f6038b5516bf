/**
 * insertVectors on every backend: rows read back exactly as written (vectors to the float32 bit,
 * -0 and subnormals included), batch boundaries and progress, generated keys set where the backend
 * returns them, and atomicity: a bad row fails before any SQL, a constraint violation mid-load
 * leaves the table as it was with the driver's error as `cause`, so does the server ending the
 * loading connection mid-load (PostgreSQL, MariaDB; the pool serves again), and a caller's
 * transaction owns the load. PostgreSQL's text COPY (a column with no binary form) and halfvec's binary form too.
 */
import 'reflect-metadata';
import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { findNearest, insertVectors, VectorBulkLoadError, VectorColumn, VectorIndex, VectorConfigurationError, VectorDimensionError, VectorValueError, type VectorDataSource } from '../src';
import { BACKENDS, backendSelected, recordQueries, sqlFamily, ALL_BACKENDS } from './support/backends';
import { seededRandom } from './support/vectors';
import { encodePgvectorBinary } from '../src/codecs';
import { postgresCopyFormat } from '../src/dialects/postgres/copy-format';

const DIMENSIONS = 8;

@Entity('bulk_doc')
class BulkDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ unique: true }) code!: string;
  @Column({ type: 'integer' }) rank!: number;
  @Column({ default: true }) active!: boolean;
  @Column({ type: 'varchar', nullable: true }) note!: string | null;
  @CreateDateColumn() createdAt!: Date;
  @VectorColumn(DIMENSIONS) embedding!: number[];
  @VectorColumn(DIMENSIONS, { nullable: true, as: 'float32array' }) draft!: Float32Array | null;
}

/** A table whose vector index (HNSW, vec0 through triggers, libsql_vector_idx, MariaDB's VECTOR INDEX) a bulk load must keep up to date. */
@Entity('bulk_indexed')
class BulkIndexed {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) n!: number;
  @VectorColumn(DIMENSIONS)
  @VectorIndex({ metric: 'l2' })
  embedding!: number[];
}

/** Backends that set generated keys on the rows (RETURNING through a driver that returns its rows). */
const RETURNS_KEYS = new Set(['sqlite', 'libsql', 'libsql-memory', 'mariadb', 'pglite']);

function makeRows(count: number, seed = 1): Array<Partial<BulkDoc>> {
  const random = seededRandom(seed);
  const vector = () => Array.from({ length: DIMENSIONS }, () => Math.fround(random() * 2 - 1));
  return Array.from({ length: count }, (_, i) => ({
    code: `c${String(i).padStart(6, '0')}`,
    rank: i - 100,
    ...(i % 3 === 0 ? { active: false } : {}),
    note: i % 2 ? `note "${i}"\t\\ 'é'\n` : null,
    embedding: i === 1 ? [-0, 1e-40, -1e-40, 0.1, -0.1, 1.5e-7, 3, -3].map(Math.fround) : vector(),
    draft: i % 4 === 0 ? Float32Array.from(vector()) : null,
  }));
}

async function count(dataSource: VectorDataSource): Promise<number> {
  return dataSource.getRepository(BulkDoc).count();
}

describe.each(BACKENDS.map((b) => [b.name, b] as const))('insertVectors on %s', (name, backend) => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([BulkDoc, BulkIndexed]);
  });
  afterAll(() => backend.close(dataSource));
  beforeEach(() => dataSource.getRepository(BulkDoc).clear());

  it('writes rows that read back exactly, in batches, reporting progress', async () => {
    const rows = makeRows(1000);
    const progress: Array<[number, number]> = [];
    const written = await insertVectors(dataSource.getRepository(BulkDoc), rows, { batchSize: 400, onProgress: (loaded, total) => progress.push([loaded, total]) });
    expect(written).toBe(1000);
    expect(progress).toEqual([
      [400, 1000],
      [800, 1000],
      [1000, 1000],
    ]);
    const stored = await dataSource.getRepository(BulkDoc).find({ order: { code: 'ASC' } });
    expect(stored).toHaveLength(1000);
    // One comparison of everything (a toEqual per row costs seconds under Jest).
    expect(stored.map((doc) => ({ ...doc, createdAt: doc.createdAt instanceof Date }))).toEqual(
      rows.map((row) => ({ ...row, id: RETURNS_KEYS.has(name) ? row.id : expect.any(Number), active: row.active ?? true, createdAt: true })),
    );
    if (!RETURNS_KEYS.has(name)) expect(rows.every((row) => row.id === undefined)).toBe(true);
    else expect(stored.map((doc) => doc.id)).toEqual(rows.map((row) => row.id));
    expect(Object.is(stored[1]!.embedding[0], -0)).toBe(true);
  });

  it('cuts statements at the backend parameter limit and handles a last partial batch', async () => {
    const rows = makeRows(7);
    const progress: number[] = [];
    const queries = await recordQueries(dataSource, () => insertVectors(dataSource.getRepository(BulkDoc), rows, { batchSize: 3, onProgress: (loaded) => progress.push(loaded) }));
    expect(progress).toEqual([3, 6, 7]);
    expect(await count(dataSource)).toBe(7);
    const inserts = queries.filter((q) => /^INSERT/i.test(q.query));
    // PostgreSQL sends one COPY and MariaDB prepared statements on the driver's connection, neither through TypeORM's runner.
    // PostgreSQL loads through COPY and MariaDB through mysql2's execute, neither of which TypeORM logs; PGlite sends INSERTs.
    expect(inserts).toHaveLength(name === 'postgres' || sqlFamily(name) === 'mariadb' ? 0 : 3);
  });

  it('refuses a bad row before any SQL runs, naming the row', async () => {
    const rows = makeRows(1500);
    rows[1234]!.embedding = [1, 2, 3];
    let thrown: unknown;
    const queries = await recordQueries(dataSource, () => insertVectors(dataSource.getRepository(BulkDoc), rows).catch((error) => (thrown = error)));
    expect(thrown).toBeInstanceOf(VectorDimensionError);
    expect((thrown as Error).message).toMatch(/^Row 1235 of the 1500 given to insertVectors: .*8/);
    expect(queries).toEqual([]);
    expect(await count(dataSource)).toBe(0);
  });

  it('fails, writing nothing, when a vector changes to another length after the check (while earlier batches are sent)', async () => {
    const rows = makeRows(10);
    let thrown: unknown;
    await insertVectors(dataSource.getRepository(BulkDoc), rows, { batchSize: 4, onProgress: () => void (rows[9]!.embedding = [1, 2, 3]) }).catch((error) => (thrown = error));
    expect(thrown).toBeInstanceOf(VectorBulkLoadError);
    expect((thrown as Error).cause).toBeInstanceOf(VectorDimensionError);
    expect(((thrown as Error).cause as Error).message).toMatch(/^Row 10 of the 10 given to insertVectors: .*expects 8 dimensions but the vector has 3/);
    expect(await count(dataSource)).toBe(0);
  });

  it('refuses unknown properties, missing NOT NULL columns, NaN, unknown options and bad batch sizes before any SQL', async () => {
    const repo = dataSource.getRepository(BulkDoc);
    const good = makeRows(3);
    const cases: Array<[() => Promise<unknown>, new (...args: any[]) => Error, RegExp]> = [
      [() => insertVectors(repo, [...good, { ...good[0]!, code: 'x', titel: 'typo' } as never]), VectorValueError, /Row 4 .* property 'titel'.*use /],
      [() => insertVectors(repo, good.map(({ rank: _rank, ...rest }) => rest)), VectorValueError, /BulkDoc\.rank, which is NOT NULL/],
      [() => insertVectors(repo, [good[0]!, { ...good[1]!, rank: undefined }]), VectorValueError, /^Row 2 of the 2 given to insertVectors: it has no BulkDoc\.rank, which is NOT NULL with no default \(row 1 sets it/],
      [() => insertVectors(repo, [{ ...good[0]!, embedding: [1, 2, 3, 4, 5, 6, 7, NaN] }]), VectorValueError, /Row 1 .*NaN/],
      [() => insertVectors(repo, [{ ...good[0]!, embedding: null as never }]), VectorValueError, /Row 1 .*NOT NULL/],
      [() => insertVectors(repo, [null as never]), VectorValueError, /Row 1 .* is null/],
      [() => insertVectors(repo, good, { batchsize: 10 } as never), VectorConfigurationError, /no option 'batchsize'; use batchSize, onProgress/],
      [() => insertVectors(repo, good, { batchSize: 0 }), VectorConfigurationError, /batchSize is 0/],
      [() => insertVectors(repo, 'rows' as never), VectorValueError, /array of rows/],
    ];
    for (const [run, type, message] of cases) {
      let thrown: unknown;
      const queries = await recordQueries(dataSource, () => run().catch((error) => (thrown = error)));
      expect(thrown).toBeInstanceOf(type);
      expect((thrown as Error).message).toMatch(message);
      expect(queries).toEqual([]);
    }
    expect(await count(dataSource)).toBe(0);
  });

  it('leaves the table as it was when a constraint fails mid-load, with the driver error as cause', async () => {
    const repo = dataSource.getRepository(BulkDoc);
    await repo.save(repo.create({ code: 'c000700', rank: 1, embedding: new Array(DIMENSIONS).fill(0.5) }));
    const rows = makeRows(1000);
    let thrown: unknown;
    await insertVectors(repo, rows, { batchSize: 200 }).catch((error) => (thrown = error));
    expect(thrown).toBeInstanceOf(VectorBulkLoadError);
    expect((thrown as Error).message).toMatch(/^insertVectors into bulk_doc failed after sending \d+ of 1000 rows \(.+\); no row was written/);
    expect((thrown as Error).cause).toBeInstanceOf(Error);
    expect((thrown as Error).cause).not.toBeInstanceOf(VectorBulkLoadError);
    expect(await repo.find()).toEqual([expect.objectContaining({ code: 'c000700', rank: 1 })]);
    // The connection is usable afterwards.
    expect(await insertVectors(repo, makeRows(10))).toBe(10);
  });

  it("joins a caller's transaction: its rollback undoes the load, its commit keeps it", async () => {
    await dataSource
      .transaction(async (manager) => {
        expect(await insertVectors(manager.getRepository(BulkDoc), makeRows(50))).toBe(50);
        expect(await manager.getRepository(BulkDoc).count()).toBe(50);
        throw new Error('abort');
      })
      .catch((error: Error) => expect(error.message).toBe('abort'));
    expect(await count(dataSource)).toBe(0);
    await dataSource.transaction((manager) => insertVectors(manager.getRepository(BulkDoc), makeRows(50)));
    expect(await count(dataSource)).toBe(50);
  });

  it("keeps the table's vector index up to date: an index search finds loaded rows", async () => {
    const random = seededRandom(9);
    const rows = Array.from({ length: 300 }, (_, n) => ({ n, embedding: Array.from({ length: DIMENSIONS }, () => Math.fround(random() * 2 - 1)) }));
    await insertVectors(dataSource.getRepository(BulkIndexed), rows, { batchSize: 128 });
    for (const n of [0, 17, 299]) {
      const [nearest] = await findNearest(dataSource.getRepository(BulkIndexed), { column: 'embedding', vector: rows[n]!.embedding, metric: 'l2', limit: 1, useIndex: true });
      expect(nearest!.entity.n).toBe(n);
      expect(nearest!.distance).toBeCloseTo(0, 5);
    }
  });

  it('returns 0 for no rows, running nothing', async () => {
    expect(await recordQueries(dataSource, async () => expect(await insertVectors(dataSource.getRepository(BulkDoc), [])).toBe(0))).toEqual([]);
  });
});

@Entity('bulk_half')
class BulkHalf {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'numeric', precision: 10, scale: 2, nullable: true }) price!: string | null;
  @Column({ type: 'int', array: true, nullable: true }) tags!: number[] | null;
  @Column({ type: 'jsonb', nullable: true }) meta!: Record<string, unknown> | null;
  @Column({ type: 'timestamptz', nullable: true }) seen!: Date | null;
  @Column({ type: 'date', nullable: true }) day!: string | null;
  @Column({ type: 'bytea', nullable: true }) blob!: Buffer | null;
  @Column({ type: 'bigint' }) big!: string;
  @Column({ type: 'double precision' }) score!: number;
  @VectorColumn(4, { type: 'float16' }) half!: number[];
}

@Entity('bulk_binary')
class BulkBinary {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'jsonb', nullable: true }) meta!: Record<string, unknown> | null;
  @Column({ type: 'timestamptz', nullable: true }) seen!: Date | null;
  @Column({ type: 'timestamp', nullable: true }) local!: Date | null;
  @Column({ type: 'date', nullable: true }) day!: string | null;
  @Column({ type: 'bytea', nullable: true }) blob!: Buffer | null;
  @Column({ type: 'bigint' }) big!: string;
  @Column({ type: 'smallint' }) small!: number;
  @Column({ type: 'double precision' }) score!: number;
  @Column({ type: 'real' }) ratio!: number;
  @Column({ type: 'uuid', nullable: true }) ref!: string | null;
  @VectorColumn(4, { type: 'float16' }) half!: number[];
}

const postgres = ALL_BACKENDS.find((b) => b.name === 'postgres')!;
if (backendSelected('postgres')) describe('insertVectors on PostgreSQL: every column binary, or text COPY for the whole load', () => {
  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await postgres.open([BulkHalf, BulkBinary]);
  });
  afterAll(() => postgres.close(dataSource));

  const common = (i: number) => ({
    meta: i % 2 ? { a: i, s: 'x"\\\n' } : null,
    seen: i % 2 ? new Date(Date.UTC(2024, 0, 1, 12, 0, 0, i)) : null,
    day: i % 2 ? '2024-02-29' : null,
    blob: i % 2 ? Buffer.from([0, 1, 92, 10, 255, i & 255]) : null,
    big: String(9007199254740993n + BigInt(i)),
    score: i / 3,
    half: [0.5, -0, 65504, i],
  });

  it('sends binary COPY when every column has a binary form (halfvec as float2), and the rows read back equal', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ ...common(i), local: i % 2 ? new Date(2024, 5, 1, 8, 30, 0, i) : null, small: i ? -i : 0, ratio: Math.fround(i / 7), ref: i % 2 ? '123e4567-e89b-12d3-a456-426614174000' : null }));
    expect(await insertVectors(dataSource.getRepository(BulkBinary), rows, { batchSize: 7 })).toBe(30);
    const stored = await dataSource.getRepository(BulkBinary).find({ order: { score: 'ASC' } });
    stored.forEach((doc, i) => {
      const row = rows[i]!;
      // pg reads a real back as its shortest text (0.14285715): compare as float32.
      expect({ ...doc, id: undefined, ratio: Math.fround(doc.ratio) }).toEqual({ ...row, id: undefined });
      expect(doc.id).toMatch(/^[0-9a-f-]{36}$/);
    });
    expect(Object.is(stored[0]!.half[1], -0)).toBe(true);
  });

  it('falls back to text COPY when a column has no binary form (numeric, arrays) and reads back equal', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ ...common(i), price: i % 2 ? `${i}.25` : null, tags: i % 3 ? [i, -1, 0] : null }));
    expect(await insertVectors(dataSource.getRepository(BulkHalf), rows, { batchSize: 7 })).toBe(30);
    const stored = await dataSource.getRepository(BulkHalf).find({ order: { score: 'ASC' } });
    stored.forEach((doc, i) => expect({ ...doc, id: undefined }).toEqual({ ...rows[i]!, id: undefined }));
    expect(Object.is(stored[0]!.half[1], -0)).toBe(true);
  });
});

describe('binary COPY tuples (postgresCopyFormat.binaryTuples)', () => {
  it('writes each chunk into one buffer, growing past its first size, and never touches a buffer it handed out', () => {
    const writer = postgresCopyFormat.binaryTuples(4);
    const vector = new Float32Array([1, -2]);
    writer.tuple(3);
    writer.field(Buffer.from('a longer title than four bytes'));
    writer.field(null);
    writer.vectorField(vector, postgresCopyFormat.binaryVector('vector')!);
    const first = writer.take();
    const expected = Buffer.concat([Buffer.from([0, 3, 0, 0, 0, 30]), Buffer.from('a longer title than four bytes'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 12]), encodePgvectorBinary(vector)]);
    expect(first).toEqual(expected);
    writer.tuple(1);
    writer.field(Buffer.from('b'));
    expect(writer.take()).toEqual(Buffer.from([0, 1, 0, 0, 0, 1, 98]));
    expect(first).toEqual(expected);
    expect(postgresCopyFormat.binaryVector('halfvec')).toBeUndefined();
  });
});

describe('binary COPY checks (postgresCopyFormat.binaryCheck)', () => {
  it('refuses exactly what the encoder refuses, with the same error, and accepts what it encodes', () => {
    const values: unknown[] = ['', 'a', ' 12 ', '1.5', 'NaN', 'x', 0, 1, -1, 1.5, 2 ** 31, -(2 ** 31), 70000, Number.NaN, Infinity, 10n, true, false, null, undefined, {}, [1], new Date(0), Buffer.from('a'), Symbol('s')];
    const checked = ['text', 'character varying', 'varchar', 'character', 'char', 'enum', 'smallint', 'int2', 'integer', 'int4', 'real', 'float4', 'double precision', 'float8', 'boolean', 'bool'];
    for (const type of checked) {
      const encode = postgresCopyFormat.binaryField(type)!;
      const check = postgresCopyFormat.binaryCheck(type)!;
      expect(check).toBeDefined();
      for (const value of values) {
        let expected: unknown;
        try {
          encode(value, 'Doc.title');
        } catch (error) {
          expected = error;
        }
        if (expected === undefined) expect(check(value, 'Doc.title')).toBeUndefined();
        else expect(() => check(value, 'Doc.title')).toThrow(expected as Error);
      }
    }
    // Types whose check is their encoding.
    for (const type of ['bigint', 'uuid', 'jsonb', 'bytea', 'timestamptz', 'date', 'vector']) expect(postgresCopyFormat.binaryCheck(type)).toBeUndefined();
    expect(postgresCopyFormat.binaryCheck('numeric')).toBeUndefined();
  });
});

describe('insertVectors without pg-copy-streams', () => {
  it('says how to install it (the package is loaded before anything is sent)', () => {
    jest.isolateModules(() => {
      jest.doMock('pg-copy-streams', () => {
        throw new Error("Cannot find module 'pg-copy-streams'");
      });
      const { pgCopyStreams } = require('../src/bulk/pg-copy-streams') as typeof import('../src/bulk/pg-copy-streams');
      const { VectorConfigurationError: IsolatedError } = require('../src/errors') as typeof import('../src/errors');
      expect(() => pgCopyStreams()).toThrow(IsolatedError);
      expect(() => pgCopyStreams()).toThrow(/^insertVectors on PostgreSQL streams rows through COPY with the pg-copy-streams package, which could not be loaded; run npm install pg-copy-streams\.$/);
    });
    jest.dontMock('pg-copy-streams');
  });
});

/** Server backends: a slow row trigger keeps a load running, and the server ends the loading connection mid-load. */
const SERVER_GONE: Record<string, { slowTrigger: string[]; killLoader?: string }> = {
  postgres: {
    slowTrigger: [
      `CREATE FUNCTION bulk_doc_slow() RETURNS trigger AS $$ BEGIN PERFORM pg_sleep(0.002); RETURN NEW; END $$ LANGUAGE plpgsql`,
      `CREATE TRIGGER bulk_doc_slow BEFORE INSERT ON bulk_doc FOR EACH ROW EXECUTE FUNCTION bulk_doc_slow()`,
    ],
    killLoader: `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'COPY %' AND state = 'active' AND pid <> pg_backend_pid()`,
  },
  mariadb: {
    // The connection to kill is the one whose INSERT is running, found by the test.
    slowTrigger: ['CREATE TRIGGER bulk_doc_slow BEFORE INSERT ON bulk_doc FOR EACH ROW SET @slept = SLEEP(0.002)'],
  },
};

for (const backend of BACKENDS.filter((b) => SERVER_GONE[b.name])) {
  describe(`insertVectors on ${backend.name} when the server ends the loading connection`, () => {
    let dataSource: VectorDataSource;
    beforeAll(async () => {
      dataSource = await backend.open([BulkDoc]);
      for (const sql of SERVER_GONE[backend.name]!.slowTrigger) await dataSource.query(sql);
    });
    afterAll(() => backend.close(dataSource));

    it('fails with the driver error as cause, writes nothing, and the pool serves again', async () => {
      const repo = dataSource.getRepository(BulkDoc);
      let killed: Promise<unknown> | undefined;
      const kill = async (): Promise<unknown> => {
        const { killLoader } = SERVER_GONE[backend.name]!;
        if (killLoader) return dataSource.query(killLoader);
        // MariaDB: the connection running the INSERT (the slow trigger keeps it running).
        for (;;) {
          const [loader] = await dataSource.query(`SELECT id FROM information_schema.processlist WHERE db = DATABASE() AND info LIKE 'INSERT INTO%bulk_doc%' AND id <> CONNECTION_ID()`);
          if (loader) return dataSource.query(`KILL CONNECTION ${Number(loader.id)}`);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      };
      let thrown: unknown;
      await insertVectors(repo, makeRows(3000), { batchSize: 100, onProgress: () => void (killed ??= kill()) }).catch((error) => (thrown = error));
      await killed;
      expect(thrown).toBeInstanceOf(VectorBulkLoadError);
      expect((thrown as Error).message).toMatch(/^insertVectors into bulk_doc failed after sending \d+ of 3000 rows/);
      // The driver's error (mysql2's comes from Node's own realm, not Jest's, so no instanceof).
      expect((thrown as Error).cause).toEqual(expect.objectContaining({ message: expect.stringMatching(/.+/) }));
      expect(await repo.count()).toBe(0);
      expect(await insertVectors(repo, makeRows(5))).toBe(5);
    });
  });
}
