import type { DataSource } from 'typeorm';
import type { VectorDialect } from '../dialects';
import { queryRows } from '../migrations/run-statements';
import { fixLoadedTables } from '../typeorm-internals';

/**
 * For TypeORM releases whose driver does not know the `vector` type (0.3.20–0.3.26 on PostgreSQL,
 * up to 0.3.27 on MariaDB/MySQL): their table loader reads a `vector(N)` column's length as empty
 * (PostgreSQL) or as N×4 bytes (MariaDB), so every schema diff (`synchronize`, `migration:generate`)
 * saw a changed column and dropped and re-added it. This sets the length of every loaded `vector`
 * column to the N of its declared type, read from the dialect's catalog query, so an unchanged
 * column compares equal and a real change of dimensions still shows. `columnTypes` lists the loaded
 * column types to fix (PostgreSQL adds `sparsevec`, whose length no TypeORM release reads).
 *
 * @example
 * fixVectorDimensionsOnLoad(dataSource, postgresDialect); // 'vector' columns, on TypeORM 0.3.20–0.3.27 only
 * fixVectorDimensionsOnLoad(dataSource, postgresDialect, ['sparsevec']); // every release
 */
export function fixVectorDimensionsOnLoad(dataSource: DataSource, dialect: VectorDialect, columnTypes: readonly string[] = ['vector']): void {
  const { declaredColumnTypes, declaredDimensions } = dialect.introspection;
  if (!declaredColumnTypes || !declaredDimensions) return;
  const driver = dataSource.driver;
  fixLoadedTables(driver, async (tables, queryRunner) => {
    for (const table of tables) {
      const vectorColumns = table.columns.filter((column) => columnTypes.includes(column.type));
      if (!vectorColumns.length) continue;
      const { sql, parameters } = declaredColumnTypes(driver.parseTableName(table));
      const declared = new Map((await queryRows(queryRunner, sql, parameters)).map((row) => [String(row.name), String(row.type)]));
      for (const column of vectorColumns) {
        const dimensions = declaredDimensions(declared.get(column.name) ?? '');
        if (dimensions !== undefined) column.length = String(dimensions);
      }
    }
  });
}
