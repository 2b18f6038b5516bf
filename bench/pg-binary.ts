/**
 * Reads without text parsing on PostgreSQL (issue 13, section 2): 10,000 x 1,536 vectors decoded
 * from pgvector's text output by our codec against pgvector's binary format (`vector_send`'s
 * layout): the decoding alone; end to end on `pg` (`SELECT id, embedding` against
 * `SELECT id, vector_send(embedding)`, which arrives as bytea, hex in pg's text protocol, then
 * decoded); and through TypeORM (`repository.find()` against a query builder selecting
 * `vector_send(...)` with `getRawMany()`, decoded and put in entities by hand: the least a binary
 * entity load would cost); and `findNearest`, which reads its vector columns through `vector_send`,
 * against the same search reading them as text (an entity with an `@AfterLoad` listener keeps
 * TypeORM's own text read), at limits 10 and 1,000. pg's own `binary: true` results cannot carry vectors: pg-protocol reads
 * every field as a UTF-8 string and pg turns it back into a Buffer, which mangles arbitrary bytes.
 * Part of `npm run bench` (or alone: `ts-node --transpile-only bench/pg-binary.ts`); runs in a
 * database of its own (`tv_binary_<hex>`), dropped at the end.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { AfterLoad, Entity, PrimaryColumn } from 'typeorm';
import { findNearest, parsePgvectorBinary, parsePgvectorText, VectorColumn, VectorDataSource } from '../src';
import { withNewPgDatabase } from '../test/support/db-clients';
import { startServers } from '../test/support/servers';
import { medianTimes } from './measure';
import type { Figure } from './results-file';

const ROWS = 10_000;
const DIMENSIONS = 1536;

@Entity('binary_item')
class BinaryItem {
  @PrimaryColumn() id!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

/** The same table, for the text-read baseline of findNearest: a load listener keeps TypeORM's own (text) read of its vectors. */
@Entity('binary_item')
class BinaryItemReadAsText {
  @PrimaryColumn() id!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
  @AfterLoad() loaded(): void {}
}

/** number[] from a Float32Array, as entity loads give it (a loop: Array.from is many times slower). */
function numbers(vector: Float32Array): number[] {
  const out = new Array<number>(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = vector[i]!;
  return out;
}

/**
 * Text against binary transport of `vector` values on the PostgreSQL server of `adminUrl`: the
 * speed-up of binary (text time / binary time), decode alone and through TypeORM.
 *
 * @example
 * const figures = await pgBinaryBenchmark(servers.urls.TEST_POSTGRES_URL);
 */
export async function pgBinaryBenchmark(adminUrl: string, rounds = 3): Promise<Figure[]> {
  return withNewPgDatabase(adminUrl, 'tv_binary', async (url) => {
    const dataSource = await new VectorDataSource({ type: 'postgres', url, entities: [BinaryItem], synchronize: true }).initialize();
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      // Seeded server-side (setseed), so loading costs no client time.
      await client.query('SELECT setseed(0.5)');
      await client.query(
        `INSERT INTO binary_item (id, embedding) SELECT g, (SELECT array_agg(random()::real - 0.5) FROM generate_series(1, ${DIMENSIONS}) d WHERE g > 0)::vector FROM generate_series(1, ${ROWS}) g`,
      );
      await client.query('VACUUM ANALYZE binary_item');
      const texts = (await client.query<{ t: string }>('SELECT embedding::text AS t FROM binary_item ORDER BY id')).rows.map((r) => r.t);
      const bytes = (await client.query<{ b: Buffer }>('SELECT vector_send(embedding) AS b FROM binary_item ORDER BY id')).rows.map((r) => r.b);
      const first = parsePgvectorBinary(bytes[0]!, 'v');
      if (!parsePgvectorText(texts[0]!, 'v').every((value, i) => Object.is(value, first[i]))) throw new Error('pgvector binary and text decode to different vectors.');
      const [decodeText, decodeBinary] = await medianTimes([() => texts.map((t) => parsePgvectorText(t, 'v')), () => bytes.map((b) => parsePgvectorBinary(b, 'v'))], rounds * 2 + 1);

      const rawText = async () => (await client.query<{ id: number; e: string }>('SELECT id, embedding::text AS e FROM binary_item')).rows.map((r) => ({ id: r.id, embedding: parsePgvectorText(r.e, 'v') }));
      const rawBinary = async () => (await client.query<{ id: number; e: Buffer }>('SELECT id, vector_send(embedding) AS e FROM binary_item')).rows.map((r) => ({ id: r.id, embedding: parsePgvectorBinary(r.e, 'v') }));
      const [pgText, pgBinary] = await medianTimes([rawText, rawBinary], rounds);

      const repo = dataSource.getRepository(BinaryItem);
      const entityText = () => repo.find();
      const entityBinary = async () =>
        (await repo.createQueryBuilder('entity').select('entity.id', 'id').addSelect('vector_send(entity.embedding)', 'embedding').getRawMany<{ id: number; embedding: Buffer }>()).map((raw) =>
          Object.assign(new BinaryItem(), { id: raw.id, embedding: numbers(parsePgvectorBinary(raw.embedding, 'v')) }),
        );
      const viaBinary = (await entityBinary()).find((item) => item.id === 1)!;
      if (!viaBinary.embedding.every((value, i) => Object.is(value, first[i]))) throw new Error('An entity loaded through vector_send differs from the text load.');
      console.error('pg-binary: decode and pg done');
      const [typeormText, typeormBinary] = await medianTimes([entityText, entityBinary], rounds);
      const textSource = await new VectorDataSource({ type: 'postgres', url, entities: [BinaryItemReadAsText] }).initialize();
      const nearest: Array<{ limit: number; text: number; binary: number }> = [];
      try {
        const query = Array.from(first, (value) => -value);
        for (const limit of [10, 1000]) {
          const binary = () => findNearest(repo, { column: 'embedding', vector: query, limit });
          const text = () => findNearest(textSource.getRepository(BinaryItemReadAsText), { column: 'embedding', vector: query, limit });
          const [a, b] = await Promise.all([binary(), text()]);
          if (a.some((row, i) => row.entity.id !== b[i]!.entity.id || !row.entity.embedding.every((value, d) => Object.is(value, b[i]!.entity.embedding[d])))) throw new Error('findNearest read binary and text differently.');
          const [textTime, binaryTime] = await medianTimes([text, binary], rounds * 4 + 1);
          nearest.push({ limit, text: textTime!, binary: binaryTime! });
        }
      } finally {
        await textSource.destroy();
      }
      const size = `${ROWS.toLocaleString('en')} x ${DIMENSIONS.toLocaleString('en')}`;
      const line = (what: string) => `PostgreSQL vector_send (binary) over text: ${what}, ${size} (speed-up of binary)`;
      return [
        { line: line('decode only'), value: decodeText! / decodeBinary!, better: 'higher', baseline: 'our text codec (JSON.parse) on the same rows' },
        { line: line('pg query + decode'), value: pgText! / pgBinary!, better: 'higher', baseline: 'SELECT embedding::text, decoded by our codec' },
        { line: line('through TypeORM, entities'), value: typeormText! / typeormBinary!, better: 'higher', baseline: 'repository.find() (text)' },
        ...nearest.map(({ limit, text, binary }) => ({
          line: line(`findNearest, limit ${limit.toLocaleString('en')}`),
          value: text / binary,
          better: 'higher' as const,
          baseline: 'the same findNearest reading vectors as text',
        })),
      ];
    } finally {
      await client.end().catch(() => undefined);
      await dataSource.destroy();
    }
  });
}

if (require.main === module) {
  (async () => {
    const servers = await startServers(['postgres']);
    try {
      for (const figure of await pgBinaryBenchmark(servers.urls.TEST_POSTGRES_URL)) console.log(`${figure.line}: ${figure.value.toFixed(2)}`);
    } finally {
      await servers.stop();
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
