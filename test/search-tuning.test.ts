/**
 * Per-query search settings (`findNearest(..., { search })` and `qb.vectorSearch(...)`) apply to
 * their one query and never leak: read back inside the query (a condition that holds only while
 * the setting is in effect), on the same pooled connection afterwards, inside a caller's
 * transaction, and from two concurrent queries on a two-connection pool. MariaDB's findNearest reads
 * max(40, 2 x limit) candidates by default (or efSearch). Knobs a backend lacks are refused with what
 * it has instead (libSQL and SQLite: overFetch, which sizes one call's candidate read).
 */
import 'reflect-metadata';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import {
  findNearest,
  searchNearest,
  UnsupportedVectorFeatureError,
  VectorColumn,
  VectorConfigurationError,
  VectorIndex,
  withVectorSearch,
  type VectorDataSource,
} from '../src';
import { BACKENDS, POSTGRES_FAMILY, recordQueries, sqlFamily } from './support/backends';
import { randomVectors } from './support/vectors';

@Entity('tuned_doc')
class TunedDoc {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'integer' }) bucket!: number;
  @VectorColumn(8) @VectorIndex({ metric: 'l2' }) embedding!: number[];
}

const items = randomVectors(200, 8, 5);
const query = randomVectors(1, 8, 6)[0]!;

/** How each server names its HNSW search width, and its default. */
const EF: Record<string, { read: string; serverDefault: string }> = {
  postgres: { read: "current_setting('hnsw.ef_search')", serverDefault: '40' },
  mariadb: { read: '@@mhnsw_ef_search', serverDefault: '20' },
};

for (const backend of BACKENDS.filter((b) => EF[sqlFamily(b.name)])) {
  const ef = EF[sqlFamily(backend.name)]!;
  describe(`search settings on ${backend.name}`, () => {
    let dataSource: VectorDataSource;
    const repo = () => dataSource.getRepository(TunedDoc);
    /** The setting as the connection sees it, read by a plain query. */
    const current = async (run: (sql: string) => Promise<unknown[]> = (sql) => dataSource.query(sql)) => {
      const [row] = (await run(`SELECT ${ef.read} AS ef`)) as Array<{ ef: unknown }>;
      return String(row!.ef);
    };

    beforeAll(async () => {
      // One connection: "the next query" runs on the very connection the tuned one used.
      dataSource = await backend.open([TunedDoc], { poolSize: 1 });
      await repo().insert(items.map((embedding, i) => ({ bucket: i % 4, embedding })));
    });
    afterAll(() => backend.close(dataSource));

    it('vectorSearch applies efSearch to its query only; the pooled connection is back at the server default after', async () => {
      const qb = repo().createQueryBuilder('doc').select(ef.read, 'ef').orderByL2('doc.embedding', query).limit(1);
      const tuned = await qb.vectorSearch({ efSearch: 123 }).getRawOne<{ ef: unknown }>();
      expect(String(tuned!.ef)).toBe('123');
      expect(await current()).toBe(ef.serverDefault);
      // The query builder itself is unchanged: run plainly, it sees the default.
      expect(String((await qb.getRawOne<{ ef: unknown }>())!.ef)).toBe(ef.serverDefault);
      expect(String((await withVectorSearch(qb, { efSearch: 7 }).getRawOne<{ ef: unknown }>())!.ef)).toBe('7');
    });

    it('two concurrent queries with different settings on a two-connection pool each get their own', async () => {
      const pool = await backend.open([TunedDoc], { poolSize: 2, synchronize: false, dropSchema: false } as never);
      try {
        // PostgreSQL: the vector cast loads pgvector in the session, so hnsw.ef_search reads its default afterwards.
        const postgres = sqlFamily(backend.name) === 'postgres';
        const sleep = postgres ? "pg_sleep(0.3), CAST('[1]' AS vector)" : 'SLEEP(0.3)';
        // The server's clock when the statement started, and after its sleep (select items run left to right).
        const [began, ended] = postgres ? ['extract(epoch FROM statement_timestamp())', 'extract(epoch FROM clock_timestamp())'] : ['UNIX_TIMESTAMP(NOW(6))', 'UNIX_TIMESTAMP(SYSDATE(6))'];
        const run = (value: number) =>
          pool
            .createQueryBuilder()
            .select(`${ef.read}`, 'ef')
            .addSelect(began, 'began')
            .addSelect(sleep, 'slept')
            .addSelect(ended, 'ended')
            .from('(SELECT 1 AS one)', 'one')
            .vectorSearch({ efSearch: value })
            .getRawOne<{ ef: unknown; began: unknown; ended: unknown }>();
        const started = Date.now();
        const [a, b] = await Promise.all([run(50), run(60)]);
        // PGlite is one PostgreSQL session that the pool's two clients share: the two transactions take turns.
        if (backend.name === 'pglite') expect(Date.now() - started).toBeGreaterThanOrEqual(600);
        else {
          // They overlapped, on two connections: each started on the server before the other's sleep ended
          // (server clocks, not the client's, which a loaded machine stretches).
          expect(Number(a!.began)).toBeLessThan(Number(b!.ended));
          expect(Number(b!.began)).toBeLessThan(Number(a!.ended));
          expect(Number(a!.ended) - Number(a!.began)).toBeGreaterThanOrEqual(0.29);
        }
        expect([String(a!.ef), String(b!.ef)]).toEqual(['50', '60']);
        const after = await Promise.all([current((sql) => pool.query(sql)), current((sql) => pool.query(sql))]);
        expect(after).toEqual([ef.serverDefault, ef.serverDefault]);
      } finally {
        await backend.close(pool);
      }
    });

    it('refuses knobs it lacks, naming what it has, before any query runs', async () => {
      const sent = await recordQueries(dataSource, async () => {
        await expect(findNearest(repo(), { column: 'embedding', vector: query, search: { efSearch: 0 } })).rejects.toThrow(
          new RegExp(`^findNearest search efSearch 0 is not valid on ${sqlFamily(backend.name) === 'postgres' ? 'PostgreSQL \\(pgvector\\); pass an integer from 1 to 1000' : 'MariaDB; pass an integer from 1 to 10000'}\\.$`),
        );
        await expect(findNearest(repo(), { column: 'embedding', vector: query, search: { ef: 10 } as never })).rejects.toThrow(VectorConfigurationError);
        await expect(findNearest(repo(), { column: 'embedding', vector: query, search: { ef: 10 } as never })).rejects.toThrow(
          /^findNearest search has no setting 'ef'; use efSearch, iterativeScan, maxScanTuples, probes, maxProbes, overFetch, rerank, beamSize\.$/,
        );
        await expect(findNearest(repo(), { column: 'embedding', vector: query, search: 40 as never })).rejects.toThrow(/^findNearest search 40 is not an object; pass e\.g\. \{ efSearch: 100 \}\.$/);
      });
      expect(sent).toEqual([]);
      if (sqlFamily(backend.name) === 'postgres') {
        expect(() => repo().createQueryBuilder('doc').vectorSearch({ overFetch: 2 })).toThrow(
          /^vectorSearch cannot apply overFetch on PostgreSQL \(pgvector\): candidate reads are findNearest's; pass search: \{ \.\.\. \} to findNearest instead\.$/,
        );
        await expect(findNearest(repo(), { column: 'embedding', vector: query, search: { iterativeScan: 'sideways' as never } })).rejects.toThrow(
          /iterativeScan the string "sideways" is not valid on PostgreSQL \(pgvector\); pass one of 'off', 'strict_order', 'relaxed_order'\./,
        );
      } else {
        await expect(findNearest(repo(), { column: 'embedding', vector: query, search: { iterativeScan: 'strict_order' } })).rejects.toThrow(
          /^MariaDB has no iterativeScan search setting; it tunes searches with efSearch \(mhnsw_ef_search\) and overFetch\.$/,
        );
        expect(() => repo().createQueryBuilder('doc').vectorSearch({ overFetch: 2 })).toThrow(UnsupportedVectorFeatureError);
      }
    });
  });
}

for (const postgres of POSTGRES_FAMILY) describe(`findNearest search settings on ${postgres.name}`, () => {
  let dataSource: VectorDataSource;
  const repo = () => dataSource.getRepository(TunedDoc);
  /** A condition true only while hnsw.ef_search is `value`: the query returns rows only if the setting is in effect in it. */
  const efIs = (value: number) => (qb: import('typeorm').SelectQueryBuilder<TunedDoc>) => qb.andWhere(`current_setting('hnsw.ef_search') = '${value}'`);
  const efNow = async (run: (sql: string) => Promise<unknown[]> = (sql) => dataSource.query(sql)) =>
    ((await run("SELECT current_setting('hnsw.ef_search') AS ef")) as Array<{ ef: string }>)[0]!.ef;

  beforeAll(async () => {
    dataSource = await postgres!.open([TunedDoc], { poolSize: 1 });
    await repo().insert(items.map((embedding, i) => ({ bucket: i % 4, embedding })));
  });
  afterAll(() => postgres!.close(dataSource));

  it('applies the default efSearch max(40, 2 x limit) and the caller\'s own, each to its query only', async () => {
    expect(await findNearest(repo(), { column: 'embedding', vector: query, limit: 100, filter: efIs(200) })).toHaveLength(100);
    expect(await findNearest(repo(), { column: 'embedding', vector: query, limit: 5, filter: efIs(40) })).toHaveLength(5);
    expect(await findNearest(repo(), { column: 'embedding', vector: query, limit: 5, filter: efIs(321), search: { efSearch: 321 } })).toHaveLength(5);
    expect(await efNow()).toBe('40');
  });

  it('sets iterative scans for a filtered search, and the caller\'s maxScanTuples, probes and maxProbes, with SET LOCAL in one statement that also makes the transaction read-only', async () => {
    const sent = await recordQueries(dataSource, () =>
      findNearest(repo(), { column: 'embedding', vector: query, where: { bucket: 1 }, search: { maxScanTuples: 5000, probes: 3, maxProbes: 9 } }),
    );
    const settings = sent.find((q) => q.query.includes('set_config'))!;
    expect(settings.query).toBe('SELECT set_config($1, $2, true), set_config($3, $4, true), set_config($5, $6, true), set_config($7, $8, true), set_config($9, $10, true), set_config($11, $12, true), set_config($13, $14, true)');
    expect(settings.parameters).toEqual([
      'transaction_read_only', 'on', 'hnsw.ef_search', '40', 'hnsw.iterative_scan', 'relaxed_order', 'ivfflat.iterative_scan', 'relaxed_order',
      'hnsw.max_scan_tuples', '5000', 'ivfflat.probes', '3', 'ivfflat.max_probes', '9',
    ]);
    // Three statements around the search's own: no separate SET TRANSACTION READ ONLY.
    expect(sent.map((q) => q.query).filter((q) => !q.includes('ORDER BY'))).toEqual(['START TRANSACTION', settings.query, 'COMMIT']);
  });

  it('a tuned search runs in a read-only transaction: the query sees transaction_read_only on, and a write in it is refused', async () => {
    const [row] = await repo().createQueryBuilder('doc').select("current_setting('transaction_read_only')", 'read_only').orderByL2('doc.embedding', query).limit(1).vectorSearch({ efSearch: 50 }).getRawMany<{ read_only: string }>();
    expect(row!.read_only).toBe('on');
    const writing = repo().createQueryBuilder('doc').select("nextval(pg_get_serial_sequence('tuned_doc', 'id'))", 'next').orderByL2('doc.embedding', query).limit(1).vectorSearch({ efSearch: 50 });
    await expect(writing.getRawMany()).rejects.toThrow(/read-only transaction/);
  });

  it("a search whose settings the connection's session already holds (pgvector's defaults: efSearch 40, no iterative scan for an unfiltered top 10) sends its query alone, without a transaction; one that needs others runs in its own", async () => {
    const search = (tuning?: { efSearch: number }) => recordQueries(dataSource, () => findNearest(repo(), { column: 'embedding', vector: query, limit: 10, search: tuning }));
    await search();
    const plain = await search();
    expect(plain.map((q) => q.query)).toEqual([expect.stringMatching(/ORDER BY "?tv_distance"? ASC LIMIT 10$/)]);
    const tuned = await search({ efSearch: 41 });
    expect(tuned.map((q) => q.query)).toEqual(['START TRANSACTION', expect.stringContaining('set_config'), expect.stringContaining('ORDER BY'), 'COMMIT']);
    const [transactional, alone] = await Promise.all([findNearest(repo(), { column: 'embedding', vector: query, limit: 10, search: { efSearch: 40, iterativeScan: 'off' } }), findNearest(repo(), { column: 'embedding', vector: query, limit: 10 })]);
    expect(alone.map((row) => row.entity.id)).toEqual(transactional.map((row) => row.entity.id));
  });

  it('a session-level change made through TypeORM (SET, set_config not local, RESET) is seen at once: the next search sets its own value again', async () => {
    const efInQuery = async () => {
      let ef = '';
      const sent = await recordQueries(dataSource, async () => {
        const [row] = await repo().createQueryBuilder('doc').select("current_setting('hnsw.ef_search')", 'ef').orderByL2('doc.embedding', query).limit(10).vectorSearch({ efSearch: 40 }).getRawMany<{ ef: string }>();
        ef = row!.ef;
      });
      return { ef, transaction: sent.some((q) => q.query === 'START TRANSACTION') };
    };
    await efInQuery();
    expect(await efInQuery()).toEqual({ ef: '40', transaction: false });
    try {
      await dataSource.query('SET hnsw.ef_search = 10');
      expect(await efInQuery()).toEqual({ ef: '40', transaction: true });
      await dataSource.query('RESET hnsw.ef_search');
      expect(await efInQuery()).toEqual({ ef: '40', transaction: false });
      await dataSource.query(`SELECT set_config('hnsw.ef_search', '12', false)`);
      expect(await efInQuery()).toEqual({ ef: '40', transaction: true });
      expect(await efNow()).toBe('12');
    } finally {
      await dataSource.query('RESET hnsw.ef_search');
    }
  });

  it("inside the caller's transaction, settings end with a savepoint: the caller's writes stay, its settings come back", async () => {
    await dataSource.transaction(async (manager) => {
      await manager.query("SET LOCAL hnsw.ef_search = 77");
      await manager.getRepository(TunedDoc).insert({ bucket: 9, embedding: query });
      const near = await searchNearest(manager.getRepository(TunedDoc), { column: 'embedding', vector: query, limit: 3, filter: efIs(55), search: { efSearch: 55 } });
      expect(near.rows).toHaveLength(3);
      expect(near.rows[0]!.entity.bucket).toBe(9); // the caller's uncommitted row is seen
      expect(await efNow((sql) => manager.query(sql))).toBe('77');
    });
    expect(await repo().countBy({ bucket: 9 })).toBe(1);
    expect(await efNow()).toBe('40');
    await repo().delete({ bucket: 9 });
  });

  it('a failing search leaves no setting behind and the caller\'s transaction usable', async () => {
    await dataSource.transaction(async (manager) => {
      await expect(
        findNearest(manager.getRepository(TunedDoc), { column: 'embedding', vector: query, search: { efSearch: 66 }, filter: (qb) => qb.andWhere('1 / 0 = 1') }),
      ).rejects.toThrow(/division by zero/);
      expect(await efNow((sql) => manager.query(sql))).toBe('40');
    });
    await expect(findNearest(repo(), { column: 'embedding', vector: query, search: { efSearch: 66 }, filter: (qb) => qb.andWhere('1 / 0 = 1') })).rejects.toThrow(/division by zero/);
    expect(await efNow()).toBe('40');
  });
});

for (const backend of BACKENDS.filter((b) => sqlFamily(b.name) === 'mariadb')) describe(`findNearest search settings on ${backend.name}`, () => {
  let dataSource: VectorDataSource;
  const repo = () => dataSource.getRepository(TunedDoc);
  /** The `k` of the VECTOR INDEX candidate read (`tv_candidates`) findNearest sends for `options`. */
  const candidateK = async (options: { limit: number; search?: { efSearch: number } }): Promise<unknown> => {
    const sent = await recordQueries(dataSource, () => findNearest(repo(), { column: 'embedding', vector: query, ...options }));
    const read = sent.find((q) => q.query.includes('tv_candidates'));
    expect(read?.query).toMatch(/ORDER BY VEC_DISTANCE_EUCLIDEAN\(`embedding`, .+\) LIMIT \?\) AS `tv_candidates`/);
    return (read!.parameters ?? []).at(-1);
  };

  beforeAll(async () => {
    dataSource = await backend.open([TunedDoc]);
    await repo().insert(items.map((embedding, i) => ({ bucket: i % 4, embedding })));
  });
  afterAll(() => backend.close(dataSource));

  it('reads max(40, 2 x limit) candidates by default (MariaDB searches max(mhnsw_ef_search, k)), and efSearch when given', async () => {
    expect(await candidateK({ limit: 5 })).toBe(40);
    expect(await candidateK({ limit: 100 })).toBe(200);
    expect(await candidateK({ limit: 5, search: { efSearch: 150 } })).toBe(150);
  });
});

for (const backend of BACKENDS.filter((b) => ['sqlite', 'libsql'].includes(sqlFamily(b.name)))) describe(`search settings on ${backend.name}`, () => {
  let dataSource: VectorDataSource;
  const repo = () => dataSource.getRepository(TunedDoc);
  const name = sqlFamily(backend.name) === 'libsql' ? 'libSQL' : 'SQLite \\(sqlite-vec\\)';

  beforeAll(async () => {
    dataSource = await backend.open([TunedDoc]);
    await repo().insert(items.map((embedding, i) => ({ bucket: i % 4, embedding })));
  });
  afterAll(() => backend.close(dataSource));

  it('refuses the knobs it lacks, in findNearest and in vectorSearch, naming the backend and overFetch instead, before any query runs', async () => {
    const sent = await recordQueries(dataSource, async () => {
      for (const search of [{ efSearch: 100 }, { iterativeScan: 'strict_order' as const }, { maxScanTuples: 5000 }, { probes: 3 }, { maxProbes: 9 }]) {
        const knob = Object.keys(search)[0]!;
        const message = new RegExp(`^${name} has no ${knob} search setting; .*overFetch \\(candidates read per round = limit x overFetch\\)`);
        await expect(findNearest(repo(), { column: 'embedding', vector: query, search })).rejects.toThrow(UnsupportedVectorFeatureError);
        await expect(findNearest(repo(), { column: 'embedding', vector: query, search })).rejects.toThrow(message);
        expect(() => repo().createQueryBuilder('doc').orderByL2('doc.embedding', query).limit(5).vectorSearch(search)).toThrow(message);
      }
      expect(() => repo().createQueryBuilder('doc').vectorSearch({ overFetch: 2 })).toThrow(
        new RegExp(`^vectorSearch cannot apply overFetch on ${name}: candidate reads are findNearest's; pass search: \\{ \\.\\.\\. \\} to findNearest instead\\.$`),
      );
    });
    expect(sent).toEqual([]);
  });

  it('overFetch sizes the candidate read of that one call', async () => {
    const plain = await searchNearest(repo(), { column: 'embedding', vector: query, limit: 5 });
    const wide = await searchNearest(repo(), { column: 'embedding', vector: query, limit: 5, search: { overFetch: 7 } });
    expect(plain.scanned).toBe(sqlFamily(backend.name) === 'libsql' ? 10 : 5); // libSQL reads at least 10
    expect(wide.scanned).toBe(35);
    expect(wide.rows).toHaveLength(5);
    expect((await searchNearest(repo(), { column: 'embedding', vector: query, limit: 5 })).scanned).toBe(plain.scanned);
  });
});
