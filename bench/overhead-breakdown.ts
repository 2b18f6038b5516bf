/**
 * Where the kNN overhead on PostgreSQL goes (issue 13, section 3): CPU time per call
 * (`process.cpuUsage`, user + system, this process only) of the raw `pg` client running the
 * findNearest SQL, of TypeORM layers running the same query (`dataSource.query`, a query builder's
 * `getRawMany` and `getRawAndEntities`, which read the vectors as text), of the query-builder kNN
 * and `findNearest`, and of three parts alone (decoding ten vectors from text, as TypeORM's loads
 * do, and from `vector_send`'s binary straight to `number[]`, as findNearest does; building the query-builder kNN's SQL). 10,000 x 384
 * rows, top 10, the calls interleaved in 20 blocks. Then elapsed time, median of 401 rounds each
 * call timed alone (as bench/overhead.ts times), of the layers under `findNearest` running its SQL:
 * the raw client, `dataSource.query`, a query runner of its own, `findNearest`'s planning followed
 * by that SQL, and `findNearest`. Not part of `npm run bench`:
 *
 *   npx ts-node --transpile-only --project tsconfig.json bench/overhead-breakdown.ts [calls, default 2000]
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { findNearest, parsePgvectorText, VectorDataSource } from '../src';
import { parsePgvectorBinaryNumbers } from '../src/codecs';
import { planNearest } from '../src/query/find-nearest';
import { medianTimes } from './measure';
import { recordQueries } from '../test/support/backends';
import { withNewPgDatabase } from '../test/support/db-clients';
import { startServers } from '../test/support/servers';
import { randomVectors } from '../test/support/vectors';
import { DIMENSIONS, OverheadItem, ROWS } from './overhead';

const BLOCKS = 20;

async function breakdown(url: string, calls: number): Promise<void> {
  const pg = await new VectorDataSource({ type: 'postgres', url, entities: [OverheadItem], synchronize: true }).initialize();
  const client = new Client({ connectionString: url });
  try {
    await client.connect();
    const repo = pg.getRepository(OverheadItem);
    await repo.insert(randomVectors(ROWS, DIMENSIONS, 1).map((embedding) => ({ embedding })));
    await pg.query('ANALYZE overhead_item');
    const query = randomVectors(1, DIMENSIONS, 2)[0]!;
    const nearest = () => findNearest(repo, { column: 'embedding', vector: query, metric: 'l2', limit: 10 });
    const select = (await recordQueries(pg, nearest)).filter((s) => s.query.includes('ORDER BY')).pop();
    if (!select) throw new Error('findNearest sent no ORDER BY query.');
    const parameters = select.parameters ?? [];
    const binaryRows = (await client.query<{ tv_binary_0: Buffer }>(select.query, parameters)).rows;
    if (!(binaryRows[0]?.tv_binary_0 instanceof Buffer)) throw new Error('findNearest no longer selects its vector as tv_binary_0 (vector_send); update this breakdown.');
    const textRows = (await client.query<{ embedding: string }>('SELECT embedding FROM overhead_item LIMIT 10')).rows;
    // The same query as findNearest's, through a query builder with nothing of typeorm-vector in it.
    const plainBuilder = () =>
      repo.createQueryBuilder('entity').addSelect('("entity"."embedding" <-> CAST(:v AS vector))', 'tv_distance').orderBy('tv_distance', 'ASC').setParameter('v', parameters[0]).take(10);
    const parts: Record<string, () => Promise<unknown>> = {
      'raw pg client': () => client.query(select.query, parameters),
      'dataSource.query (same SQL)': () => pg.query(select.query, parameters),
      'query builder getRawMany': () => plainBuilder().getRawMany(),
      'query builder getRawAndEntities': () => plainBuilder().getRawAndEntities(),
      'query-builder kNN (orderByL2().limit(10).getMany())': () => repo.createQueryBuilder('o').orderByL2('o.embedding', query).limit(10).getMany(),
      findNearest: nearest,
      'alone: decode ten vectors from text (parsePgvectorText, as TypeORM loads)': async () => textRows.map((row) => parsePgvectorText(row.embedding, 'v')),
      'alone: decode ten vectors from binary (parsePgvectorBinaryNumbers, as findNearest)': async () => binaryRows.map((row) => parsePgvectorBinaryNumbers(row.tv_binary_0, 'v')),
      "alone: build the query-builder kNN's SQL": async () => repo.createQueryBuilder('o').orderByL2('o.embedding', query).limit(10).getQueryAndParameters(),
    };
    for (const run of Object.values(parts)) for (let i = 0; i < 300; i++) await run();
    const cpu = new Map<string, number>();
    for (let block = 0; block < BLOCKS; block++) {
      for (const [name, run] of Object.entries(parts)) {
        const start = process.cpuUsage();
        for (let i = 0; i < calls / BLOCKS; i++) await run();
        const used = process.cpuUsage(start);
        cpu.set(name, (cpu.get(name) ?? 0) + (used.user + used.system) / 1000 / calls);
      }
    }
    console.log(`| what (PostgreSQL, ${ROWS.toLocaleString('en')} x ${DIMENSIONS}, top 10) | CPU ms per call |\n|---|---|`);
    for (const [name, ms] of cpu) console.log(`| ${name} | ${ms.toFixed(3)} |`);
    const options = { column: 'embedding', vector: query, metric: 'l2', limit: 10 } as const;
    const layers: Record<string, () => Promise<unknown>> = {
      'raw pg client': () => client.query(select.query, parameters),
      'dataSource.query (same SQL)': () => pg.query(select.query, parameters),
      'a query runner of its own (same SQL)': async () => {
        const runner = pg.createQueryRunner();
        try {
          return await runner.query(select.query, parameters);
        } finally {
          await runner.release();
        }
      },
      "findNearest's planning, then the same SQL": () => planNearest(repo, options, 'findNearest', ({ search }) => search.manager.query(select.query, parameters)),
      findNearest: nearest,
    };
    const medians = await medianTimes(Object.values(layers), 401);
    console.log(`\n| what (PostgreSQL, ${ROWS.toLocaleString('en')} x ${DIMENSIONS}, top 10) | median ms | over the raw client |\n|---|---|---|`);
    Object.keys(layers).forEach((name, i) => console.log(`| ${name} | ${medians[i]!.toFixed(3)} | ${(medians[i]! / medians[0]!).toFixed(3)} |`));
  } finally {
    await client.end().catch(() => undefined);
    await pg.destroy();
  }
}

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? 2000);
  if (!Number.isInteger(calls) || calls < BLOCKS) throw new Error(`calls ${process.argv[2]} is not a whole number of at least ${BLOCKS}; pass e.g. 2000.`);
  const servers = await startServers(['postgres']);
  try {
    await withNewPgDatabase(servers.urls.TEST_POSTGRES_URL, 'tv_bench', (url) => breakdown(url, calls));
  } finally {
    await servers.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
