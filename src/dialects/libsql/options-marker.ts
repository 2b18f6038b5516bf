/**
 * The connection options `libsql()` stores on the `driver` marker of a libSQL DataSource's
 * options: the symbol both `libsql()` (which sets it) and `resolve.ts` (which reads it) use.
 */
export const LIBSQL_CONNECTION = Symbol.for('typeorm-vector.libsql-connection');

/**
 * The libSQL connection options a DataSource's options were made with by `libsql()`, or
 * `undefined` for any other options.
 *
 * @example
 * libsqlConnectionOf(libsql({ url: ':memory:' }))?.url; // ':memory:'
 */
export function libsqlConnectionOf<Connection = { url: string }>(options: { driver?: unknown }): Readonly<Connection> | undefined {
  const driver = options.driver as { [LIBSQL_CONNECTION]?: Readonly<Connection> } | undefined;
  return typeof driver === 'function' ? driver[LIBSQL_CONNECTION] : undefined;
}
