import type { QueryRunner } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { Table } from 'typeorm/schema-builder/table/Table';

/** The part of a TypeORM query runner that reads tables from the catalog (protected in its types). */
interface TableLoading {
  loadTables(tablePaths?: string[]): Promise<Table[]>;
}

type TableFix = (tables: Table[], queryRunner: QueryRunner) => Promise<void>;

const fixesByDriver = new WeakMap<object, TableFix[]>();

/**
 * Makes every query runner of this one driver instance pass the tables it loads from the catalog
 * through `fix` before the schema diff sees them (own properties; no prototype changes). Each call
 * adds one fix; the fixes run in the order they were added.
 *
 * Touch point: `Driver#createQueryRunner()` and the protected `QueryRunner#loadTables()`.
 *
 * @example
 * fixLoadedTables(dataSource.driver, async (tables, queryRunner) => { ... });
 */
export function fixLoadedTables(driver: Driver, fix: TableFix): void {
  const existing = fixesByDriver.get(driver);
  if (existing) {
    existing.push(fix);
    return;
  }
  const fixes: TableFix[] = [fix];
  fixesByDriver.set(driver, fixes);
  const original = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => {
    const queryRunner = original(mode);
    const loading = queryRunner as unknown as TableLoading;
    const loadTables = loading.loadTables.bind(queryRunner);
    loading.loadTables = async (tablePaths) => {
      const tables = await loadTables(tablePaths);
      for (const each of fixes) await each(tables, queryRunner);
      return tables;
    };
    return queryRunner;
  };
}
