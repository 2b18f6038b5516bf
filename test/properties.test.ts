/**
 * Properties (fast-check): every finite float32 vector round-trips exactly, bit for bit (-0,
 * subnormals, the largest and smallest float32 included), through every codec and every backend,
 * at 1 dimension and at the backend's maximum; and the database's distances equal JavaScript's
 * within float32 tolerance for every metric the backend has. Runs are bounded and batched (one
 * INSERT per 100 rows) so the file stays within a few seconds per backend; a failure prints the
 * seed to replay it (`FC_SEED=<seed>`).
 */
import 'reflect-metadata';
import fc from 'fast-check';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { decodeFloat32Blob, encodeFloat32Blob, parsePgvectorText, toPgvectorText, VectorColumn, type VectorDataSource } from '../src';
import { dialectOf } from '../src/dialects';
import { BACKENDS, sqlFamily } from './support/backends';
import { DISTANCES } from './support/vectors';

const SEED = Number(process.env.FC_SEED ?? 20261215);
const MAX_FLOAT32 = 3.4028234663852886e38;
const MIN_SUBNORMAL = 1.401298464324817e-45;
const MIN_NORMAL = 1.1754943508222875e-38;

/**
 * Most dimensions a column of a table with a primary key may have on each backend (checked against
 * the dialect below). MariaDB's VECTOR(16383) alone fills its 65,535-byte row: with an integer
 * primary key beside it, CREATE TABLE fails ("Row size too large"), so the widest such table is 16382.
 */
const MAX_DIMENSIONS: Record<string, number> = { sqlite: 8192, libsql: 65536, postgres: 16000, mariadb: 16382 };

/** Every finite float32, with the edges drawn often: -0, subnormals, the smallest normal, the largest. */
const anyFloat32 = fc.oneof(
  { weight: 4, arbitrary: fc.float({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0, MIN_SUBNORMAL, -MIN_SUBNORMAL, MIN_NORMAL, -MIN_NORMAL, MAX_FLOAT32, -MAX_FLOAT32, 2 ** -140, 1, -1) },
);
/**
 * MariaDB refuses a VECTOR whose squared norm overflows float32 (the catalogue checks that refusal):
 * its elements stay within ±`limit`, which keeps -0, subnormals and every exponent below it.
 */
const mariadbFloat32 = (limit: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.float({ noNaN: true, min: Math.fround(-limit), max: Math.fround(limit) }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, MIN_SUBNORMAL, -MIN_SUBNORMAL, MIN_NORMAL, -MIN_NORMAL, 2 ** -140, 1, -1) },
  );

/** Bit-for-bit equality of float32 values (-0 is not 0). */
function sameFloats(actual: ArrayLike<number>, expected: ArrayLike<number>): boolean {
  if (actual.length !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) if (!Object.is(Math.fround(actual[i]!), expected[i]!)) return false;
  return true;
}

describe('codec properties', () => {
  const vectors = fc.array(anyFloat32, { minLength: 1, maxLength: 64 }).map((values) => Float32Array.from(values));

  it('the float32 BLOB codec round-trips every finite float32 exactly', () => {
    fc.assert(fc.property(vectors, (vector) => sameFloats(decodeFloat32Blob(encodeFloat32Blob(vector), 'v'), vector)), { seed: SEED, numRuns: 500 });
  });

  it('the pgvector text codec round-trips every finite float32 exactly, -0 included', () => {
    fc.assert(fc.property(vectors, (vector) => sameFloats(parsePgvectorText(toPgvectorText(vector), 'v'), vector)), { seed: SEED, numRuns: 500 });
    expect(toPgvectorText(new Float32Array([-0, 0, MIN_SUBNORMAL]))).toBe('[-0,0,1.40129846e-45]');
  });
});

describe.each(BACKENDS)('properties on $name', (backend) => {
  const family = sqlFamily(backend.name);
  const max = MAX_DIMENSIONS[family]!;

  @Entity('prop_item')
  class PropItem {
    @PrimaryGeneratedColumn() id!: number;
    @VectorColumn(16, { as: 'float32array' }) embedding!: Float32Array;
  }
  @Entity('prop_one')
  class PropOne {
    @PrimaryGeneratedColumn() id!: number;
    @VectorColumn(1, { as: 'float32array' }) embedding!: Float32Array;
  }
  @Entity('prop_widest')
  class PropWidest {
    @PrimaryGeneratedColumn() id!: number;
    @VectorColumn(max, { as: 'float32array' }) embedding!: Float32Array;
  }
  @Entity('prop_distance')
  class PropDistance {
    @PrimaryGeneratedColumn() id!: number;
    @Column({ type: 'integer' }) batch!: number;
    @VectorColumn(8) embedding!: number[];
  }

  let dataSource: VectorDataSource;
  beforeAll(async () => {
    dataSource = await backend.open([PropItem, PropOne, PropWidest, PropDistance]);
  });
  afterAll(() => backend.close(dataSource));

  const element = family === 'mariadb' ? mariadbFloat32(1e18) : anyFloat32;
  /** Elements of the widest vector: on MariaDB within ±1e17, so that 16382 of them keep the norm storable. */
  const widestElement = family === 'mariadb' ? mariadbFloat32(1e17) : anyFloat32;

  /** Saves `vectors` (100 rows per INSERT) into `entity` and returns them read back, in insertion order. */
  async function roundTrip(entity: typeof PropItem | typeof PropOne | typeof PropWidest, vectors: Float32Array[]): Promise<Float32Array[]> {
    const repo = dataSource.getRepository(entity);
    await repo.clear();
    for (let i = 0; i < vectors.length; i += 100) await repo.insert(vectors.slice(i, i + 100).map((embedding) => ({ embedding })));
    return (await repo.find({ order: { id: 'ASC' } })).map((row) => row.embedding);
  }

  function expectExact(back: Float32Array[], sent: Float32Array[]): void {
    expect(back).toHaveLength(sent.length);
    const wrong = sent.findIndex((vector, i) => !sameFloats(back[i]!, vector));
    if (wrong >= 0) throw new Error(`vector ${wrong} came back changed (seed ${SEED}): sent [${Array.from(sent[wrong]!).map(String)}], got [${Array.from(back[wrong]!).map(String)}]`);
  }

  it('round-trips 300 random 16-dimension float32 vectors exactly', async () => {
    const sent = fc.sample(fc.array(element, { minLength: 16, maxLength: 16 }), { seed: SEED, numRuns: 300 }).map((values) => Float32Array.from(values));
    sent.push(Float32Array.from({ length: 16 }, (_, i) => (i % 2 ? -0 : MIN_SUBNORMAL)));
    expectExact(await roundTrip(PropItem, sent), sent);
  });

  it('round-trips every edge value at 1 dimension exactly', async () => {
    const edges = [0, -0, MIN_SUBNORMAL, -MIN_SUBNORMAL, MIN_NORMAL, -MIN_NORMAL, 2 ** -140, 1, -1, Math.fround(0.1), Math.fround(1e18), Math.fround(-1e18)];
    if (family !== 'mariadb') edges.push(MAX_FLOAT32, -MAX_FLOAT32);
    const sent = edges.map((value) => Float32Array.of(value));
    expectExact(await roundTrip(PropOne, sent), sent);
  });

  it(`round-trips a vector of the backend's maximum dimensions (${max}) exactly, and queries with one`, async () => {
    expect(dialectOf(dataSource).capabilities.maxDimensions).toBe(family === 'mariadb' ? max + 1 : max);
    const [values] = fc.sample(fc.array(widestElement, { minLength: max, maxLength: max }), { seed: SEED, numRuns: 1 });
    const sent = [Float32Array.from(values!), new Float32Array(max).fill(-0)];
    expectExact(await roundTrip(PropWidest, sent), sent);
    const query = new Float32Array(max).fill(0.5);
    const near = await dataSource.getRepository(PropWidest).createQueryBuilder('w').orderByL2('w.embedding', query).limit(1).getMany();
    expect(near).toHaveLength(1);
  });

  it('computes distances equal to JavaScript within float32 tolerance, for every metric it has', async () => {
    // The metrics of float vectors (bit vectors' hamming and jaccard are not distances of float32 columns).
    const metrics = dialectOf(dataSource).capabilities.metrics.filter((metric): metric is keyof typeof DISTANCES => metric in DISTANCES);
    const coordinate = fc.float({ noNaN: true, min: -100, max: 100 });
    const stored = fc.sample(fc.array(coordinate, { minLength: 8, maxLength: 8 }), { seed: SEED, numRuns: 60 });
    const queries = fc.sample(fc.array(coordinate, { minLength: 8, maxLength: 8 }), { seed: SEED + 1, numRuns: 5 });
    const repo = dataSource.getRepository(PropDistance);
    await repo.insert(stored.map((embedding) => ({ batch: 1, embedding })));
    const byId = new Map((await repo.find()).map((row) => [row.id, row.embedding]));
    let compared = 0;
    for (const metric of metrics) {
      for (const query of queries) {
        const raw = await repo.createQueryBuilder('d').select('d.id', 'id').addSelectDistance('d.embedding', query, metric, 'distance').getRawMany<{ id: number; distance: number | string }>();
        expect(raw).toHaveLength(stored.length);
        for (const { id, distance } of raw) {
          const vector = byId.get(Number(id))!;
          const expected = DISTANCES[metric](vector, query);
          // float32 arithmetic: relative error of a few ulps of the operands' scale, summed over 8 dimensions
          const scale = metric === 'cosine' ? 1 : norm(vector) * (metric === 'inner_product' ? norm(query) : 1) + norm(query) + (metric === 'l1' ? l1Norm(vector) + l1Norm(query) : 0);
          const tolerance = 1e-5 * scale + 1e-6;
          if (Math.abs(Number(distance) - expected) > tolerance) {
            throw new Error(`${metric} distance of row ${id} is ${distance} in the database but ${expected} in JavaScript (tolerance ${tolerance}, seed ${SEED})`);
          }
          compared++;
        }
      }
    }
    expect(compared).toBe(metrics.length * queries.length * stored.length);
  });
});

function norm(v: readonly number[]): number {
  return Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
}

function l1Norm(v: readonly number[]): number {
  return v.reduce((sum, x) => sum + Math.abs(x), 0);
}
