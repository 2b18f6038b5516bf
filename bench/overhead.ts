/**
 * What typeorm-vector and TypeORM add to a kNN query (issue 13, section 3): the query-builder kNN
 * (`orderByL2(...).limit(10).getMany()`) and `findNearest` against the raw driver running the same
 * SQL (prepared once on SQLite; on PostgreSQL pg's `Pool.query` on the one connection TypeORM's pool
 * holds), each call timed alone, on 10,000 x 384 rows (the medians are printed too). Each is
 * interleaved with its own raw baseline only, 201 rounds after 300 untimed ones: a pair's calls
 * leave garbage that the next call collects, and with all four interleaved findNearest measured
 * 0.02 to 0.06 higher, the query builder's text reads landing on it. On PostgreSQL also
 * `findNearest` reading an HNSW index at the server's defaults against the raw driver running its
 * query. Part of `npm run bench`.
 */
import 'reflect-metadata';
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';
import { Entity, PrimaryGeneratedColumn, type Repository } from 'typeorm';
import { createVectorIndex, findNearest, searchNearest, VectorColumn, VectorDataSource } from '../src';
import { recordQueries } from '../test/support/backends';
import { randomVectors } from '../test/support/vectors';
import { medianTimes } from './measure';
import type { Figure } from './results-file';

export const DIMENSIONS = 384;
export const ROWS = 10_000;
const ROUNDS = 201;
/** Untimed rounds before the timed ones: both sides run as optimised in a long-lived process (`TimingOptions.warmUpRounds`). */
const WARM_UP_ROUNDS = 300;

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
  const [qbTime, qbRaw] = await medianTimes([qb, () => raw(qbSql.query, qbSql.parameters)], ROUNDS, { warmUpRounds: WARM_UP_ROUNDS });
  const [nearestTime, nearestRaw] = await medianTimes([nearest, () => raw(nearestSql.query, nearestSql.parameters)], ROUNDS, { warmUpRounds: WARM_UP_ROUNDS });
  console.error(`overhead: ${backend} medians (ms): query builder ${qbTime!.toFixed(2)}, raw ${qbRaw!.toFixed(2)}; findNearest ${nearestTime!.toFixed(2)}, raw ${nearestRaw!.toFixed(2)}`);
  const size = `${ROWS.toLocaleString('en')} x ${DIMENSIONS}, top 10`;
  return [
    { line: `${backend} query-builder kNN (orderByL2().limit(10).getMany()), ${size}`, value: qbTime! / qbRaw!, better: 'lower', baseline: 'the raw driver with the same SQL' },
    { line: `${backend} findNearest, ${size}`, value: nearestTime! / nearestRaw!, better: 'lower', baseline: 'the raw driver with the same SQL' },
  ];
}

/**
 * findNearest on an HNSW index against the raw driver running its ORDER BY query alone: at the
 * server's defaults (`hnsw.ef_search` 40, what findNearest asks for a top 10), which the pooled
 * connection's session holds, so findNearest too sends that one statement (a search needing other
 * settings runs START TRANSACTION, the settings, the query, COMMIT).
 */
async function indexedFigure(pg: VectorDataSource, query: number[], raw: (sql: string, parameters: unknown[]) => unknown): Promise<Figure> {
  const runner = pg.createQueryRunner();
  try {
    await createVectorIndex(runner, { table: 'overhead_item', column: 'embedding', metric: 'l2', name: 'overhead_item_hnsw' });
  } finally {
    await runner.release();
  }
  const repo = pg.getRepository(OverheadItem);
  const options = { column: 'embedding', vector: query, metric: 'l2', limit: 10 } as const;
  const nearest = () => findNearest(repo, options);
  if ((await searchNearest(repo, options)).strategy !== 'index') throw new Error('findNearest did not search the HNSW index; update this benchmark.');
  const sent = await recordQueries(pg, nearest);
  const select = sent.filter((s) => s.query.includes('ORDER BY')).pop();
  if (!select) throw new Error('findNearest sent no ORDER BY query.');
  const [nearestTime, rawTime] = await medianTimes([nearest, () => raw(select.query, select.parameters ?? [])], ROUNDS, { warmUpRounds: WARM_UP_ROUNDS });
  const statements = `${sent.length} statement${sent.length === 1 ? '' : 's'} a call`;
  console.error(`overhead: PostgreSQL HNSW medians (ms): findNearest ${nearestTime!.toFixed(2)} (${statements}), raw query ${rawTime!.toFixed(2)}`);
  return {
    line: `PostgreSQL findNearest on an HNSW index (${statements}), ${ROWS.toLocaleString('en')} x ${DIMENSIONS}, top 10`,
    value: nearestTime! / rawTime!,
    better: 'lower',
    baseline: 'the raw driver with its query',
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
  // One connection, shared by TypeORM and the raw driver: pg's own Pool.query on the very pool TypeORM
  // uses (its driver's `master`). Two connections are two server processes, whose speed differed by
  // up to 6% between runs on this machine, as much as the overhead measured.
  const pg = await new VectorDataSource({ type: 'postgres', url: pgUrl, entities: [OverheadItem], synchronize: true, poolSize: 1 }).initialize();
  const pool = (pg.driver as unknown as { master: Pool }).master;
  try {
    await pg.getRepository(OverheadItem).insert(vectors.map((embedding) => ({ embedding })));
    await pg.query('ANALYZE overhead_item');
    figures.push(...(await knnFigures('PostgreSQL', pg.getRepository(OverheadItem), query, (sql, parameters) => pool.query(sql, parameters))));
    figures.push(await indexedFigure(pg, query, (sql, parameters) => pool.query(sql, parameters)));
  } finally {
    await pg.destroy();
  }
  return figures;
}
