/**
 * The bad-input catalogue: every case is refused through every entry point it applies to (save,
 * update, insert().values, the query-builder methods, findNearest, a transaction with earlier
 * successful writes, the migration helpers and decorators) with a VectorError whose message is one
 * sentence naming the value and the fix, and the database is unchanged afterwards: same rows, same
 * bytes, same tables and indexes (a transaction's earlier writes rolled back). The count and pass
 * rate are printed per backend. Not a case: a function value (`embedding: () => 'vector32(...)'`),
 * which TypeORM writes as raw SQL without calling the column's transformer, by design (README:
 * Security and reliability).
 */
import 'reflect-metadata';
import { Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  addSelectDistance,
  createVectorIndex,
  dropVectorIndex,
  findNearest,
  UnsupportedVectorFeatureError,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorDimensionError,
  VectorError,
  VectorMigrationError,
  VectorValueError,
  vectorIndexSql,
} from '../src';
import { dialectOf } from '../src/dialects';
import { BACKENDS, rows, sqlFamily } from './support/backends';
import { Doc } from './support/entities';

type ErrorClass = new (...args: never[]) => VectorError;

/** A bad vector value: what it is, the error class and the message part every entry point must give. */
interface VectorCase {
  name: string;
  value: () => unknown;
  error: ErrorClass;
  message: RegExp;
  /** Backends (SQL families) the case applies to; all when unset. */
  only?: string[];
}

const notArray = /must be an array of numbers or a numeric typed array \(Float32Array, Float64Array, \.\.\.\), but got .+; pass e\.g\. \[0\.1, 0\.2, 0\.3\]\.$/;

const VECTOR_CASES: VectorCase[] = [
  { name: 'too few dimensions', value: () => [1, 2], error: VectorDimensionError, message: /expects 3 dimensions but the vector has 2; pass a vector of length 3\.$/ },
  { name: 'too many dimensions', value: () => [1, 2, 3, 4], error: VectorDimensionError, message: /expects 3 dimensions but the vector has 4; pass a vector of length 3\.$/ },
  { name: 'an empty array', value: () => [], error: VectorValueError, message: /is an empty vector; pass at least one number\.$/ },
  { name: 'an empty Float32Array', value: () => new Float32Array(0), error: VectorValueError, message: /is an empty vector; pass at least one number\.$/ },
  { name: 'NaN', value: () => [1, Number.NaN, 3], error: VectorValueError, message: /element 1 is NaN; every element must be a finite number\.$/ },
  { name: 'NaN in a Float32Array', value: () => Float32Array.of(Number.NaN, 1, 2), error: VectorValueError, message: /element 0 is NaN; every element must be a finite number\.$/ },
  { name: '+Infinity', value: () => [Number.POSITIVE_INFINITY, 1, 2], error: VectorValueError, message: /element 0 is Infinity; every element must be a finite number\.$/ },
  { name: '-Infinity', value: () => [1, 2, Number.NEGATIVE_INFINITY], error: VectorValueError, message: /element 2 is -Infinity; every element must be a finite number\.$/ },
  { name: 'Infinity in a Float64Array', value: () => Float64Array.of(1, Infinity, 2), error: VectorValueError, message: /element 1 is Infinity/ },
  { name: 'a value over float32', value: () => [1e39, 0, 0], error: VectorValueError, message: /element 0 is 1e\+39, which overflows float32; keep every element within ±3\.4e38\.$/ },
  { name: 'a negative value over float32', value: () => [0, -3.5e38, 0], error: VectorValueError, message: /element 1 is -3\.5e\+38, which overflows float32/ },
  { name: 'a string', value: () => 'abc', error: VectorValueError, message: notArray },
  { name: 'a numeric string', value: () => '[1,2,3]', error: VectorValueError, message: notArray },
  { name: 'an SQL string', value: () => "[1,2,3]'); DROP TABLE doc; --", error: VectorValueError, message: notArray },
  { name: 'numeric strings as elements', value: () => ['1', '2', '3'], error: VectorValueError, message: /element 0 is the string "1", not a number; every element must be a finite number\.$/ },
  { name: 'nested arrays', value: () => [[1], [2], [3]], error: VectorValueError, message: /element 0 is an array of length 1, not a number/ },
  { name: 'an object', value: () => ({ x: 1, y: 2, z: 3 }), error: VectorValueError, message: notArray },
  { name: 'an array-like object', value: () => ({ 0: 1, 1: 2, 2: 3, length: 3 }), error: VectorValueError, message: notArray },
  { name: 'a number', value: () => 5, error: VectorValueError, message: notArray },
  { name: 'a boolean', value: () => true, error: VectorValueError, message: notArray },
  { name: 'a Set', value: () => new Set([1, 2, 3]), error: VectorValueError, message: notArray },
  { name: 'a Map', value: () => new Map([[0, 1]]), error: VectorValueError, message: notArray },
  { name: 'a Date', value: () => new Date(0), error: VectorValueError, message: notArray },
  { name: 'an ArrayBuffer', value: () => new Float32Array([1, 2, 3]).buffer, error: VectorValueError, message: notArray },
  { name: 'a DataView', value: () => new DataView(new ArrayBuffer(12)), error: VectorValueError, message: notArray },
  { name: 'a BigInt64Array', value: () => BigInt64Array.of(1n, 2n, 3n), error: VectorValueError, message: notArray },
  { name: 'bigint elements', value: () => [1n, 2n, 3n], error: VectorValueError, message: /element 0 is 1, not a number/ },
  { name: 'a null element', value: () => [1, null, 3], error: VectorValueError, message: /element 1 is null, not a number/ },
  { name: 'an undefined element', value: () => [1, undefined, 3], error: VectorValueError, message: /element 1 is undefined, not a number/ },
  { name: 'a hole', value: () => [1, , 3], error: VectorValueError, message: /element 1 is undefined, not a number/ }, // eslint-disable-line no-sparse-arrays
  { name: 'boxed numbers', value: () => [1, Object(2), 3], error: VectorValueError, message: /element 1 is a Number, not a number/ },
  { name: 'a wrong-length Int8Array', value: () => Int8Array.of(1, 2), error: VectorDimensionError, message: /expects 3 dimensions but the vector has 2/ },
  {
    name: 'a vector whose norm MariaDB cannot store',
    value: () => [3e38, 3e38, 0],
    error: VectorValueError,
    message: /has a Euclidean norm of 4\.24e\+38, more than the 1\.84e\+19 MariaDB's VECTOR stores \(its squared norm must fit a float32\); scale the vector down, e\.g\. normalise it\.$/,
    only: ['mariadb'],
  },
];

/** How a vector reaches the database. `null` in a NOT NULL column applies to the writes only. */
type VectorEntry = (dataSource: VectorDataSource, bad: unknown) => Promise<unknown>;

const WRITES: Record<string, VectorEntry> = {
  save: (ds, bad) => ds.getRepository(Doc).save({ title: 'bad', embedding: bad as number[] }),
  update: (ds, bad) => ds.getRepository(Doc).update({ title: 'first' }, { embedding: bad as number[] }),
  'insert().values': (ds, bad) => ds.getRepository(Doc).createQueryBuilder().insert().values({ title: 'bad', embedding: bad as number[] }).execute(),
  'a transaction after successful writes': (ds, bad) =>
    ds.transaction(async (manager) => {
      await manager.insert(Doc, { title: 'committed?', embedding: [7, 7, 7] });
      await manager.update(Doc, { title: 'first' }, { title: 'renamed' });
      await manager.save(Doc, { title: 'bad', embedding: bad as number[] });
    }),
};

const READS: Record<string, VectorEntry> = {
  orderByL2: (ds, bad) => ds.getRepository(Doc).createQueryBuilder('doc').orderByL2('doc.embedding', bad as number[]).getMany(),
  addSelectDistance: (ds, bad) => addSelectDistance(ds.getRepository(Doc).createQueryBuilder('doc'), 'doc.embedding', bad as number[], 'cosine', 'd').getRawMany(),
  andWhereDistance: (ds, bad) => ds.getRepository(Doc).createQueryBuilder('doc').andWhereDistance('doc.embedding', bad as number[], 'l2', '<', 1).getMany(),
  findNearest: (ds, bad) => findNearest(ds.getRepository(Doc), { column: 'embedding', vector: bad as number[] }),
};

/** A bad configuration: applies to the one entry point it names. */
interface ConfigCase {
  name: string;
  run: (ds: VectorDataSource, family: string) => unknown;
  error: ErrorClass | ((family: string) => ErrorClass);
  message: RegExp | ((family: string) => RegExp);
}

const LIMITS: Record<string, number> = { sqlite: 8192, libsql: 65536, postgres: 16000, mariadb: 16383 };
const index = (extra: object) => ({ table: 'doc', column: 'embedding_vec', metric: 'l2', dimensions: 3, ...extra }) as never;

function decorate(dimensions: unknown): void {
  @Entity()
  class Probe {
    @PrimaryGeneratedColumn() id!: number;
  }
  VectorColumn(dimensions as number)(Probe.prototype, 'embedding');
}

const CONFIG_CASES: ConfigCase[] = [
  { name: '@VectorColumn dimensions 0', run: () => decorate(0), error: VectorDimensionError, message: /^Probe\.embedding has dimensions 0; dimensions must be a positive integer such as 384\.$/ },
  { name: '@VectorColumn dimensions -3', run: () => decorate(-3), error: VectorDimensionError, message: /has dimensions -3; dimensions must be a positive integer/ },
  { name: '@VectorColumn dimensions 2.5', run: () => decorate(2.5), error: VectorDimensionError, message: /has dimensions 2\.5; dimensions must be a positive integer/ },
  { name: "@VectorColumn dimensions '3'", run: () => decorate('3'), error: VectorDimensionError, message: /has dimensions the string "3"; dimensions must be a positive integer/ },
  { name: '@VectorColumn dimensions NaN', run: () => decorate(Number.NaN), error: VectorDimensionError, message: /has dimensions NaN/ },
  { name: '@VectorColumn dimensions over any backend', run: () => decorate(70000), error: VectorDimensionError, message: /has 70000 dimensions, more than the 65536 that any supported backend stores; reduce the dimensions to 65536 or fewer\.$/ },
  {
    name: "dimensions over the backend's limit, at initialize()",
    run: async (ds, family) => {
      const limit = LIMITS[family]!;
      @Entity('too_wide')
      class TooWide {
        @PrimaryGeneratedColumn() id!: number;
        @VectorColumn(limit + 1) embedding!: number[];
      }
      const other = new VectorDataSource({ ...ds.options, entities: [TooWide], synchronize: true } as never);
      try {
        await other.initialize();
      } finally {
        if (other.isInitialized) await other.destroy();
      }
    },
    error: VectorDimensionError,
    message: (family) => new RegExp(`^TooWide\\.embedding has ${LIMITS[family]! + 1} dimensions, more than the ${LIMITS[family]} that .+ stores; reduce the dimensions to ${LIMITS[family]} or fewer\\.$`),
  },
  { name: 'findNearest metric "euclid"', run: (ds) => findNearest(ds.getRepository(Doc), { column: 'embedding', vector: [1, 2, 3], metric: 'euclid' as never }), error: VectorConfigurationError, message: /Unknown metric "euclid"/ },
  { name: 'orderByDistance metric 42', run: (ds) => ds.getRepository(Doc).createQueryBuilder('doc').addSelectDistance('doc.embedding', [1, 2, 3], 42 as never, 'd').getRawMany(), error: VectorConfigurationError, message: /Unknown metric 42/ },
  { name: 'findNearest limit 0', run: (ds) => findNearest(ds.getRepository(Doc), { column: 'embedding', vector: [1, 2, 3], limit: 0 }), error: VectorConfigurationError, message: /^findNearest limit 0 is not a positive integer; pass e\.g\. limit: 10\.$/ },
  { name: 'findNearest limit -5', run: (ds) => findNearest(ds.getRepository(Doc), { column: 'embedding', vector: [1, 2, 3], limit: -5 }), error: VectorConfigurationError, message: /limit -5 is not a positive integer/ },
  { name: "findNearest limit '10'", run: (ds) => findNearest(ds.getRepository(Doc), { column: 'embedding', vector: [1, 2, 3], limit: '10' as never }), error: VectorConfigurationError, message: /limit 10 is not a positive integer/ },
  { name: 'findNearest column "title"', run: (ds) => findNearest(ds.getRepository(Doc), { column: 'title', vector: [1, 2, 3] }), error: VectorConfigurationError, message: /Property 'title' of alias 'entity' \(entity Doc\) is not a @VectorColumn/ },
  { name: 'findNearest where on an unknown property', run: (ds) => findNearest(ds.getRepository(Doc), { column: 'embedding', vector: [1, 2, 3], where: { nope: 1 } as never }), error: VectorConfigurationError, message: /^findNearest where names 'nope', which is not a property of Doc; use one of id, title, embedding, draft\.$/ },
  {
    name: 'findNearest search efSearch 0',
    run: (ds) => findNearest(ds.getRepository(Doc), { column: 'embedding', vector: [1, 2, 3], search: { efSearch: 0 } }),
    error: (family) => (family === 'postgres' || family === 'mariadb' ? VectorConfigurationError : UnsupportedVectorFeatureError),
    message: (family) => (family === 'postgres' || family === 'mariadb' ? /efSearch 0 is not valid on .+; pass an integer from 1 to/ : /has no efSearch search setting/),
  },
  { name: 'index metric "euclid"', run: (ds) => vectorIndexSql(ds, index({ metric: 'euclid' })), error: VectorConfigurationError, message: /Unknown metric "euclid"/ },
  { name: 'index kind "btree"', run: (ds) => createVectorIndex(ds.createQueryRunner(), index({ kind: 'btree' })), error: UnsupportedVectorFeatureError, message: /^Unknown vector index kind "btree"; use kind / },
  { name: 'index dimensions 0', run: (ds) => createVectorIndex(ds.createQueryRunner(), index({ dimensions: 0 })), error: VectorConfigurationError, message: /^Vector index dimensions 0 for doc\.embedding_vec is not a positive integer; pass the column's dimension count, e\.g\. dimensions: 384\.$/ },
  { name: 'index dimensions 1.5', run: (ds) => vectorIndexSql(ds, index({ dimensions: 1.5 })), error: VectorConfigurationError, message: /^Vector index dimensions 1\.5 for doc\.embedding_vec is not a positive integer/ },
  { name: "index dimensions over the index's limit", run: (ds) => vectorIndexSql(ds, index({ dimensions: 70000 })), error: UnsupportedVectorFeatureError, message: /^A .+ index takes at most \d+ dimensions but doc\.embedding_vec has 70000; / },
  {
    name: 'index m 1000 (out of range)',
    run: (ds) => createVectorIndex(ds.createQueryRunner(), index({ m: 1000 })),
    error: VectorConfigurationError,
    message: (family) => (family === 'postgres' || family === 'mariadb' ? /^m 1000 is not an integer from \d+ to \d+; pass e\.g\. m: \d+ \(the default\)\.$/ : /^Unknown option 'm' for a /),
  },
  {
    name: "index m '16' (a string)",
    run: (ds) => vectorIndexSql(ds, index({ m: '16' })),
    error: VectorConfigurationError,
    message: (family) => (family === 'postgres' || family === 'mariadb' ? /^m "16" is not an integer from/ : /^Unknown option 'm'/),
  },
  { name: 'index option lits', run: (ds) => createVectorIndex(ds.createQueryRunner(), index({ lits: 10 })), error: VectorConfigurationError, message: /^Unknown option 'lits' for a .+; use table, column, metric/ },
  { name: 'index name with SQL', run: (ds) => createVectorIndex(ds.createQueryRunner(), index({ name: 'i; DROP TABLE doc; --' })), error: VectorConfigurationError, message: /^Vector index name "i; DROP TABLE doc; --" is not a plain identifier/ },
  { name: 'index table with a control character', run: (ds) => createVectorIndex(ds.createQueryRunner(), index({ table: 'doc\u0000' })), error: VectorConfigurationError, message: /^Table "doc\\u0000" is not a table name/ },
  { name: 'index on a missing column', run: (ds) => createVectorIndex(ds.createQueryRunner(), index({ column: 'nope' })), error: VectorMigrationError, message: /^Column doc\.nope does not exist; create the table and its vector column before the index/ },
  {
    name: 'drop an ivfflat index with lists 0',
    run: (ds) => dropVectorIndex(ds.createQueryRunner(), index({ kind: 'ivfflat', lists: 0 })),
    error: (family) => (family === 'postgres' ? VectorConfigurationError : UnsupportedVectorFeatureError),
    message: (family) => (family === 'postgres' ? /^lists 0 is not an integer from 1 to 32768; pass e\.g\. lists: 100 \(the default\)\.$/ : /^.+ has no 'ivfflat' vector index; use kind /),
  },
];

/** Tables and indexes of the test database, from each backend's catalog (getTables() would list every database of the server). */
const SCHEMA_SQL: Record<string, string> = {
  sqlite: `SELECT type, name FROM sqlite_master ORDER BY name`,
  libsql: `SELECT type, name FROM sqlite_master ORDER BY name`,
  postgres: `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' UNION ALL SELECT indexname FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1`,
  mariadb: `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() UNION ALL SELECT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() ORDER BY 1`,
};

/** The database's state: every row of doc with its exact bytes, and the tables and indexes. */
async function snapshot(dataSource: VectorDataSource, family: string): Promise<string> {
  const data = await rows(dataSource, 'SELECT * FROM doc ORDER BY id');
  const schema = await rows(dataSource, SCHEMA_SQL[family]!);
  return JSON.stringify({ data, schema }, (_key, value: unknown) =>
    value && typeof value === 'object' && 'type' in value && (value as { type: unknown }).type === 'Buffer'
      ? Buffer.from((value as unknown as { data: number[] }).data).toString('hex')
      : value instanceof ArrayBuffer
        ? Buffer.from(value).toString('hex')
        : value,
  );
}

/** Runs `attempt`, expecting a one-sentence VectorError of `errorClass` matching `message`; returns what went wrong, or undefined. */
async function refused(attempt: () => unknown, errorClass: ErrorClass, message: RegExp): Promise<string | undefined> {
  let error: unknown;
  try {
    await attempt();
    return 'it was accepted';
  } catch (caught) {
    error = caught;
  }
  if (!(error instanceof errorClass)) return `it threw ${String(error)} instead of a ${errorClass.name}`;
  const text = (error as Error).message;
  if (!message.test(text)) return `its message "${text}" does not match ${message}`;
  if (!/^[^\n]+[.?]$/.test(text) || /\.\s+[A-Z]/.test(text.replace(/e\.g\. |i\.e\. |\d\.\d/g, ''))) return `its message "${text}" is not one sentence`;
  return undefined;
}

describe.each(BACKENDS)('bad-input catalogue on $name', (backend) => {
  const family = sqlFamily(backend.name);
  let dataSource: VectorDataSource;
  let before: string;
  const tally = { cases: 0, attempts: 0, passed: 0 };
  beforeAll(async () => {
    dataSource = await backend.open([Doc]);
    await dataSource.getRepository(Doc).insert([
      { title: 'first', embedding: [1, 2, 3], draft: Float32Array.of(-0, 0.5, 1e-40) },
      { title: 'second', embedding: [-1, 0.25, 3e-38], draft: null },
    ]);
    before = await snapshot(dataSource, family);
  });
  afterAll(async () => {
    console.log(
      `bad-input catalogue on ${backend.name}: ${tally.cases} cases, ${tally.attempts} attempts through their entry points, ${tally.passed} refused with the expected sentence and the database unchanged (${((100 * tally.passed) / Math.max(1, tally.attempts)).toFixed(0)}%)`,
    );
    await backend.close(dataSource);
  });

  /** Runs every attempt of one case and checks the database after each. */
  async function check(attempts: Array<[string, () => unknown]>, error: ErrorClass, message: RegExp): Promise<void> {
    tally.cases++;
    const failures: string[] = [];
    for (const [entry, attempt] of attempts) {
      tally.attempts++;
      const problem = (await refused(attempt, error, message)) ?? ((await snapshot(dataSource, family)) === before ? undefined : 'the database changed');
      if (problem) failures.push(`${entry}: ${problem}`);
      else tally.passed++;
    }
    expect(failures).toEqual([]);
  }

  const vectorCases = VECTOR_CASES.filter((c) => !c.only || c.only.includes(family));
  it.each(vectorCases.map((c) => [c.name, c] as const))('refuses %s on every write and read', async (_name, c) => {
    const entries = { ...WRITES, ...READS };
    await check(
      Object.entries(entries).map(([entry, run]) => [entry, () => run(dataSource, c.value())]),
      c.error,
      c.message,
    );
  });

  it('refuses null in a NOT NULL column on every write', async () => {
    await check(
      Object.entries(WRITES).map(([entry, run]) => [entry, () => run(dataSource, null)]),
      VectorValueError,
      /^Doc\.embedding is NOT NULL but got null; pass a (float32 )?vector of 3 (numbers|dimensions) or declare @VectorColumn\(3, \{ nullable: true \}\)\.$/,
    );
  });

  it.each(CONFIG_CASES.map((c) => [c.name, c] as const))('refuses %s', async (_name, c) => {
    const error = typeof c.error === 'function' && !(c.error.prototype instanceof Error) ? (c.error as (f: string) => ErrorClass)(family) : (c.error as ErrorClass);
    const message = typeof c.message === 'function' ? c.message(family) : c.message;
    await check([[c.name, () => c.run(dataSource, family)]], error, message);
  });

  if (family === 'sqlite' || family === 'libsql') {
    it('refuses a stored value that is not a float32 BLOB (written by another program), leaving it as it was', async () => {
      await rows(dataSource, `UPDATE doc SET draft = '[1,2,3]' WHERE title = 'second'`);
      const changed = await snapshot(dataSource, family);
      try {
        tally.cases++;
        tally.attempts++;
        const problem = await refused(() => dataSource.getRepository(Doc).findOneBy({ title: 'second' }), VectorValueError, /^Doc\.draft returned the string "\[1,2,3\]" instead of a float32 BLOB; is the column of type /);
        expect(problem).toBeUndefined();
        expect(await snapshot(dataSource, family)).toBe(changed);
        tally.passed++;
      } finally {
        await rows(dataSource, `UPDATE doc SET draft = NULL WHERE title = 'second'`);
      }
      expect(await snapshot(dataSource, family)).toBe(before);
    });
  }

  it('checks its dialect limits against the table above', () => {
    expect(dialectOf(dataSource).capabilities.maxDimensions).toBe(LIMITS[family]);
  });
});
