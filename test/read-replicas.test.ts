/**
 * Vector reads on a real PostgreSQL streaming standby (TypeORM `replication: { master, slaves }`;
 * the harness starts the standby: TEST_POSTGRES_REPLICA_URL). Every statement a search sends is
 * recorded with the connection that ran it, and each of those connections is asked
 * `pg_is_in_recovery()` afterwards: findNearest, explainNearest, findHybrid and the query
 * builder's tuned kNN run on the replica by default (the SET LOCAL and the query in one read-only
 * transaction there), on the primary with `readFrom: 'primary'`, inside a caller's transaction,
 * or under `replication.defaultMode: 'master'`; writes and synchronize run on the primary. A row
 * saved on the primary is found on the replica once it has replayed the primary's WAL position
 * (read with pg_current_wal_insert_lsn(), waited for with pg_last_wal_replay_lsn(), never a sleep).
 */
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import type { Client } from 'pg';
import { Column, Entity, PrimaryGeneratedColumn, type DataSourceOptions } from 'typeorm';
import {
  explainNearest,
  findHybrid,
  findNearest,
  FullTextIndex,
  VectorColumn,
  VectorConfigurationError,
  VectorDataSource,
  VectorIndex,
  withVectorSearch,
} from '../src';
import { backendSelected, recordQueryEvents, requiredUrl } from './support/backends';
import { withDatabase, withPgClient } from './support/db-clients';
import { randomVectors } from './support/vectors';

@Entity('replica_doc')
@FullTextIndex(['title'])
class ReplicaDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar' }) title!: string;
  @Column({ type: 'integer' }) tenant!: number;
  @VectorColumn(8) @VectorIndex({ metric: 'l2' }) embedding!: number[];
}

const items = randomVectors(120, 8, 41);
const query = randomVectors(1, 8, 42)[0]!;

/**
 * Waits until the standby has replayed everything the primary has inserted into its WAL so far (no
 * sleep: a poll of the two WAL positions). The insert position, not the write position: with
 * `synchronous_commit = off` (the test servers) a commit record can sit in WAL buffers past
 * `pg_current_wal_lsn()`, so a replay that reached that position may not show the row yet (seen once).
 */
async function caughtUp(primaryUrl: string, replicaUrl: string): Promise<void> {
  const { lsn } = (await withPgClient(primaryUrl, (client) => client.query('SELECT pg_current_wal_insert_lsn()::text AS lsn'))).rows[0] as { lsn: string };
  await withPgClient(replicaUrl, async (client) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const { rows } = await client.query('SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done, pg_last_wal_replay_lsn()::text AS at', [lsn]);
      if (rows[0].done) return;
      if (Date.now() > deadline) throw new Error(`The standby replayed up to ${rows[0].at} only, 30 s after the primary reached ${lsn}.`);
      // The next poll waits for the server's answer only.
    }
  });
}

// PGlite ('pglite') is left out on purpose: it has no replicas, and pglite() refuses `replication` (test/pglite.test.ts).
(backendSelected('postgres') ? describe : describe.skip)('read replicas on a PostgreSQL streaming standby', () => {
  // Read in beforeAll: describe.skip still runs this body, where the URLs are not set.
  let adminUrl: string, replicaAdminUrl: string, primaryUrl: string, replicaUrl: string;
  const database = `tv_replica_${randomBytes(6).toString('hex')}`;
  const sources: VectorDataSource[] = [];

  /** A DataSource reading from the standby and writing to the primary. */
  async function open(extra: Partial<{ defaultMode: 'master' | 'slave' }> = {}): Promise<VectorDataSource> {
    const dataSource = new VectorDataSource({
      type: 'postgres',
      replication: { master: { url: primaryUrl }, slaves: [{ url: replicaUrl }], ...extra },
      entities: [ReplicaDoc],
      synchronize: sources.length === 0,
    } as DataSourceOptions);
    sources.push(dataSource);
    return dataSource.initialize();
  }

  /** Runs `work` and returns, per statement it sent, the statement and whether its connection is a standby's. */
  async function where(dataSource: VectorDataSource, work: () => Promise<unknown>): Promise<Array<{ query: string; onReplica: boolean }>> {
    const seen = (await recordQueryEvents(dataSource, work)).map(({ query, queryRunner }) => {
      const client = (queryRunner as { databaseConnection?: Client } | undefined)?.databaseConnection;
      if (!client) throw new Error(`No connection recorded for ${query}.`);
      return { query, client };
    });
    const recovery = new Map<Client, boolean>();
    // Each connection is idle in its pool again: asked directly, it says which server it is on.
    for (const { client } of seen) if (!recovery.has(client)) recovery.set(client, (await client.query('SELECT pg_is_in_recovery() AS r')).rows[0].r);
    return seen.map(({ query, client }) => ({ query, onReplica: recovery.get(client)! }));
  }

  let dataSource: VectorDataSource;
  const repo = () => dataSource.getRepository(ReplicaDoc);

  beforeAll(async () => {
    adminUrl = requiredUrl('TEST_POSTGRES_URL');
    replicaAdminUrl = requiredUrl('TEST_POSTGRES_REPLICA_URL');
    primaryUrl = withDatabase(adminUrl, database);
    replicaUrl = withDatabase(replicaAdminUrl, database);
    await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
    await withPgClient(primaryUrl, (client) => client.query('CREATE EXTENSION IF NOT EXISTS vector'));
    await caughtUp(adminUrl, replicaAdminUrl);
    dataSource = await open();
    await repo().insert(items.map((embedding, i) => ({ title: i % 2 ? 'river boat' : 'mountain goat', tenant: i % 3, embedding })));
    await caughtUp(adminUrl, replicaAdminUrl);
  });
  afterAll(async () => {
    for (const source of sources) if (source.isInitialized) await source.destroy();
    await withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  });

  it('the two servers are a primary and its standby', async () => {
    const [primary] = await withPgClient(primaryUrl, async (client) => (await client.query('SELECT pg_is_in_recovery() AS r')).rows);
    const [replica] = await withPgClient(replicaUrl, async (client) => (await client.query('SELECT pg_is_in_recovery() AS r')).rows);
    expect([primary.r, replica.r]).toEqual([false, true]);
  });

  it('findNearest runs every statement on the replica: catalog reads, SET LOCAL and the query, in one read-only transaction', async () => {
    let rows: unknown[] = [];
    const ran = await where(dataSource, async () => {
      rows = await findNearest(repo(), { column: 'embedding', vector: query, limit: 5, where: { tenant: 1 }, search: { efSearch: 64 } });
    });
    expect(rows).toHaveLength(5);
    expect(ran.filter((r) => !r.onReplica)).toEqual([]);
    const statements = ran.map((r) => r.query);
    const begin = statements.findIndex((q) => /^START TRANSACTION|^BEGIN/i.test(q));
    // The transaction is made read-only by the settings statement itself (transaction_read_only).
    expect(statements.slice(begin, begin + 2)).toEqual([expect.stringMatching(/^START TRANSACTION|^BEGIN/i), expect.stringContaining('set_config')]);
    expect(statements.some((q) => q.includes('ORDER BY') && q.includes('<->'))).toBe(true);
  });

  it("readFrom: 'primary' runs it on the primary, and sees a row saved there at once", async () => {
    const fresh = await repo().save({ title: 'just written', tenant: 7, embedding: query });
    let rows: Array<{ entity: ReplicaDoc }> = [];
    const ran = await where(dataSource, async () => {
      rows = await findNearest(repo(), { column: 'embedding', vector: query, limit: 1, where: { tenant: 7 }, readFrom: 'primary' });
    });
    expect(rows.map((r) => r.entity.id)).toEqual([fresh.id]);
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.filter((r) => r.onReplica)).toEqual([]);
    await repo().delete(fresh.id);
  });

  it('a row saved on the primary is found by findNearest on the replica once the replica has replayed the primary WAL position', async () => {
    let saved!: ReplicaDoc;
    const writes = await where(dataSource, async () => {
      saved = await repo().save({ title: 'replicated', tenant: 8, embedding: query });
    });
    expect(writes.filter((w) => w.onReplica)).toEqual([]);
    await caughtUp(adminUrl, replicaAdminUrl);
    let rows: Array<{ entity: ReplicaDoc; distance: number }> = [];
    const ran = await where(dataSource, async () => {
      rows = await findNearest(repo(), { column: 'embedding', vector: query, limit: 1, where: { tenant: 8 } });
    });
    expect(ran.filter((r) => !r.onReplica)).toEqual([]);
    expect(rows.map((r) => [r.entity.id, r.distance])).toEqual([[saved.id, 0]]);
    await repo().delete(saved.id);
  });

  it('the query builder kNN with vectorSearch runs SET LOCAL and the query in one read-only transaction on the replica; readFrom: primary moves it', async () => {
    const qb = () => repo().createQueryBuilder('doc').select('pg_is_in_recovery()', 'on_replica').addSelect("current_setting('transaction_read_only')", 'read_only').orderByL2('doc.embedding', query).limit(3);
    let onReplica: unknown[] = [];
    const ran = await where(dataSource, async () => {
      const rows = await qb().vectorSearch({ efSearch: 50 }).getRawMany<{ on_replica: boolean; read_only: string }>();
      onReplica = rows.map((r) => r.on_replica);
      expect(rows.map((r) => r.read_only)).toEqual(['on', 'on', 'on']);
    });
    expect(onReplica).toEqual([true, true, true]);
    expect(ran.filter((r) => !r.onReplica)).toEqual([]);
    expect(ran.map((r) => r.query)).toEqual(expect.arrayContaining([expect.stringMatching(/^START TRANSACTION|^BEGIN/i), expect.stringContaining('set_config')]));
    const onPrimary = await withVectorSearch(qb(), { efSearch: 50 }, { readFrom: 'primary' }).getRawMany<{ on_replica: boolean }>();
    expect(onPrimary.map((r) => r.on_replica)).toEqual([false, false, false]);
    const untunedOnPrimary = await qb().vectorSearch({}, { readFrom: 'primary' }).getRawMany<{ on_replica: boolean }>();
    expect(untunedOnPrimary.map((r) => r.on_replica)).toEqual([false, false, false]);
  });

  it('explainNearest and findHybrid read the catalog and plan on the replica', async () => {
    let indexes: string[] = [];
    const explained = await where(dataSource, async () => {
      indexes = (await explainNearest(repo(), { column: 'embedding', vector: query, limit: 5 })).indexes;
    });
    expect(indexes).toHaveLength(1);
    expect(explained.filter((r) => !r.onReplica)).toEqual([]);
    expect(explained.some((r) => r.query.startsWith('EXPLAIN'))).toBe(true);
    let hits = 0;
    const hybrid = await where(dataSource, async () => {
      hits = (await findHybrid(repo(), { vector: { column: 'embedding', value: query }, text: { columns: ['title'], query: 'river' }, limit: 4 })).length;
    });
    expect(hits).toBe(4);
    expect(hybrid.filter((r) => !r.onReplica)).toEqual([]);
  });

  it("a caller's transaction, and replication.defaultMode 'master', keep the search on the primary", async () => {
    const inTransaction = await where(dataSource, () =>
      dataSource.transaction((manager) => findNearest(manager.getRepository(ReplicaDoc), { column: 'embedding', vector: query, limit: 2, search: { efSearch: 60 } })),
    );
    expect(inTransaction.filter((r) => r.onReplica)).toEqual([]);
    const primaryFirst = await open({ defaultMode: 'master' });
    const ran = await where(primaryFirst, () => findNearest(primaryFirst.getRepository(ReplicaDoc), { column: 'embedding', vector: query, limit: 2 }));
    expect(ran.length).toBeGreaterThan(0);
    expect(ran.filter((r) => r.onReplica)).toEqual([]);
  });

  it('refuses an unknown readFrom before any query', async () => {
    const ran = await where(dataSource, async () => {
      await expect(findNearest(repo(), { column: 'embedding', vector: query, readFrom: 'master' as never })).rejects.toThrow(
        new VectorConfigurationError(
          "findNearest readFrom \"master\" is not 'replica' or 'primary'; pass readFrom: 'primary' to read your own writes, or leave it unset for TypeORM's read mode.",
        ),
      );
      expect(() => repo().createQueryBuilder('doc').vectorSearch({}, { from: 'primary' } as never)).toThrow("vectorSearch has no option 'from'; use readFrom.");
    });
    expect(ran).toEqual([]);
  });
});
