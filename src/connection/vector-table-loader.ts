import type { DataSource, QueryRunner } from 'typeorm';
import type { Driver } from 'typeorm/driver/Driver';
import type { Table } from 'typeorm/schema-builder/table/Table';
import type { VectorDialect } from '../dialects/dialect';
import { resolveDialect } from '../dialects/resolve';
import { queryRows } from '../migrations/run-statements';

type DeclaredColumnTypes = NonNullable<VectorDialect['declaredColumnTypes']>;

/** The part of a TypeORM query runner that reads tables from the catalog (protected in its types). */
interface TableLoading {
  loadTables(tablePaths?: string[]): Promise<Table[]>;
}

const installed = new WeakSet<object>();

/**
 * For TypeORM releases whose driver does not know the `vector` type (0.3.20–0.3.26 on PostgreSQL,
 * up to 0.3.27 on MariaDB/MySQL): their table loader reads a `vector(N)` column's length as empty
 * (PostgreSQL) or as N×4 bytes (MariaDB), so every schema diff (`synchronize`,
 * `migration:generate`) saw a changed column and dropped and re-added it. This makes the query
 * runners of this one driver instance (an own property; no prototype changes) set the length of
 * every loaded `vector` column to the N of its declared type, read from the catalog, so an
 * unchanged column compares equal and a real change of dimensions still shows. Only installed
 * where the driver lacked `vector` before `VectorDataSource` added it; idempotent.
 *
 * @example
 * installVectorTableLoader(dataSource); // called by VectorDataSource.buildMetadatas() on TypeORM 0.3.20–0.3.27
 */
export function installVectorTableLoader(dataSource: DataSource): void {
  const driver = dataSource.driver;
  const declaredColumnTypes = resolveDialect(dataSource).declaredColumnTypes;
  if (!declaredColumnTypes || installed.has(driver)) return;
  const original = driver.createQueryRunner.bind(driver);
  driver.createQueryRunner = (mode) => readingVectorDimensions(original(mode), driver, declaredColumnTypes);
  installed.add(driver);
}

function readingVectorDimensions(queryRunner: QueryRunner, driver: Driver, declaredColumnTypes: DeclaredColumnTypes): QueryRunner {
  const loading = queryRunner as unknown as TableLoading;
  const loadTables = loading.loadTables.bind(queryRunner);
  loading.loadTables = async (tablePaths) => {
    const tables = await loadTables(tablePaths);
    for (const table of tables) {
      const vectorColumns = table.columns.filter((column) => column.type === 'vector');
      if (!vectorColumns.length) continue;
      const { sql, parameters } = declaredColumnTypes(driver.parseTableName(table));
      const declared = new Map((await queryRows(queryRunner, sql, parameters)).map((row) => [String(row.name), String(row.type)]));
      for (const column of vectorColumns) {
        const dimensions = /^vector\((\d+)\)$/i.exec(declared.get(column.name) ?? '')?.[1];
        if (dimensions) column.length = dimensions;
      }
    }
    return tables;
  };
  return queryRunner;
}
