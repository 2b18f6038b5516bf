import type { ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { BulkInsertDialect, VectorCodec } from '../dialects';
import { batches, type LoadInput, type PreparedLoad } from './load-input';
import { float32Value, preparedValue } from './row-plan';

/**
 * Checks every row (float32 vectors with `float32Codec`, the columns' codec, keeping nothing) for
 * multi-row INSERTs of at most `batchSize` rows and `maxParameters` bound values each, and returns
 * how to send them, each batch encoded as it is sent: through the runner's `query`,
 * or, where the dialect says `execute`, the driver connection's prepared statements. With `returning`, generated
 * keys come back through `RETURNING` and are set on the rows, in the order given, as TypeORM's own
 * `save` does; a driver that returns no rows for it (node sqlite3) leaves them unset. Between
 * statements it yields to the event loop, which a synchronous driver (better-sqlite3) would
 * otherwise hold for the whole load.
 *
 * @example
 * const send = prepareInserts({ kind: 'insert', maxParameters: 32766, returning: true }, input, codecOf(dialect, 'float32')); // throws on a bad row
 * await send(runner, progress); // INSERT INTO "doc" ("title", "embedding") VALUES (?, ?), (?, ?) RETURNING "id"
 */
export function prepareInserts(bulk: BulkInsertDialect, input: LoadInput, float32Codec: VectorCodec): PreparedLoad {
  const { plan, rows, driver } = input;
  const width = plan.columns.length;
  // Every row is checked now, before anything is sent, keeping nothing; each batch is encoded as it is sent.
  // Holding 100,000 encoded rows until then kept them alive through every garbage collection: the
  // load took about twice as long as its inserts.
  const dimensions = plan.columns.map((planned) => (planned.vector?.type === 'float32' ? planned.vector.dimensions : 0));
  const scratches = dimensions.map((length) => (length ? new Float32Array(length) : undefined));
  const floatsPerRow = dimensions.reduce((sum, length) => sum + length, 0);
  for (let index = 0; index < rows.length; index++) {
    for (let column = 0; column < width; column++) {
      const planned = plan.columns[column]!;
      if (float32Value(planned, rows[index]!, index, rows.length, scratches[column], float32Codec) === undefined) preparedValue(planned, driver, rows[index]!, index, rows.length, false);
    }
  }
  const perStatement = Math.max(1, Math.min(input.batchSize, Math.floor(bulk.maxParameters / width)));
  const keys = bulk.returning ? plan.generated.filter((column) => column.isPrimary) : [];
  const columnsSql = plan.columns.map((planned) => input.escape(planned.column.databaseName)).join(', ');
  const returningSql = keys.length ? ` RETURNING ${keys.map((column) => input.escape(column.databaseName)).join(', ')}` : '';
  const statements = new Map<number, string>();
  const statementOf = (count: number): string => {
    let sql = statements.get(count);
    if (!sql) {
      let parameter = 0;
      const tuples = Array.from({ length: count }, () => `(${plan.columns.map(() => driver.createParameter('p', parameter++)).join(', ')})`);
      sql = `INSERT INTO ${input.tableSql} (${columnsSql}) VALUES ${tuples.join(', ')}${returningSql}`;
      statements.set(count, sql);
    }
    return sql;
  };
  return async (runner, progress) => {
    const connection = bulk.execute ? executing(await runner.connect()) : undefined;
    const run = connection ? execute(connection) : (sql: string, parameters: unknown[]) => runner.query(sql, parameters);
    let previous: Promise<void> = Promise.resolve();
    let failed = false;
    try {
      for (const [start, end] of batches(rows.length, perStatement)) {
        const parameters: unknown[] = [];
        // The batch's float32 vectors (checked in the first pass) converted into one allocation, a view of it per vector.
        const floats = new Float32Array((end - start) * floatsPerRow);
        let offset = 0;
        for (let index = start; index < end; index++) {
          for (let column = 0; column < width; column++) {
            const planned = plan.columns[column]!;
            const length = dimensions[column]!;
            const vector = length ? float32Value(planned, rows[index]!, index, rows.length, floats.subarray(offset, (offset += length)), float32Codec, true) : undefined;
            parameters.push(vector ?? preparedValue(planned, driver, rows[index]!, index, rows.length, false));
          }
        }
        const sent = run(statementOf(end - start), parameters).then((result: unknown) => {
          if (failed) return;
          if (keys.length && Array.isArray(result) && result.length === end - start) setKeys(input, keys, start, result as ObjectLiteral[]);
          progress(end);
        });
        if (connection) {
          // mysql2 queues this statement behind the one still running, so the next batch is encoded while the server stores this one.
          const before = previous;
          previous = sent;
          sent.catch(() => undefined); // awaited later, or settled after an earlier batch failed
          await before;
        } else await sent;
        // A synchronous driver (better-sqlite3) would otherwise hold the event loop for the whole load.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await previous;
    } catch (error) {
      // No statement of this load may still run when the caller rolls back.
      failed = true;
      await previous.catch(() => undefined);
      throw error;
    } finally {
      // The server keeps a prepared statement until it is closed; a pooled connection would pile them up load after load.
      if (connection) for (const sql of statements.values()) connection.unprepare?.(sql);
    }
  };
}

function setKeys(input: LoadInput, keys: readonly ColumnMetadata[], start: number, returned: readonly ObjectLiteral[]): void {
  returned.forEach((raw, offset) => {
    for (const column of keys) column.setEntityValue(input.rows[start + offset]!, input.driver.prepareHydratedValue(raw[column.databaseName], column));
  });
}

/** A driver connection with prepared statements (mysql2's callback API, which TypeORM's runner holds). */
interface ExecutingConnection {
  execute(sql: string, parameters: unknown[], callback: (error: Error | null, result: unknown) => void): unknown;
  /** Closes the statement prepared for `sql` on the server. */
  unprepare?(sql: string): unknown;
}

function executing(connection: unknown): ExecutingConnection {
  const candidate = connection as Partial<ExecutingConnection> | null;
  if (typeof candidate?.execute !== 'function') {
    throw new TypeError(`The query runner's connection has no execute(sql, parameters, callback); insertVectors expected a mysql2 connection.`);
  }
  return candidate as ExecutingConnection;
}

/** Runs statements through `connection.execute` (the runner's own connection, so inside its transaction). */
function execute(connection: ExecutingConnection): (sql: string, parameters: unknown[]) => Promise<unknown> {
  return (sql, parameters) => new Promise((resolve, reject) => void connection.execute(sql, parameters, (error, result) => (error ? reject(error) : resolve(result))));
}
