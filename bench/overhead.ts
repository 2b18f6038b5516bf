/**
 * What typeorm-vector and TypeORM add to a kNN query (issue 13, section 3): the query-builder kNN
 * (`orderByL2(...).limit(10).getMany()`) and `findNearest` against the raw driver running the same
 * SQL (prepared once on SQLite), each call timed alone, the four interleaved, 201 rounds, on
 * 10,000 x 384 rows (the medians are printed too). Part of
 * `npm run bench`.
 */
import 'reflect-metadata';
import type Database from 'better-sqlite3';
import { Client } from 'pg';
import { Entity, PrimaryGeneratedColumn, type Repository } from 'typeorm';
import { findNearest, VectorColumn, VectorDataSource } from '../src';
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
  } finally {
    await client.end().catch(() => undefined);
    await pg.destroy();
  }
  return figures;
}
