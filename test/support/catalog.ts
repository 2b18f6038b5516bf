/** Reads a test database's catalog: the vector indexes (and vec0 tables, triggers) of a table. */
import { sqlFamily, type BackendName } from './backends';
import type { VectorDataSource } from '../../src';

/** Index (or vec0 table / trigger) name -> its definition, for `table` on `backend`. */
export async function vectorIndexCatalog(backend: BackendName, dataSource: VectorDataSource, table: string): Promise<Record<string, string>> {
  switch (sqlFamily(backend)) {
    case 'postgres': {
      const rows: Array<{ indexname: string; indexdef: string }> = await dataSource.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 AND indexdef NOT LIKE 'CREATE UNIQUE INDEX%'`,
        [table],
      );
      return Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
    }
    case 'sqlite':
    case 'libsql': {
      const rows: Array<{ name: string; sql: string }> = await dataSource.query(
        `SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ((type IN ('index', 'trigger') AND tbl_name = ?) OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'))`,
        [table],
      );
      return Object.fromEntries(rows.map((r) => [r.name, r.sql]));
    }
    case 'mariadb': {
      const rows: Array<Record<string, string>> = await dataSource.query(`SHOW CREATE TABLE ${dataSource.driver.escape(table)}`);
      return mariadbIndexLines(String(Object.values(rows[0]!)[1]));
    }
    default:
      throw new Error(`No catalog query for backend '${backend}'; add it to test/support/catalog.ts.`);
  }
}

/** The index lines of MariaDB's SHOW CREATE TABLE, by index name (e.g. VECTOR KEY `i` (`e`) `M`='16' `DISTANCE`='cosine'). */
export function mariadbIndexLines(createTable: string): Record<string, string> {
  const lines = createTable.split('\n').map((line) => line.trim().replace(/,$/, ''));
  return Object.fromEntries(
    lines.filter((line) => /^(VECTOR |UNIQUE |FULLTEXT )?KEY `/.test(line)).map((line) => [/`([^`]+)`/.exec(line)![1]!, line]),
  );
}
