import type { DataSource } from 'typeorm';

/**
 * Quotes one identifier with the driver's quote character, doubling that character inside the
 * name: TypeORM 1.x's `driver.escape` doubles it, 0.3's does not (`"doc"; DROP ..."` would end the
 * identifier), so the library never relies on the driver for that.
 *
 * Touch point: `driver.escape('')`, read for its quote characters only.
 *
 * @example
 * escapeIdentifier(dataSource)('doc"x'); // '"doc""x"' on PostgreSQL and SQLite, on every TypeORM line
 */
export function escapeIdentifier(dataSource: DataSource): (identifier: string) => string {
  const empty = dataSource.driver.escape('');
  const open = empty.slice(0, 1);
  const close = empty.slice(1);
  if (empty.length !== 2) return (identifier) => dataSource.driver.escape(identifier);
  return (identifier) => `${open}${identifier.replaceAll(close, close + close)}${close}`;
}
