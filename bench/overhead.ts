/**
 * What typeorm-vector and TypeORM add to a kNN query (issue 13, section 3): the query-builder kNN
 * (`orderByL2(...).limit(10).getMany()`) and `findNearest` against the raw driver running the same
 * SQL (prepared once on SQLite), each call timed alone, the four interleaved, 201 rounds, on
 * 10,000 x 384 rows (the medians are printed too). On PostgreSQL also `findNearest` reading an
 * HNSW index, whose search runs in a transaction of its own (START TRANSACTION, the settings,
 * the query, COMMIT: so that its `hnsw.ef_search` never leaks to the pool), against the raw driver
 * running its query alone at the server's defaults (the same `ef_search`, 40). Part of
 * `npm run bench`.
 */
import 'reflect-metadata';
import type Database from 'better-sqlite3';
import { Client } from 'pg';
import { Entity, PrimaryGeneratedColumn, type Repository } from 'typeorm';
import { createVectorIndex, findNearest, VectorColumn, VectorDataSource } from '../src';
import { recordQueries } from '../test/support/backends';
import { randomVectors } from '../test/support/vectors';
import { medianTimes } from './measure';
import type { Figure } from './results-file';

export const DIMENSIONS = 384;
export const ROWS = 10_000;
const ROUNDS = 201;

/** The benchmark's table: an id and a vector. */
@Entity('overhead_item')
export class OverheadItem {
  @PrimaryGeneratedColumn() id!: number;
  @VectorColumn(DIMENSIONS) embedding!: number[];
}

/** The SQL and parameters of the last ORDER BY query `run` sends on `dataSource`. */
async function lastOrderedQuery(dataSource: VectorDataSource, run: () => Promise<unknown>): Promise<{ query: string; parameters: unknown[] }> {
  const select = (await recordQueries(dataSource, run)).filter((s) => s.query.includes('ORDER BY')).pop();
  if (!select) throw new Error('No ORDER BY query was sent.');
  return { query: select.query, parameters: select.parameters ?? [] };
}

async function knnFigures(backend: string, repo: Repository<OverheadItem>, query: number[], raw: (sql: string, parameters: unknown[]) => unknown): Promise<Figure[]> {
  const qb = () => repo.createQueryBuilder('o').orderByL2('o.embedding', query).limit(10).getMany();
  const nearest = () => findNearest(repo, { column: 'embedding', vector: query, metric: 'l2', limit: 10 });
  const qbSql = await lastOrderedQuery(repo.manager.connection as VectorDataSource, qb);
  const nearestSql = await lastOrderedQuery(repo.manager.connection as VectorDataSource, nearest);
  const [qbTime, qbRaw, nearestTime, nearestRaw] = await medianTimes(
    [qb, () => raw(qbSql.query, qbSql.parameters), nearest, () => raw(nearestSql.query, nearestSql.parameters)],
    ROUNDS,
  );
  console.error(`overhead: ${backend} medians (ms): query builder ${qbTime!.toFixed(2)}, raw ${qbRaw!.toFixed(2)}; findNearest ${nearestTime!.toFixed(2)}, raw ${nearestRaw!.toFixed(2)}`);
  const size = `${ROWS.toLocaleString('en')} x ${DIMENSIONS}, top 10`;
  return [
    { line: `${backend} query-builder kNN (orderByL2().limit(10).getMany()), ${size}`, value: qbTime! / qbRaw!, better: 'lower', baseline: 'the raw driver with the same SQL' },
    { line: `${backend} findNearest, ${size}`, value: nearestTime! / nearestRaw!, better: 'lower', baseline: 'the raw driver with the same SQL' },
  ];
}

/** findNearest on an HNSW index against the raw driver running its ORDER BY query alone (no transaction, the server's ef_search: 40, as findNearest sets for limit 10). */
async function indexedFigure(pg: VectorDataSource, query: number[], raw: (sql: string, parameters: unknown[]) => unknown): Promise<Figure> {
  const runner = pg.createQueryRunner();
  try {
    await createVectorIndex(runner, { table: 'overhead_item', column: 'embedding', metric: 'l2', name: 'overhead_item_hnsw' });
  } finally {
    await runner.release();
  }
  const repo = pg.getRepository(OverheadItem);
  const nearest = () => findNearest(repo, { column: 'embedding', vector: query, metric: 'l2', limit: 10 });
  const sent = await recordQueries(pg, nearest);
  const select = sent.filter((s) => s.query.includes('ORDER BY')).pop();
  const settings = sent.find((s) => s.query.includes('set_config'));
  if (!select || !settings?.parameters?.includes('hnsw.ef_search')) throw new Error('findNearest did not search the HNSW index in a transaction of its own; update this benchmark.');
  const [server] = (await pg.query(`SELECT current_setting('hnsw.ef_search') AS ef`)) as Array<{ ef: string }>;
  const ef = server?.ef;
  const efSet = settings.parameters[settings.parameters.indexOf('hnsw.ef_search') + 1];
  if (ef !== efSet) throw new Error(`The server's hnsw.ef_search is ${String(ef)} but findNearest sets ${String(efSet)}: the raw query would not be the same search.`);
  const [nearestTime, rawTime] = await medianTimes([nearest, () => raw(select.query, select.parameters ?? [])], ROUNDS);
  console.error(`overhead: PostgreSQL HNSW medians (ms): findNearest ${nearestTime!.toFixed(2)} (${sent.length} statements), raw query alone ${rawTime!.toFixed(2)}`);
  return {
    line: `PostgreSQL findNearest on an HNSW index (its own transaction: ${sent.length} statements), ${ROWS.toLocaleString('en')} x ${DIMENSIONS}, top 10`,
    value: nearestTime! / rawTime!,
    better: 'lower',
    baseline: 'the raw driver running its query alone',
  };
}

/**
 * The kNN overhead figures on SQLite (in memory) and on the PostgreSQL database at `pgUrl`.
 *
 * @example
 * const figures = await overheadBenchmark(url);
 */
export async function overheadBenchmark(pgUrl: string): Promise<Figure[]> {
  const vectors = randomVectors(ROWS, DIMENSIONS, 1);
  const query = randomVectors(1, DIMENSIONS, 2)[0]!;
  const figures: Figure[] = [];
  const sqlite = await new VectorDataSource({ type: 'better-sqlite3', database: ':memory:', entities: [OverheadItem], synchronize: true }).initialize();
  try {
    await sqlite.getRepository(OverheadItem).insert(vectors.map((embedding) => ({ embedding })));
    const connection = (sqlite.driver as unknown as { databaseConnection: Database.Database }).databaseConnection;
    const statements = new Map<string, Database.Statement>();
    const raw = (sql: string, parameters: unknown[]) => {
      let statement = statements.get(sql);
      if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
      return statement.all(...(parameters as never[]));
    };
    figures.push(...(await knnFigures('SQLite', sqlite.getRepository(OverheadItem), query, raw)));
  } finally {
    await sqlite.destroy();
  }
  const pg = await new VectorDataSource({ type: 'postgres', url: pgUrl, entities: [OverheadItem], synchronize: true }).initialize();
  const client = new Client({ connectionString: pgUrl });
  try {
    await client.connect();
    await pg.getRepository(OverheadItem).insert(vectors.map((embedding) => ({ embedding })));
    await pg.query('ANALYZE overhead_item');
    figures.push(...(await knnFigures('PostgreSQL', pg.getRepository(OverheadItem), query, (sql, parameters) => client.query(sql, parameters))));
    figures.push(await indexedFigure(pg, query, (sql, parameters) => client.query(sql, parameters)));
  } finally {
    await client.end().catch(() => undefined);
    await pg.destroy();
  }
  return figures;
}
