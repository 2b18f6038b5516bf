import type { ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { batches, type LoadInput, type PreparedLoad } from './load-input';
import { preparedValue } from './row-plan';

/**
 * Prepares every row (and so checks it) for multi-row INSERTs of at most `batchSize` rows and
 * `maxParameters` bound values each, and returns how to send them. With `returning`, generated
 * keys come back through `RETURNING` and are set on the rows, in the order given, as TypeORM's own
 * `save` does; a driver that returns no rows for it (node sqlite3) leaves them unset. Between
 * statements it yields to the event loop, which a synchronous driver (better-sqlite3) would
 * otherwise hold for the whole load.
 *
 * @example
 * const send = prepareInserts({ maxParameters: 32766, returning: true }, input); // throws on a bad row
 * await send(runner, progress); // INSERT INTO "doc" ("title", "embedding") VALUES (?, ?), (?, ?) RETURNING "id"
 */
export function prepareInserts(bulk: { readonly maxParameters: number; readonly returning: boolean }, input: LoadInput): PreparedLoad {
  const { plan, rows, driver } = input;
  const width = plan.columns.length;
  const values = rows.map((row, index) => plan.columns.map((planned) => preparedValue(planned, driver, row, index, rows.length, false)));
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
    for (const [start, end] of batches(rows.length, perStatement)) {
      const parameters: unknown[] = [];
      for (let index = start; index < end; index++) for (const value of values[index]!) parameters.push(value);
      const result: unknown = await runner.query(statementOf(end - start), parameters);
      if (keys.length && Array.isArray(result) && result.length === end - start) setKeys(input, keys, start, result as ObjectLiteral[]);
      progress(end);
      // A synchronous driver (better-sqlite3) would otherwise hold the event loop for the whole load.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
}

function setKeys(input: LoadInput, keys: readonly ColumnMetadata[], start: number, returned: readonly ObjectLiteral[]): void {
  returned.forEach((raw, offset) => {
    for (const column of keys) column.setEntityValue(input.rows[start + offset]!, input.driver.prepareHydratedValue(raw[column.databaseName], column));
  });
}
