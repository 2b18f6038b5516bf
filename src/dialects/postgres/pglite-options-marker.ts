/**
 * The connection options `pglite()` stores on the `driver` of a PGlite DataSource's options: the
 * symbol both `pglite()` (which sets it) and `resolve.ts` (which reads it) use.
 */
export const PGLITE_CONNECTION = Symbol.for('typeorm-vector.pglite-connection');

/**
 * The PGlite connection options a DataSource's options were made with by `pglite()`, or
 * `undefined` for any other options.
 *
 * @example
 * pgliteConnectionOf(pglite({ dataDir: './db' }))?.dataDir; // './db'
 */
export function pgliteConnectionOf<Connection = { dataDir?: string }>(options: { driver?: unknown }): Readonly<Connection> | undefined {
  const driver = options.driver as { [PGLITE_CONNECTION]?: Readonly<Connection> } | undefined;
  return typeof driver === 'object' && driver !== null ? driver[PGLITE_CONNECTION] : undefined;
}
