import type { QueryRunner } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { Table } from 'typeorm/schema-builder/table/Table';

/** The part of a TypeORM query runner that reads tables from the catalog (protected in its types). */
interface TableLoading {
  loadTables(tablePaths?: string[]): Promise<Table[]>;
}

const wrapped = new WeakSet<object>();

/**
 * Makes every query runner of this one driver instance pass the tables it loads from the catalog
 * through `fix` before the schema diff sees them (own properties; no prototype changes). Idempotent.
 *
 * Touch point: `Driver#createQueryRunner()` and the protected `QueryRunner#loadTables()`.
 *
 * @example
 * fixLoadedTables(dataSource.driver, async (tables, queryRunner) => { ... });
 */
export function fixLoadedTables(driver: Driver, fix: (tables: Table[], queryRunner: QueryRunner) => Promise<void>): void {
  if (wrapped.has(driver)) return;
  const original = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => {
    const queryRunner = original(mode);
    const loading = queryRunner as unknown as TableLoading;
    const loadTables = loading.loadTables.bind(queryRunner);
    loading.loadTables = async (tablePaths) => {
      const tables = await loadTables(tablePaths);
      await fix(tables, queryRunner);
      return tables;
    };
    return queryRunner;
  };
  wrapped.add(driver);
}
