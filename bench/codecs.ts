/**
 * Codec figures (issue 13, section 3), each a ratio of two timings in the same run: the float32
 * BLOB read path (what an entity load on SQLite, libSQL and MariaDB runs: the column transformer
 * from bytes to `number[]` or `Float32Array`) against pgvector-node's text round trip
 * `fromSql(toSql(v))` at 1,536 dimensions, and our pgvector text codec against pgvector-node's.
 * Every call is timed from a settled heap (`settleHeap`: a full collection, untimed, before it), so
 * the baseline's garbage is not collected on our time, nor ours on its. Part of `npm run bench`.
 */
import * as pgvector from 'pgvector';
import { decodeFloat32Blob, encodeFloat32Blob, parsePgvectorText, toPgvectorText, validateVector } from '../src';
import { vectorTransformer } from '../src/column/vector-transformer';
import { sqliteVecDialect } from '../src/dialects/sqlite-vec';
import { randomVectors } from '../test/support/vectors';
import { compare } from './measure';
import type { Figure } from './results-file';

const ROUNDS = 15;

function transformer(dimensions: number, as: 'array' | 'float32array') {
  return vectorTransformer({ dimensions, type: 'float32', nullable: false, as, subject: 'Bench.embedding', sizeCheck: false }, sqliteVecDialect.codec);
}

/**
 * The codec figures: 500 vectors of 1,536 dimensions for the BLOB read path, 2,000 of 384 for
 * the pgvector text codec (as before this issue, so the lines compare across runs).
 *
 * @example
 * const figures = await codecBenchmark();
 */
export async function codecBenchmark(): Promise<Figure[]> {
  const figures: Figure[] = [];
  const speedUp = async (line: string, baseline: string, ours: () => unknown, theirs: () => unknown) => {
    const { ratio } = await compare(line, baseline, ours, theirs, ROUNDS, { settleHeap: true });
    figures.push({ line, value: 1 / ratio, better: 'higher', baseline });
  };
  const slowDown = async (line: string, baseline: string, ours: () => unknown, theirs: () => unknown) => {
    const { ratio } = await compare(line, baseline, ours, theirs, ROUNDS, { settleHeap: true });
    figures.push({ line, value: ratio, better: 'lower', baseline });
  };

  const wide = randomVectors(500, 1536, 3).map((v) => Array.from(new Float32Array(v)));
  const blobs = wide.map((v) => Buffer.from(encodeFloat32Blob(new Float32Array(v))));
  const toArray = transformer(1536, 'array');
  const toFloat32 = transformer(1536, 'float32array');
  const roundTrip = () => wide.map((v) => pgvector.fromSql(pgvector.toSql(v)));
  await speedUp('codec: float32 BLOB -> number[] (column transformer), 500 x 1,536 (speed-up)', "pgvector-node's text fromSql(toSql(v))", () => blobs.map((b) => toArray.from(b)), roundTrip);
  await speedUp('codec: float32 BLOB -> Float32Array (column transformer), 500 x 1,536 (speed-up)', "pgvector-node's text fromSql(toSql(v))", () => blobs.map((b) => toFloat32.from(b)), roundTrip);

  const vectors = randomVectors(2000, 384, 1);
  const texts = vectors.map((v) => toPgvectorText(validateVector(v, 384, 'v')));
  await slowDown('codec: encode pgvector text (validate + format), 2,000 x 384 (time ratio)', "pgvector-node's toSql (no validation)", () => vectors.map((v) => toPgvectorText(validateVector(v, 384, 'v'))), () => vectors.map((v) => pgvector.toSql(v)));
  await slowDown('codec: decode pgvector text, 2,000 x 384 (time ratio)', "pgvector-node's fromSql", () => texts.map((t) => parsePgvectorText(t, 'v')), () => texts.map((t) => pgvector.fromSql(t)));
  await slowDown(
    'codec: pgvector text encode + decode, 2,000 x 384 (time ratio)',
    "pgvector-node's fromSql(toSql(v))",
    () => vectors.map((v) => parsePgvectorText(toPgvectorText(validateVector(v, 384, 'v')), 'v')),
    () => vectors.map((v) => pgvector.fromSql(pgvector.toSql(v))),
  );
  const small = vectors.map((v) => encodeFloat32Blob(validateVector(v, 384, 'v')));
  await slowDown('codec: encode float32 BLOB (validate + write), 2,000 x 384 (time ratio)', 'Buffer.from(new Float32Array(v).buffer)', () => vectors.map((v) => encodeFloat32Blob(validateVector(v, 384, 'v'))), () => vectors.map((v) => Buffer.from(new Float32Array(v).buffer)));
  await slowDown('codec: decode float32 BLOB (checked copy), 2,000 x 384 (time ratio)', 'Float32Array.from(view)', () => small.map((b) => decodeFloat32Blob(b, 'v')), () => small.map((b) => Float32Array.from(new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4))));
  return figures;
}
