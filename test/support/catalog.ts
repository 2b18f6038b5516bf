/** Reads a test database's catalog: the vector indexes (and vec0 tables, triggers) of a table. */
import type { BackendName } from './backends';
import type { VectorDataSource } from '../../src';

/** Index (or vec0 table / trigger) name -> its definition, for `table` on `backend`. */
export async function vectorIndexCatalog(backend: BackendName, dataSource: VectorDataSource, table: string): Promise<Record<string, string>> {
  switch (backend) {
    case 'postgres': {
      const rows: Array<{ indexname: string; indexdef: string }> = await dataSource.query(
        `SELECT indexname, indexdef FROM pg_indexes WHERE tablename = $1 AND indexdef NOT LIKE 'CREATE UNIQUE INDEX%'`,
        [table],
      );
      return Object.fromEntries(rows.map((r) => [r.indexname, r.indexdef]));
    }
    case 'sqlite': {
      const rows: Array<{ name: string; sql: string }> = await dataSource.query(
        `SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ((type IN ('index', 'trigger') AND tbl_name = ?) OR (type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'))`,
        [table],
      );
      return Object.fromEntries(rows.map((r) => [r.name, r.sql]));
    }
    default:
      throw new Error(`No catalog query for backend '${backend}'; add it to test/support/catalog.ts.`);
  }
}
