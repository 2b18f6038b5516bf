/**
 * Concurrency (typeorm-1.x only, bounded in time): a pool of 10 connections on PostgreSQL and
 * MariaDB, and several connections to one WAL file on SQLite and on libSQL, run parallel inserts,
 * updates and kNN queries (tuned and plain). No query fails, every committed row reads back
 * exactly, and per-query search settings never show in another query. MariaDB's deadlock victims
 * (concurrent writers to one VECTOR INDEX) are rolled back whole and counted, not failures.
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { findNearest, libsql, VectorColumn, VectorDataSource, VectorIndex } from '../src';
import { BACKENDS, sqlFamily, type Backend } from './support/backends';
import { seededRandom } from './support/vectors';

const DIMENSIONS = 16;
/** Wall-clock budget of the parallel phase per backend. */
const SERVER_MS = Number(process.env.TV_CONCURRENCY_MS ?? 5000);
const FILE_MS = 2000;

@Entity('busy_doc')
class BusyDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) worker!: number;
  @VectorColumn(DIMENSIONS)
  @VectorIndex({ metric: 'l2' })
  embedding!: number[];
}

/** How a query reads its own efSearch, and the value a query without settings sees. */
const EF: Record<string, { read: string; serverDefault: string }> = {
  postgres: { read: "current_setting('hnsw.ef_search')", serverDefault: '40' },
  mariadb: { read: '@@mhnsw_ef_search', serverDefault: '20' },
};

interface Tally {
  operations: number;
  tuned: number;
  /** Writes InnoDB rolled back as deadlock victims (retried by an application; nothing committed). */
  deadlocks: number;
  failures: string[];
}

/** Runs `workers` loops of random operations on the DataSources for `ms`; returns the committed vectors by id. */
async function hammer(sources: VectorDataSource[], family: string, workers: number, ms: number, tally: Tally, { autocommit = false } = {}): Promise<Map<number, number[]>> {
  const committed = new Map<number, number[]>();
  const ef = EF[family];
  const deadline = Date.now() + ms;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      const random = seededRandom(1000 + worker);
      const vector = () => Array.from({ length: DIMENSIONS }, () => Math.fround(random() * 2 - 1));
      const repo = sources[worker % sources.length]!.getRepository(BusyDoc);
      const mine: number[] = [];
      while (Date.now() < deadline) {
        const roll = random();
        try {
          if (roll < 0.35 || mine.length === 0) {
            const embedding = vector();
            const saved = await repo.save(repo.create({ worker, embedding }), { transaction: !autocommit });
            committed.set(saved.id, embedding);
            mine.push(saved.id);
          } else if (roll < 0.55) {
            const id = mine[Math.floor(random() * mine.length)]!;
            const embedding = vector();
            await repo.update({ id }, { embedding });
            committed.set(id, embedding);
          } else if (roll < 0.75 && ef) {
            // A tuned query sees its own efSearch, and only it.
            const value = 41 + worker * 7 + Math.floor(random() * 5);
            const row = await repo.createQueryBuilder('d').select(ef.read, 'ef').orderByL2('d.embedding', vector()).limit(3).vectorSearch({ efSearch: value }).getRawOne<{ ef: unknown }>();
            if (row && String(row.ef) !== String(value)) tally.failures.push(`worker ${worker}: vectorSearch efSearch ${value} read ${String(row.ef)}`);
            // PostgreSQL: SET LOCAL covers the whole search, so its WHERE sees the setting (MariaDB's SET STATEMENT covers the index reads only).
            const filter = family === 'postgres' ? (qb: import('typeorm').SelectQueryBuilder<BusyDoc>) => qb.andWhere(`${ef.read} = '${value}'`) : undefined;
            const near = await findNearest(repo, { column: 'embedding', vector: vector(), limit: 3, search: { efSearch: value }, filter });
            if (near.length === 0) tally.failures.push(`worker ${worker}: findNearest with efSearch ${value} did not see its own setting`);
            tally.tuned += 2;
          } else {
            const near = await findNearest(repo, { column: 'embedding', vector: vector(), limit: 5 });
            if (near.length === 0) tally.failures.push(`worker ${worker}: findNearest returned nothing`);
            if (ef) {
              // A plain query on a pooled connection sees the server default, never another query's setting.
              const [row] = (await repo.query(`SELECT ${ef.read} AS ef`)) as Array<{ ef: unknown }>;
              if (String(row!.ef) !== ef.serverDefault) tally.failures.push(`worker ${worker}: a plain query read efSearch ${String(row!.ef)}`);
            }
          }
          tally.operations++;
        } catch (error) {
          // InnoDB reports a deadlock between concurrent writers to a VECTOR INDEX (errno 1213) and rolls
          // that transaction back; MariaDB's advice is to retry it, which is what an application does.
          if ((error as { driverError?: { errno?: number } }).driverError?.errno === 1213) tally.deadlocks++;
          else tally.failures.push(`worker ${worker}: ${(error as Error).message}`);
        }
      }
    }),
  );
  return committed;
}

async function expectCommittedRows(dataSource: VectorDataSource, committed: Map<number, number[]>): Promise<void> {
  const rows = await dataSource.getRepository(BusyDoc).find({ order: { id: 'ASC' } });
  expect(rows.map((r) => r.id)).toEqual([...committed.keys()].sort((a, b) => a - b));
  const changed = rows.filter((r) => !r.embedding.every((x, i) => Object.is(x, committed.get(r.id)![i])));
  expect(changed.map((r) => r.id)).toEqual([]);
}

// PGlite ('pglite') is left out on purpose: it is one PostgreSQL session, so a 10-connection pool has no
// concurrency to test; test/pglite.test.ts covers how its pool's clients share that session.
const SERVERS = BACKENDS.filter((b) => ['postgres', 'mariadb'].includes(b.name));
describe.each(SERVERS)('a pool of 10 connections on $name', (backend: Backend) => {
  it(`runs parallel inserts, updates and tuned and plain kNN queries for ${SERVER_MS / 1000} s with no failure and every committed row exact`, async () => {
    const dataSource = await backend.open([BusyDoc], { poolSize: 10 } as never);
    try {
      const tally: Tally = { operations: 0, tuned: 0, deadlocks: 0, failures: [] };
      const committed = await hammer([dataSource], backend.name, 10, SERVER_MS, tally);
      console.log(`concurrency on ${backend.name}: 10 connections, ${tally.operations} operations (${tally.tuned} tuned queries), ${committed.size} rows committed, ${tally.deadlocks} deadlock victims rolled back, ${tally.failures.length} failures`);
      expect(tally.failures).toEqual([]);
      expect(tally.operations).toBeGreaterThan(100);
      await expectCommittedRows(dataSource, committed);
    } finally {
      await backend.close(dataSource);
    }
  });
});

const FILES = BACKENDS.filter((b) => b.name === 'sqlite' || b.name === 'libsql');
describe.each(FILES)('several connections to one database file on $name', (backend: Backend) => {
  it(`runs parallel writes and kNN queries from 3 connections in WAL mode for ${FILE_MS / 1000} s with no failure`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-concurrency-'));
    const file = path.join(dir, 'busy.db');
    const options = (first: boolean) =>
      (sqlFamily(backend.name) === 'libsql'
        ? { ...libsql({ url: `file:${file}` }), entities: [BusyDoc], synchronize: first }
        : { type: 'better-sqlite3', database: file, entities: [BusyDoc], synchronize: first, enableWAL: true, timeout: 10000 }) as never;
    const sources: VectorDataSource[] = [];
    try {
      sources.push(await new VectorDataSource(options(true)).initialize());
      if (sqlFamily(backend.name) === 'libsql') await sources[0]!.query('PRAGMA journal_mode = WAL');
      for (let i = 0; i < 2; i++) sources.push(await new VectorDataSource(options(false)).initialize());
      // @libsql/client sets no busy timeout: a writer meeting another connection's write lock waits up to 5 s.
      if (sqlFamily(backend.name) === 'libsql') for (const source of sources) await source.query('PRAGMA busy_timeout = 5000');
      const tally: Tally = { operations: 0, tuned: 0, deadlocks: 0, failures: [] };
      // Autocommit writes: better-sqlite3 is synchronous, so a connection waiting for the write lock
      // blocks the event loop, and with it the transaction of another connection in the same process
      // that holds the lock (it waits out its busy timeout, then fails "database is locked").
      const committed = await hammer(sources, 'file', 6, FILE_MS, tally, { autocommit: true });
      console.log(`concurrency on ${backend.name}: 3 connections to one WAL file, ${tally.operations} operations, ${committed.size} rows committed, ${tally.failures.length} failures`);
      expect(tally.failures).toEqual([]);
      for (const source of sources) await expectCommittedRows(source, committed);
    } finally {
      for (const source of sources) if (source.isInitialized) await source.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
