import {
  QueryFailedError,
  QueryResult,
  QueryRunnerAlreadyReleasedError,
  TransactionAlreadyStartedError,
  TransactionNotStartedError,
  TypeORMError,
} from 'typeorm';
import type { Table } from 'typeorm/schema-builder/table/Table';
import type { IsolationLevel } from 'typeorm/driver/types/IsolationLevel';
import { libsqlDialect } from '../../dialects/libsql';
import { attachDataSource, broadcastQuery, createBroadcaster, dataSourceOf, SqliteQueryRunnerBase } from '../../typeorm-internals';
import { openLibsqlClient, type LibsqlExecutor, type LibsqlResultSet, type LibsqlTransaction } from './libsql-client';
import type { LibsqlDriver } from './libsql-driver';
import { localFilePath } from './libsql-options';

/** An EXPLAIN of a query reading a vector index through `vector_top_k`: see `LibsqlQueryRunner#query`. */
const EXPLAIN_OF_VECTOR_TOP_K = /^\s*EXPLAIN\b[\s\S]*\bvector_top_k\s*\(/i;

/**
 * Runs TypeORM's queries on a libSQL client. TypeORM's SQLite query runner supplies the schema
 * reading and DDL; this class replaces only statement execution and transactions. The outermost
 * transaction is a libSQL interactive transaction (`client.transaction('write')`, which is
 * `BEGIN IMMEDIATE` on one connection locally and one stream remotely); nested ones are savepoints
 * inside it. Like TypeORM's other SQLite drivers, a DataSource has one query runner, so every
 * query issued while a transaction is open runs inside it.
 *
 * @example
 * await dataSource.transaction(async (manager) => { await manager.save(doc); }); // rolls back if the callback throws
 */
export class LibsqlQueryRunner extends SqliteQueryRunnerBase {
  declare driver: LibsqlDriver;
  private transaction: LibsqlTransaction | undefined;

  constructor(driver: LibsqlDriver) {
    super();
    this.driver = driver;
    attachDataSource(this, dataSourceOf(driver));
    this.broadcaster = createBroadcaster(this);
  }

  override async startTransaction(isolationLevel?: IsolationLevel): Promise<void> {
    isolationLevel ??= (dataSourceOf(this).options as { isolationLevel?: IsolationLevel }).isolationLevel;
    if (isolationLevel && isolationLevel !== 'READ UNCOMMITTED' && isolationLevel !== 'SERIALIZABLE') {
      throw new TypeORMError(`libSQL supports the SERIALIZABLE and READ UNCOMMITTED isolation levels, not ${isolationLevel}.`);
    }
    if (this.isTransactionActive && this.driver.transactionSupport === 'simple') throw new TransactionAlreadyStartedError();
    this.isTransactionActive = true;
    try {
      await this.broadcaster.broadcast('BeforeTransactionStart');
      if (this.transactionDepth === 0) {
        this.transaction = await this.begin();
        if (isolationLevel) await this.query(`PRAGMA read_uncommitted = ${isolationLevel === 'READ UNCOMMITTED' ? 'true' : 'false'}`);
      } else {
        await this.query(`SAVEPOINT typeorm_${this.transactionDepth}`);
      }
    } catch (error) {
      if (this.transactionDepth === 0) {
        this.isTransactionActive = false;
        this.closeTransaction();
      }
      throw error;
    }
    this.transactionDepth += 1;
    await this.broadcaster.broadcast('AfterTransactionStart');
  }

  override async commitTransaction(): Promise<void> {
    if (!this.isTransactionActive) throw new TransactionNotStartedError();
    await this.broadcaster.broadcast('BeforeTransactionCommit');
    if (this.transactionDepth > 1) {
      await this.query(`RELEASE SAVEPOINT typeorm_${this.transactionDepth - 1}`);
    } else {
      await this.finish('COMMIT', (transaction) => transaction.commit());
    }
    this.transactionDepth -= 1;
    await this.broadcaster.broadcast('AfterTransactionCommit');
  }

  override async rollbackTransaction(): Promise<void> {
    if (!this.isTransactionActive) throw new TransactionNotStartedError();
    await this.broadcaster.broadcast('BeforeTransactionRollback');
    if (this.transactionDepth > 1) {
      await this.query(`ROLLBACK TO SAVEPOINT typeorm_${this.transactionDepth - 1}`);
    } else {
      await this.finish('ROLLBACK', (transaction) => transaction.rollback());
    }
    this.transactionDepth -= 1;
    await this.broadcaster.broadcast('AfterTransactionRollback');
  }

  /** Foreign keys off while migrations run, as TypeORM's better-sqlite3 runner does. */
  override async beforeMigration(): Promise<void> {
    await this.query('PRAGMA foreign_keys = OFF');
  }

  override async afterMigration(): Promise<void> {
    await this.query('PRAGMA foreign_keys = ON');
  }

  /**
   * TypeORM's SQLite schema reader, minus libSQL vector indexes (`libsql_vector_idx`): TypeORM
   * cannot describe them, so without this `synchronize` and `migration:generate` would drop every
   * vector index they find.
   */
  protected override async loadTables(tablePaths?: string[]): Promise<Table[]> {
    const tables = await super.loadTables(tablePaths);
    if (tables.length === 0) return tables;
    const vectorIndexes = await this.vectorIndexNames();
    for (const table of tables) table.indices = table.indices.filter((index) => !vectorIndexes.has(index.name ?? ''));
    return tables;
  }

  /**
   * Drops libSQL vector indexes before TypeORM drops every table (`dropSchema`), since dropping an
   * index's shadow table first makes the later DROP INDEX fail.
   */
  override async clearDatabase(database?: string): Promise<void> {
    for (const name of await this.vectorIndexNames()) await this.query(`DROP INDEX IF EXISTS ${this.driver.escape(name)}`);
    await super.clearDatabase(database);
  }

  private async vectorIndexNames(): Promise<Set<string>> {
    const { sql, parameters } = libsqlDialect.introspection.vectorIndexesInDatabase!;
    const rows: Array<{ name: string }> = await this.query(sql, parameters);
    return new Set(rows.map((row) => row.name));
  }

  override async query(query: string, parameters: unknown[] = [], useStructuredResult = false): Promise<any> {
    if (this.isReleased) throw new QueryRunnerAlreadyReleasedError();
    if (parameters && !Array.isArray(parameters)) {
      throw new TypeORMError(`The libSQL driver takes positional parameters (an array), not ${typeof parameters}.`);
    }
    const args = parameters.map(toLibsqlValue);
    const logger = dataSourceOf(this).logger;
    logger.logQuery(query, args, this);
    const started = Date.now();
    let result: QueryResult;
    try {
      result = await broadcastQuery(
        this.broadcaster,
        query,
        args,
        async () => {
          if (!this.transaction && EXPLAIN_OF_VECTOR_TOP_K.test(query) && localFilePath(this.driver.libsqlConnection.url)) return toQueryResult(await this.executeAlone(query, args));
          const executor: LibsqlExecutor = this.transaction ?? (await this.connect());
          return toQueryResult(await executor.execute({ sql: query, args }));
        },
        (queryResult) => queryResult.raw,
      );
    } catch (error) {
      logger.logQueryError(error as Error, query, args, this);
      throw new QueryFailedError(query, args, error as Error);
    }
    const elapsed = Date.now() - started;
    const slow = this.driver.options.maxQueryExecutionTime;
    if (slow && elapsed > slow) logger.logQuerySlow(elapsed, query, args, this);
    return useStructuredResult ? result : result.raw;
  }

  /**
   * Runs `sql` on a client of its own, closed at once. libSQL's own behaviour (docs/libsql.md): on
   * a local file, a connection that runs an EXPLAIN of a query reading `vector_top_k` and then a
   * statement reading the table keeps a lock on the file until the process exits, and every other
   * connection's writes fail with SQLITE_BUSY. A connection that runs the EXPLAIN alone and closes
   * keeps none, and EXPLAIN reads only the schema, which outside a transaction is the committed one.
   */
  private async executeAlone(sql: string, args: unknown[]): Promise<LibsqlResultSet> {
    const client = openLibsqlClient(this.driver.libsqlConnection);
    try {
      return await client.execute({ sql, args });
    } finally {
      client.close();
    }
  }

  private async begin(): Promise<LibsqlTransaction> {
    const client = await this.connect();
    dataSourceOf(this).logger.logQuery('BEGIN IMMEDIATE', [], this);
    try {
      return await client.transaction('write');
    } catch (error) {
      dataSourceOf(this).logger.logQueryError(error as Error, 'BEGIN IMMEDIATE', [], this);
      throw new QueryFailedError('BEGIN IMMEDIATE', [], error as Error);
    }
  }

  private async finish(sql: 'COMMIT' | 'ROLLBACK', end: (transaction: LibsqlTransaction) => Promise<void>): Promise<void> {
    const transaction = this.transaction;
    if (!transaction) throw new TransactionNotStartedError();
    dataSourceOf(this).logger.logQuery(sql, [], this);
    try {
      await end(transaction);
    } catch (error) {
      dataSourceOf(this).logger.logQueryError(error as Error, sql, [], this);
      throw new QueryFailedError(sql, [], error as Error);
    } finally {
      this.isTransactionActive = false;
      this.closeTransaction();
    }
  }

  private closeTransaction(): void {
    this.transaction?.close();
    this.transaction = undefined;
  }
}

/** Booleans become 0/1 (as in TypeORM's better-sqlite3 runner); everything else goes to libSQL as is. */
function toLibsqlValue(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

/**
 * A libSQL result in the shape TypeORM's SQLite code expects from better-sqlite3: rows as plain
 * objects with BLOBs as Buffers, or, for statements without result columns, the changed row count
 * and the last inserted rowid.
 */
function toQueryResult(resultSet: LibsqlResultSet): QueryResult {
  const result = new QueryResult();
  if (resultSet.columns.length > 0) {
    const records = resultSet.rows.map((row) => {
      const record: Record<string, unknown> = {};
      resultSet.columns.forEach((column, index) => {
        const value = row[index];
        record[column] = value instanceof ArrayBuffer ? Buffer.from(value) : value;
      });
      return record;
    });
    result.raw = records;
    result.records = records;
  } else {
    result.affected = resultSet.rowsAffected;
    result.raw = resultSet.lastInsertRowid === undefined ? undefined : Number(resultSet.lastInsertRowid);
  }
  return result;
}
