/**
 * Server faults (typeorm-1.x only): PostgreSQL and MariaDB servers of this test's own (started
 * through scripts/provision-test-db.sh on fresh ports, never the shared ones) are shut down and
 * crashed (SIGKILL) under a live VectorDataSource. In-flight queries fail with the driver's error,
 * the pool recovers once the server is back without restarting anything, committed rows survive
 * exactly and uncommitted ones are absent.
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { findNearest, VectorColumn, VectorDataSource } from '../src';
import { backendSelected } from './support/backends';
import { withDatabase, withMysqlConnection, withPgClient } from './support/db-clients';
import { startOwnServers, type OwnServers } from './support/servers';
import { randomVectors } from './support/vectors';

@Entity('fault_doc')
class FaultDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar', length: 20 }) state!: string;
  @VectorColumn(8) embedding!: number[];
}

type Server = 'postgres' | 'mariadb';
// PGlite ('pglite') is left out on purpose: it runs inside the test process, with no server to stop,
// restart or lose the connection to.
const SERVERS = (['postgres', 'mariadb'] as const).filter((s) => backendSelected(s));
const SLEEP: Record<Server, string> = { postgres: 'SELECT pg_sleep(30)', mariadb: 'SELECT SLEEP(30)' };
const faults = { survived: 0, rowsLost: 0 };

const own: OwnServers<Server> | string = SERVERS.length ? startOwnServers(SERVERS) : 'no server backend selected';
afterAll(() => {
  if (typeof own !== 'string') own.stop();
  console.log(`server faults: ${faults.survived} survived (shutdown and crash, PostgreSQL and MariaDB), rows lost: ${faults.rowsLost}`);
});

/** A fresh database on the test's own server, made durable per commit (the harness runs its servers with relaxed flushing). */
async function openOn(server: Server, url: string): Promise<VectorDataSource> {
  const database = `tv_fault_${randomBytes(4).toString('hex')}`;
  if (server === 'postgres') {
    await withPgClient(url, (c) => c.query(`CREATE DATABASE ${database}`));
    await withPgClient(withDatabase(url, database), (c) => c.query('CREATE EXTENSION vector'));
    return new VectorDataSource({ type: 'postgres', url: withDatabase(url, database), entities: [FaultDoc], synchronize: true, poolSize: 4, extra: { options: '-c synchronous_commit=on' } }).initialize();
  }
  await withMysqlConnection(url, (c) => c.query(`CREATE DATABASE ${database}`));
  await makeDurable(server, url);
  return new VectorDataSource({ type: 'mariadb', url: withDatabase(url, database), entities: [FaultDoc], synchronize: true, poolSize: 4 }).initialize();
}

/**
 * MariaDB flushes its log at every commit from here on. The harness starts it with
 * `innodb_flush_log_at_trx_commit=0`, and a restart brings that back: without this, a crash loses
 * the commits of its last second. PostgreSQL's connections ask for `synchronous_commit=on` themselves.
 */
async function makeDurable(server: Server, url: string): Promise<void> {
  if (server === 'mariadb') await withMysqlConnection(url, (c) => c.query('SET GLOBAL innodb_flush_log_at_trx_commit = 1'));
}

/** Retries `work` for up to 20 s while the pool finds a live connection; returns how many attempts failed first. */
async function recovers(work: () => Promise<unknown>): Promise<number> {
  const deadline = Date.now() + 20_000;
  for (let failed = 0; ; failed++) {
    try {
      await work();
      return failed;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

describe.each(SERVERS)('faults of %s', (server) => {
  if (typeof own === 'string') {
    // A fault test that cannot start its servers fails the run, as a backend that cannot start does.
    it('starts servers of its own', () => {
      throw new Error(`The server fault tests could not start servers of their own: ${own}; run npm test as root, or leave postgres and mariadb out of TEST_BACKENDS.`);
    });
    return;
  }
  const url = own.urls[server === 'postgres' ? ('TEST_POSTGRES_URL' as never) : ('TEST_MARIADB_URL' as never)] as string;
  let dataSource: VectorDataSource;
  const committed = new Map<number, number[]>();
  beforeAll(async () => {
    dataSource = await openOn(server, url);
  });
  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy().catch(() => undefined);
  });

  it.each([
    ['a shutdown', false],
    ['a crash (SIGKILL)', true],
  ] as const)('survives %s: in-flight queries fail with the driver error, the pool recovers, committed rows stay and uncommitted ones do not', async (_fault, crash) => {
    const repo = dataSource.getRepository(FaultDoc);
    // The previous fault restarted the server with the harness's relaxed flushing.
    await makeDurable(server, url);
    const vectors = randomVectors(40, 8, crash ? 2 : 1);
    const saved = await repo.save(vectors.slice(0, 30).map((embedding) => repo.create({ state: 'committed', embedding })));
    for (const row of saved) committed.set(row.id, row.embedding);
    // An open transaction with writes that never commit.
    const open = dataSource.createQueryRunner();
    await open.connect();
    await open.startTransaction();
    await open.manager.insert(FaultDoc, vectors.slice(30).map((embedding) => ({ state: 'uncommitted', embedding })));
    // In flight while the server goes down.
    const sleeping = dataSource.query(SLEEP[server]).then(
      () => undefined,
      (error: unknown) => error,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    own.down(server, { crash });
    try {
      await whileDown();
    } finally {
      own.up(server);
    }
    async function whileDown(): Promise<void> {
    const inFlight = await sleeping;
    // Driver errors come from Node's realm, not Jest's: checked by shape rather than instanceof.
    expect(inFlight).toEqual(expect.objectContaining({ message: expect.any(String) }));
    expect((inFlight as { driverError?: unknown }).driverError ?? (inFlight as Error).cause).toBeDefined();
    await expect(open.commitTransaction()).rejects.toThrow();
    await open.release().catch(() => undefined);
    // While down, a search fails with the driver's error too.
    const down = await findNearest(repo, { column: 'embedding', vector: vectors[0]!, limit: 3 }).catch((error: unknown) => error);
    expect(down).toEqual(expect.objectContaining({ message: expect.any(String) }));
    }
    // The same DataSource recovers: a few failed attempts at most, then every query succeeds.
    const failedFirst = await recovers(() => findNearest(repo, { column: 'embedding', vector: vectors[0]!, limit: 3 }));
    expect(failedFirst).toBeLessThan(20);
    for (let i = 0; i < 10; i++) await expect(findNearest(repo, { column: 'embedding', vector: vectors[i]!, limit: 3 })).resolves.toHaveLength(3);
    // Committed rows survive bit for bit; uncommitted ones are absent.
    const rows = await repo.find({ order: { id: 'ASC' } });
    expect(rows.filter((r) => r.state === 'uncommitted')).toEqual([]);
    const lost = [...committed.keys()].filter((id) => {
      const row = rows.find((r) => r.id === id);
      return !row || !row.embedding.every((x, i) => Object.is(x, committed.get(id)![i]));
    });
    faults.rowsLost += lost.length;
    expect(lost).toEqual([]);
    expect(rows).toHaveLength(committed.size);
    faults.survived++;
  });
});
