/**
 * One contract test per TypeORM touch point of src/typeorm-internals (the table in
 * docs/compatibility.md), run on every TypeORM line of the Jest projects. A failure names the touch
 * point and the TypeORM release that changed it.
 */
import 'reflect-metadata';
import { Between, Column, DataSource, Entity, Equal, In, Index, IsNull, Not, PrimaryGeneratedColumn, type QueryRunner } from 'typeorm';
import { libsql, VectorColumn, VectorDataSource } from '../src';
import {
  allowColumnType,
  broadcastQuery,
  createBroadcaster,
  DataSourceWithMetadataHook,
  dataSourceOf,
  driverKnowsColumnType,
  dropsTable,
  entityAliases,
  fixLoadedTables,
  isFindOperator,
  listenAfterQuery,
  isolateWheres,
  rawColumnKey,
  discardConnection,
  loadsRowsPlainly,
  prefixSelects,
  queryRunnerOf,
  registerUnsynchronizedIndex,
  runnerConnection,
  selectQueryShape,
  setColumnStorage,
  addCheckConstraint,
  sqlQuery,
  SqliteDriverBase,
  SqliteQueryRunnerBase,
  typeormCreateIndexQueries,
  wrapSchemaBuilder,
} from '../src/typeorm-internals';
import { BACKENDS } from './support/backends';
import { TYPEORM_VERSION } from './support/typeorm-line';

@Entity('contract_item')
class ContractItem {
  @PrimaryGeneratedColumn() id!: number;
  @Index('contract_item_title_idx') @Column({ type: 'varchar' }) title!: string;
  @VectorColumn(3) embedding!: number[];
}


@Entity('plain_indexed')
class PlainIndexed {
  @PrimaryGeneratedColumn() id!: number;
  @Index('plain_indexed_title_idx') @Column({ type: 'varchar' }) title!: string;
}

/** The same table with `title` changed to integer: SQLite rebuilds the table to change it. */
@Entity('plain_indexed')
class PlainIndexedChanged {
  @PrimaryGeneratedColumn() id!: number;
  @Index('plain_indexed_title_idx') @Column({ type: 'integer' }) title!: number;
}

/** `PlainIndexed` without its index: the next schema diff drops it, and its down recreates it. */
@Entity('plain_indexed')
class PlainUnindexed {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: 'varchar' }) title!: string;
}

/** A test of one touch point: a failure says which touch point TypeORM changed. */
function contract(touchPoint: string, body: () => Promise<void> | void): void {
  it(touchPoint, async () => {
    try {
      await body();
    } catch (error) {
      throw new Error(`TypeORM ${TYPEORM_VERSION} changed the touch point "${touchPoint}" (see docs/compatibility.md): ${(error as Error).message}`);
    }
  });
}

async function withSqlite<T>(entities: Function[], work: (dataSource: DataSource) => Promise<T>, options: Record<string, unknown> = {}): Promise<T> {
  const dataSource = await new VectorDataSource({ type: 'better-sqlite3', database: ':memory:', entities, synchronize: true, ...options } as never).initialize();
  try {
    return await work(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

describe(`TypeORM ${TYPEORM_VERSION}: every touch point of src/typeorm-internals`, () => {
  contract('dataSourceOf: driver, query runner, query builder and entity manager name their DataSource', () =>
    withSqlite([ContractItem], async (dataSource) => {
      const queryRunner = dataSource.createQueryRunner();
      for (const owner of [dataSource.driver, queryRunner, dataSource.createQueryBuilder(), dataSource.manager, dataSource.getRepository(ContractItem).manager]) {
        expect(dataSourceOf(owner)).toBe(dataSource);
      }
      await queryRunner.release();
    }),
  );

  contract('DataSource#driver, #manager and #queryResultCache (replaceDriver): nothing the DataSource constructor built keeps the discarded driver', async () => {
    const dataSource = new VectorDataSource({ ...libsql({ url: ':memory:' }), entities: [ContractItem], synchronize: true, cache: true } as never);
    const stale: string[] = [];
    const visit = (value: unknown, path: string, depth: number, seen: Set<unknown>) => {
      if (typeof value !== 'object' || value === null || seen.has(value) || depth > 2) return;
      seen.add(value);
      if (value instanceof SqliteDriverBase && value !== dataSource.driver) stale.push(path);
      for (const [key, child] of Object.entries(value)) visit(child, `${path}.${key}`, depth + 1, seen);
    };
    visit(dataSource, 'dataSource', 0, new Set());
    expect(stale).toEqual([]);
    expect(dataSourceOf(dataSource.manager)).toBe(dataSource);
    await dataSource.initialize();
    try {
      // The query-result cache was built for the new driver: a cached query runs through it.
      const repository = dataSource.getRepository(ContractItem);
      await repository.save({ title: 'a', embedding: [1, 2, 3] });
      const first = await repository.createQueryBuilder('i').cache(60_000).getMany();
      await repository.save({ title: 'b', embedding: [1, 2, 3] });
      const cached = await repository.createQueryBuilder('i').cache(60_000).getMany();
      expect(cached.map((item) => item.title)).toEqual(first.map((item) => item.title));
    } finally {
      await dataSource.destroy();
    }
  });

  contract('Driver#supportedDataTypes and #withLengthColumnTypes: mutable arrays the metadata validator reads', async () => {
    const dataSource = new DataSource({ type: 'better-sqlite3', database: ':memory:' });
    expect(Array.isArray(dataSource.driver.supportedDataTypes)).toBe(true);
    expect(Array.isArray(dataSource.driver.withLengthColumnTypes)).toBe(true);
    expect(driverKnowsColumnType(dataSource.driver, 'vector')).toBe(false);
    allowColumnType(dataSource.driver, 'vector');
    expect(driverKnowsColumnType(dataSource.driver, 'vector')).toBe(true);
    expect(dataSource.driver.withLengthColumnTypes).toContain('vector');
  });

  contract('DataSource#buildMetadatas: protected, called by initialize() after connect and before synchronize', async () => {
    const seen: string[] = [];
    class Probe extends DataSourceWithMetadataHook {
      protected async beforeMetadataBuilt() {
        seen.push(`before: connected=${(this.driver as unknown as { databaseConnection?: unknown }).databaseConnection !== undefined} entities=${this.entityMetadatas.length}`);
      }
      protected async afterMetadataBuilt() {
        const tables: unknown[] = await this.query(`SELECT name FROM sqlite_master WHERE name = 'plain_item'`);
        seen.push(`after: entities=${this.entityMetadatas.length} table=${tables.length}`);
      }
    }
    @Entity('plain_item')
    class PlainItem {
      @PrimaryGeneratedColumn() id!: number;
    }
    const dataSource = await new Probe({ type: 'better-sqlite3', database: ':memory:', entities: [PlainItem], synchronize: true }).initialize();
    await dataSource.destroy();
    expect(seen).toEqual(['before: connected=true entities=0', 'after: entities=1 table=0']);
  });

  contract('ColumnMetadata#type, #length and #transformer: plain fields, read after metadata building', () =>
    withSqlite([ContractItem], async (dataSource) => {
      const column = dataSource.getMetadata(ContractItem).findColumnWithPropertyName('title')!;
      const transformer = { to: (value: unknown) => value, from: (value: unknown) => value };
      setColumnStorage(column, { type: 'text', length: '', transformer });
      expect([column.type, column.length, column.transformer]).toEqual(['text', '', transformer]);
    }),
  );

  contract('CheckMetadata: built with args and pushed into EntityMetadata#checks is created by the schema diff, then compared by name', () =>
    withSqlite(
      [PlainUnindexed],
      async (dataSource) => {
        const entity = dataSource.getMetadata(PlainUnindexed);
        addCheckConstraint(dataSource, entity, 'CHK_plain_title', 'length("title") < 5');
        addCheckConstraint(dataSource, entity, 'CHK_plain_title', 'length("title") < 5');
        expect(entity.checks.map((check) => [check.name, check.expression])).toEqual([['CHK_plain_title', 'length("title") < 5']]);
        await dataSource.synchronize();
        await expect(dataSource.query(`INSERT INTO plain_indexed (title) VALUES ('too long')`)).rejects.toThrow(/CHECK constraint failed: CHK_plain_title/);
        expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      },
      { synchronize: false },
    ),
  );

  contract('IndexMetadata: built with args and pushed into EntityMetadata#indices keeps TypeORM from syncing the index', () =>
    withSqlite([ContractItem], async (dataSource) => {
      const entity = dataSource.getMetadata(ContractItem);
      // An index in the database that the metadata does not know is dropped by the diff, unless registered (how undeclared vector indexes are kept).
      await dataSource.query('CREATE INDEX "contract_item_hand_idx" ON "contract_item" ("embedding")');
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((query) => query.query)).toContain('DROP INDEX "contract_item_hand_idx"');
      registerUnsynchronizedIndex(dataSource, entity, entity.findColumnWithPropertyName('embedding')!, 'contract_item_hand_idx');
      expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
      registerUnsynchronizedIndex(dataSource, entity, entity.findColumnWithPropertyName('embedding')!, 'contract_item_vector_idx');
      const index = entity.indices.find((candidate) => candidate.name === 'contract_item_vector_idx')!;
      expect(index.synchronize).toBe(false);
      expect(index.columns.map((column) => column.propertyName)).toEqual(['embedding']);
      expect(entity.ownIndices).toContain(index);
      // Once each, in both lists (one array for an entity without embedded entities).
      expect(entity.indices.filter((candidate) => candidate.name === 'contract_item_vector_idx')).toHaveLength(1);
      expect(entity.ownIndices.filter((candidate) => candidate.name === 'contract_item_vector_idx')).toHaveLength(1);
      const log = await dataSource.driver.createSchemaBuilder().log();
      expect(log.upQueries.map((query) => query.query).join('\n')).not.toContain('contract_item_vector_idx');
    }),
  );

  contract('expressionMap aliases, relationIdAttributes, relationCountAttributes, cache and lockMode: loadsRowsPlainly tells a plain load from one TypeORM does more for', () =>
    withSqlite([ContractItem], async (dataSource) => {
      const items = () => dataSource.getRepository(ContractItem).createQueryBuilder('item');
      expect(loadsRowsPlainly(items().where('item.title = :title', { title: 'a' }).orderBy('item.id').take(3))).toBe(true);
      expect(loadsRowsPlainly(items().leftJoin(ContractItem, 'other', 'other.id = item.id'))).toBe(false);
      expect(loadsRowsPlainly(items().cache(1000))).toBe(false);
      expect(loadsRowsPlainly(items().setLock('optimistic', 1))).toBe(false);
    }),
  );

  contract("FindOperator's '@instanceof' marker (EqualOperator's own too), and the type, value and child vec0FilterSql reads", () => {
    for (const operator of [In([1]), IsNull(), Not(IsNull()), Equal(1)]) expect(isFindOperator(operator)).toBe(true);
    for (const value of [{}, [1, 2], null, 'x', { '@instanceof': 'FindOperator' }]) expect(isFindOperator(value)).toBe(false);
    const notEqual = Not(Equal(3));
    expect([notEqual.type, notEqual.value, notEqual.child?.type]).toEqual(['not', 3, 'equal']);
    expect([Not(3).type, Not(3).value, Not(3).child]).toEqual(['not', 3, undefined]);
    expect([Equal('a').type, Between(1, 2).type, Between(1, 2).value, In([1, 2]).type, In([1, 2]).value]).toEqual(['equal', 'between', [1, 2], 'in', [1, 2]]);
  });

  contract('QueryBuilder#expressionMap.aliases: name, hasMetadata and metadata of each alias', () =>
    withSqlite([ContractItem], async (dataSource) => {
      const qb = dataSource.getRepository(ContractItem).createQueryBuilder('item');
      expect(entityAliases(qb).map((alias) => [alias.name, alias.metadata.name])).toEqual([['item', 'ContractItem']]);
    }),
  );

  contract('QueryBuilder#expressionMap.wheres and the protected createWhereClausesExpression, which isolateWheres wraps in parentheses', () =>
    withSqlite([ContractItem], async (dataSource) => {
      const qb = dataSource.getRepository(ContractItem).createQueryBuilder('item').where('item.id = 1 OR item.id = 2').orWhere('item.id = :three', { three: 3 });
      isolateWheres(qb);
      qb.andWhere('item.title = :t', { t: 'x' });
      expect(qb.getQuery().replace(/"/g, '')).toMatch(/WHERE \(item\.id = 1 OR item\.id = 2 OR item\.id = :three\) AND item\.title = :t/);
      await dataSource.getRepository(ContractItem).save([{ title: 'x', embedding: [1, 2, 3] }, { title: 'y', embedding: [1, 2, 3] }, { title: 'x', embedding: [1, 2, 3] }]);
      expect((await qb.getMany()).map((item) => item.id)).toEqual([1, 3]);
    }),
  );

  contract("DriverUtils.buildAlias names a query builder's raw entity columns (rawColumnKey)", () =>
    withSqlite([ContractItem], async (dataSource) => {
      await dataSource.getRepository(ContractItem).save({ title: 'x', embedding: [1, 2, 3] });
      const [raw] = await dataSource.getRepository(ContractItem).createQueryBuilder('entity').getRawMany();
      expect(raw[rawColumnKey(dataSource, 'entity', 'id')]).toBe(1);
      expect(rawColumnKey(dataSource, 'entity', 'title')).toBe('entity_title');
    }),
  );

  contract('the protected QueryBuilder#queryRunner: set by createQueryBuilder(alias, runner) and by a transaction manager', () =>
    withSqlite([ContractItem], async (dataSource) => {
      expect(queryRunnerOf(dataSource.getRepository(ContractItem).createQueryBuilder('item'))).toBeUndefined();
      const runner = dataSource.createQueryRunner();
      try {
        expect(queryRunnerOf(dataSource.getRepository(ContractItem).createQueryBuilder('item', runner))).toBe(runner);
      } finally {
        await runner.release();
      }
      await dataSource.transaction(async (manager) => {
        expect(queryRunnerOf(manager.getRepository(ContractItem).createQueryBuilder('item'))?.isTransactionActive).toBe(true);
      });
    }),
  );

  contract("a query builder runs its SELECTs through its runner's query(sql, parameters, ...), so prefixSelects prefixes them", () =>
    withSqlite([ContractItem], async (dataSource) => {
      const runner = dataSource.createQueryRunner();
      const sent: string[] = [];
      const query = runner.query.bind(runner);
      jest.spyOn(runner, 'query').mockImplementation((sql: string, ...rest: unknown[]) => {
        sent.push(sql);
        return (query as (...args: unknown[]) => Promise<any>)(sql, ...rest);
      });
      try {
        const qb = dataSource.getRepository(ContractItem).createQueryBuilder('item').where('item.id > :min', { min: 0 });
        const prefixed = qb.setQueryRunner(prefixSelects(runner, '/* tv */ '));
        await prefixed.getCount();
        await prefixed.getMany();
        expect(sent.filter((query) => query.includes('contract_item'))).toEqual([expect.stringMatching(/^\/\* tv \*\/ SELECT COUNT/), expect.stringMatching(/^\/\* tv \*\/ SELECT /)]);
      } finally {
        await runner.release();
      }
    }),
  );

  contract('QueryBuilder#expressionMap.allOrderBys, selects, limit, take and wheres (selectQueryShape)', () =>
    withSqlite([ContractItem], async (dataSource) => {
      const runner = dataSource.createQueryRunner();
      try {
        const qb = dataSource
          .getRepository(ContractItem)
          .createQueryBuilder('item', runner)
          .addSelect('LENGTH(item.title)', 'size')
          .where('item.id > 0')
          .orderBy('size', 'DESC')
          .addOrderBy('item.id', 'ASC', 'NULLS LAST')
          .limit(7);
        expect(selectQueryShape(qb)).toEqual({
          orderBy: [
            { expression: 'size', order: 'DESC' },
            { expression: 'item.id', order: 'ASC' },
          ],
          selects: [
            { selection: 'item', alias: undefined },
            { selection: 'LENGTH(item.title)', alias: 'size' },
          ],
          limit: 7,
          filtered: true,
          queryRunner: runner,
        });
        const plain = selectQueryShape(dataSource.getRepository(ContractItem).createQueryBuilder('item').take(3));
        expect([plain.orderBy, plain.limit, plain.filtered, plain.queryRunner]).toEqual([[], 3, false, undefined]);
      } finally {
        await runner.release();
      }
    }),
  );

  contract("Driver#createSchemaBuilder, SqlInMemory and the text of SQLite's DROP TABLE and CREATE INDEX", async () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const path = require('node:path') as typeof import('node:path');
    const dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'tv-contract-'));
    const database = path.join(dir, 'contract.db');
    try {
      const before = await new DataSource({ type: 'better-sqlite3', database, entities: [PlainIndexed], synchronize: true }).initialize();
      await before.destroy();
      const dataSource = await new DataSource({ type: 'better-sqlite3', database, entities: [PlainIndexedChanged] }).initialize();
      try {
        let wrappedCalls = 0;
        wrapSchemaBuilder(dataSource.driver, (inner) => {
          wrappedCalls += 1;
          return inner;
        });
        const memory = await dataSource.driver.createSchemaBuilder().log();
        expect(wrappedCalls).toBe(1);
        expect(dropsTable(memory.upQueries, dataSource.driver.escape('plain_indexed'))).toBe(true);
        // TypeORM's SQLite runner rebuilds the table and recreates its indexes, in up and in down.
        expect(typeormCreateIndexQueries(memory.upQueries, dataSource.driver.escape('plain_indexed_title_idx')).length).toBeGreaterThan(0);
        expect(typeormCreateIndexQueries(memory.downQueries, dataSource.driver.escape('plain_indexed_title_idx')).length).toBeGreaterThan(0);
        memory.upQueries.push(sqlQuery('SELECT 1'));
        expect(memory.upQueries[memory.upQueries.length - 1]!.query).toBe('SELECT 1');
      } finally {
        await dataSource.destroy();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  contract('Driver#createQueryRunner and the protected QueryRunner#loadTables, which getTables and the schema diff call', () =>
    withSqlite([ContractItem], async (dataSource) => {
      const seen: string[] = [];
      const fresh = new DataSource({ type: 'better-sqlite3', database: ':memory:', entities: [] });
      await fresh.initialize();
      try {
        await fresh.query('CREATE TABLE t (id integer)');
        fixLoadedTables(fresh.driver, async (tables) => {
          seen.push(...tables.map((table) => table.name));
        });
        // A second fix runs after the first, on the same tables.
        fixLoadedTables(fresh.driver, async (tables) => {
          seen.push(`second:${tables.length}`);
        });
        const queryRunner = fresh.createQueryRunner();
        await queryRunner.getTables(['t']);
        await queryRunner.release();
        expect(seen).toEqual(['t', 'second:1']);
      } finally {
        await fresh.destroy();
      }
      expect(dataSource.isInitialized).toBe(true);
    }),
  );

  contract("AbstractSqliteDriver and AbstractSqliteQueryRunner: the methods typeorm-vector's libSQL driver overrides", () => {
    for (const method of ['disconnect', 'normalizeType', 'createFullType', 'createDatabaseConnection', 'escape', 'parseTableName']) {
      expect(typeof (SqliteDriverBase.prototype as unknown as Record<string, unknown>)[method]).toBe('function');
    }
    for (const method of ['startTransaction', 'commitTransaction', 'rollbackTransaction', 'beforeMigration', 'afterMigration', 'loadTables', 'clearDatabase', 'getTables']) {
      expect(typeof (SqliteQueryRunnerBase.prototype as unknown as Record<string, unknown>)[method]).toBe('function');
    }
  });

  contract("Broadcaster#broadcast('BeforeQuery'), #broadcastAfterQueryEvent and BroadcasterResult#wait reach subscribers", () =>
    withSqlite([ContractItem], async (dataSource) => {
      const events: string[] = [];
      (dataSource.subscribers as unknown[]).push({
        beforeQuery: (event: { query: string }) => void events.push(`before ${event.query}`),
        afterQuery: async (event: { query: string; success: boolean }) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          events.push(`after ${event.query} ${event.success}`);
        },
      });
      const queryRunner = dataSource.createQueryRunner();
      const broadcaster = createBroadcaster(queryRunner);
      await broadcastQuery(broadcaster, 'SELECT 1', [], async () => 'ok', () => 'raw');
      await expect(broadcastQuery(broadcaster, 'SELECT 2', [], () => Promise.reject(new Error('boom')), () => undefined)).rejects.toThrow('boom');
      await queryRunner.release();
      expect(events).toEqual(['before SELECT 1', 'after SELECT 1 true', 'before SELECT 2', 'after SELECT 2 false']);
    }),
  );
});

const postgres = BACKENDS.find((backend) => backend.name === 'postgres');
const postgresContracts = postgres ? [postgres] : [];

for (const backend of postgresContracts) describe(`TypeORM ${TYPEORM_VERSION} on PostgreSQL: touch points of the pg driver`, () => {
  contract("the PostgreSQL query runner's protected releasePostgresConnection(err): discardConnection destroys the connection", async () => {
    const dataSource = await backend.open([ContractItem], { poolSize: 1 });
    try {
      const runner = dataSource.createQueryRunner();
      const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      await runner.startTransaction();
      await discardConnection(runner, new Error('unknown state'));
      const [after] = (await dataSource.query('SELECT pg_backend_pid() AS pid, now() = statement_timestamp() AS outside')) as Array<{ pid: number; outside: boolean }>;
      expect(after!.pid).not.toBe(pid);
      expect(after!.outside).toBe(true);
    } finally {
      await backend.close(dataSource);
    }
  });


  contract('QueryRunner#databaseConnection: runnerConnection is the pg client the runner queries on', async () => {
    const dataSource = await backend.open([ContractItem]);
    const runner = dataSource.createQueryRunner();
    try {
      expect(runnerConnection(runner)).toBeUndefined();
      const connected = await runner.connect();
      expect(runnerConnection(runner)).toBe(connected);
      const [{ pid }] = (await runner.query('SELECT pg_backend_pid() AS pid')) as [{ pid: number }];
      expect((connected as { processID?: number }).processID).toBe(pid);
    } finally {
      await runner.release();
      await backend.close(dataSource);
    }
  });

  contract("PostgresDriver passes options.extra (with pg's `types`) to pg's Pool", async () => {
    const dataSource = await backend.open([ContractItem]);
    try {
      const pool = (dataSource.driver as unknown as { master: { options: { types?: unknown } } }).master;
      expect(typeof (pool.options.types as { getTypeParser?: unknown })?.getTypeParser).toBe('function');
      await dataSource.getRepository(ContractItem).save({ title: 'a', embedding: [1, -0, 0.5] });
      const rows: Array<{ embedding: unknown }> = await dataSource.query('SELECT embedding FROM contract_item');
      expect(rows[0]!.embedding).toBeInstanceOf(Float32Array);
    } finally {
      await backend.close(dataSource);
    }
  });

  contract("the text of PostgreSQL's CREATE INDEX in a generated down, which restores a dropped vector index", async () => {
    const dataSource = await backend.open([PlainIndexed]);
    try {
      await dataSource.destroy();
      const without = new (dataSource.constructor as typeof DataSource)({ ...dataSource.options, entities: [PlainUnindexed], synchronize: false } as never);
      await without.initialize();
      try {
        const memory = await without.driver.createSchemaBuilder().log();
        expect(typeormCreateIndexQueries(memory.downQueries, without.driver.escape('plain_indexed_title_idx'))).toHaveLength(1);
      } finally {
        await without.destroy();
      }
    } finally {
      await backend.close(dataSource);
    }
  });

  contract("DataSource#subscribers and the afterQuery event of PostgreSQL's query runner, with its query runner", async () => {
    const dataSource = await backend.open([ContractItem]);
    try {
      const seen: Array<{ query: string; runner: QueryRunner }> = [];
      listenAfterQuery(dataSource, async (event) => void seen.push({ query: event.query, runner: event.queryRunner }));
      const queryRunner = dataSource.createQueryRunner();
      await queryRunner.query('SELECT 42');
      await queryRunner.release();
      expect(seen.find((event) => event.query === 'SELECT 42')?.runner).toBe(queryRunner);
    } finally {
      await backend.close(dataSource);
    }
  });
});
