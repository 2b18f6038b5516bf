import type { DeepPartial, ObjectLiteral, QueryRunner, Repository } from 'typeorm';
import { codecOf, dialectOf } from '../dialects';
import { VectorBulkLoadError, VectorConfigurationError, VectorValueError } from '../errors';
import { dataSourceOf, discardConnection, escapeIdentifier } from '../typeorm-internals';
import { describeValue } from '../vocabulary';
import { prepareCopy } from './copy-load';
import { prepareInserts } from './insert-load';
import type { LoadInput } from './load-input';
import { planRows } from './row-plan';

/**
 * Options of `insertVectors`.
 *
 * @example
 * const options: InsertVectorsOptions = { batchSize: 2000, onProgress: (loaded, total) => bar.update(loaded, { total }) };
 */
export interface InsertVectorsOptions {
  /**
   * Rows per batch (default 1000): per INSERT statement on SQLite, libSQL and MariaDB (fewer when
   * the backend's bound-parameter limit needs it), per chunk of the COPY stream on PostgreSQL.
   */
  batchSize?: number;
  /** Called after each batch the database received, with the rows sent so far and the total (the rows are committed only when the promise resolves). */
  onProgress?: (loaded: number, total: number) => void;
}

const OPTION_NAMES = ['batchSize', 'onProgress'];
const DEFAULT_BATCH_SIZE = 1000;

/**
 * Loads many rows at once, in one transaction: on PostgreSQL one `COPY ... FROM STDIN WITH (FORMAT
 * binary)` through `pg-copy-streams` (vectors in pgvector's binary format; text COPY when a column
 * type has no simple binary form, such as `numeric` or an array), elsewhere multi-row prepared
 * INSERTs. Every row is checked first (vector dimensions and values through the column's
 * validation, NOT NULL columns present, no unknown property), so a bad row fails before any SQL
 * runs; a failure on the database (a constraint, a lost server) rolls everything back and throws
 * `VectorBulkLoadError` with the driver's error as `cause`. Inside a transaction (a repository of
 * `manager.transaction`'s manager) it joins it instead, and the caller's rollback undoes it.
 * Column transformers and defaults apply as in `save`; entity listeners and subscribers do not run.
 * Generated keys are set on the rows where the backend returns them cheaply (SQLite through
 * better-sqlite3, libSQL, MariaDB: `RETURNING`); not on PostgreSQL (COPY returns none), MySQL or
 * node sqlite3.
 *
 * @returns the number of rows written.
 *
 * @example
 * const written = await insertVectors(dataSource.getRepository(Doc), docs.map((d) => ({ title: d.title, embedding: d.vector })), {
 *   batchSize: 2000,
 *   onProgress: (loaded, total) => console.log(`${loaded}/${total}`),
 * });
 * // PostgreSQL: COPY "doc" ("title", "embedding") FROM STDIN WITH (FORMAT binary)
 * // SQLite:     INSERT INTO "doc" ("title", "embedding") VALUES (?, ?), (?, ?), ... RETURNING "id"
 */
export function insertVectors<Entity extends ObjectLiteral>(repository: Repository<Entity>, rows: ReadonlyArray<DeepPartial<Entity>>, options: InsertVectorsOptions = {}): Promise<number> {
  return loadVectors(repository, rows, options);
}

/**
 * `insertVectors`, with what only the benchmark chooses: `copyFormat: 'text'` sends a PostgreSQL
 * load through text COPY even where every column has a binary form (to measure what binary saves).
 * Not exported from the package.
 *
 * @example
 * await loadVectors(repo, rows, {}, { copyFormat: 'text' }); // COPY "doc" ("embedding") FROM STDIN WITH (FORMAT text)
 */
export async function loadVectors<Entity extends ObjectLiteral>(
  repository: Repository<Entity>,
  rows: ReadonlyArray<DeepPartial<Entity>>,
  options: InsertVectorsOptions,
  internal: { copyFormat?: 'text' } = {},
): Promise<number> {
  const { batchSize, onProgress } = checkOptions(options);
  if (!Array.isArray(rows)) throw new VectorValueError(`insertVectors takes an array of rows but got ${describeValue(rows)}; pass an array of objects.`);
  if (rows.length === 0) return 0;
  const dataSource = dataSourceOf(repository.manager);
  const { metadata } = repository;
  const plan = planRows(metadata, dataSource.driver, rows);
  if (plan.columns.length === 0) throw new VectorValueError(`The rows given to insertVectors set no column of ${metadata.name}; set at least its vector column.`);
  const escape = escapeIdentifier(dataSource);
  const input: LoadInput = {
    driver: dataSource.driver,
    metadata,
    plan,
    rows: rows as readonly ObjectLiteral[],
    tableSql: metadata.schema ? `${escape(metadata.schema)}.${escape(metadata.tableName)}` : escape(metadata.tableName),
    escape,
    batchSize,
  };
  const dialect = dialectOf(dataSource);
  const bulk = dialect.bulkLoad;
  // Every row is checked before anything is sent.
  const send = bulk.kind === 'copy' ? prepareCopy(bulk.copy, input, internal.copyFormat) : prepareInserts(bulk, input, codecOf(dialect, 'float32'));
  const callers = repository.manager.queryRunner;
  const inCallersTransaction = callers?.isTransactionActive === true;
  const runner: QueryRunner = inCallersTransaction ? callers! : dataSource.createQueryRunner('master');
  let sent = 0;
  try {
    if (!inCallersTransaction) await runner.startTransaction();
    await send(runner, (loaded) => {
      sent = loaded;
      onProgress?.(loaded, rows.length);
    });
    if (!inCallersTransaction) await runner.commitTransaction();
    return rows.length;
  } catch (error) {
    const rollback = inCallersTransaction || !runner.isTransactionActive ? undefined : await runner.rollbackTransaction().then(() => undefined, (failure: unknown) => failure);
    // A connection whose transaction could not be ended (the server went away) is destroyed, never returned to the pool.
    if (rollback !== undefined) await discardConnection(runner, rollback);
    throw loadError(error, metadata.tableName, sent, rows.length, inCallersTransaction, rollback);
  } finally {
    if (!inCallersTransaction && !runner.isReleased) await runner.release();
  }
}

function checkOptions(options: InsertVectorsOptions): { batchSize: number; onProgress: InsertVectorsOptions['onProgress'] } {
  if (typeof options !== 'object' || options === null) throw new VectorConfigurationError(`insertVectors options must be an object but got ${describeValue(options)}; pass { batchSize, onProgress } or nothing.`);
  const unknown = Object.keys(options).find((key) => !OPTION_NAMES.includes(key));
  if (unknown !== undefined) throw new VectorConfigurationError(`insertVectors has no option '${unknown}'; use ${OPTION_NAMES.join(', ')}.`);
  const { batchSize = DEFAULT_BATCH_SIZE, onProgress } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new VectorConfigurationError(`insertVectors batchSize is ${describeValue(batchSize)}; pass a positive integer such as ${DEFAULT_BATCH_SIZE}.`);
  }
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw new VectorConfigurationError(`insertVectors onProgress is ${describeValue(onProgress)}; pass a function (loaded, total) => void.`);
  }
  return { batchSize, onProgress };
}

/** The error a load that failed on the database throws, with the driver's error as `cause`. */
function loadError(error: unknown, table: string, sent: number, total: number, inCallersTransaction: boolean, rollback: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const outcome = inCallersTransaction
    ? "the caller's transaction must be rolled back"
    : rollback !== undefined
      ? `rolling back failed too (${rollback instanceof Error ? rollback.message : String(rollback)}), so the connection was closed and the database abandons the transaction with it`
      : 'no row was written';
  return new VectorBulkLoadError(`insertVectors into ${table} failed after sending ${sent} of ${total} rows (${reason}); ${outcome}: fix the cause and load the rows again.`, { cause: error });
}
