import type { Driver } from 'typeorm/driver/Driver';
import { Query } from 'typeorm/driver/Query';
import type { SqlInMemory } from 'typeorm/driver/SqlInMemory';
import type { SchemaBuilder } from 'typeorm/schema-builder/SchemaBuilder';

export type { SchemaBuilder, SqlInMemory };

const wrapped = new WeakSet<object>();

/**
 * Makes `driver.createSchemaBuilder()` return `wrap(TypeORM's own builder)` (an own property of this
 * one driver instance; no prototype changes). Idempotent.
 *
 * Touch point: `Driver#createSchemaBuilder()`, which `DataSource#synchronize()` and the CLI's
 * `migration:generate` call to get `build()` and `log()`.
 *
 * @example
 * wrapSchemaBuilder(dataSource.driver, (inner) => new VectorSchemaBuilder(inner, dataSource));
 */
export function wrapSchemaBuilder(driver: Driver, wrap: (inner: SchemaBuilder) => SchemaBuilder): void {
  if (wrapped.has(driver)) return;
  const original = driver.createSchemaBuilder.bind(driver);
  driver.createSchemaBuilder = () => wrap(original());
  wrapped.add(driver);
}

/**
 * A statement for a `SqlInMemory` list (what `log()` returns and `migration:generate` writes).
 *
 * Touch point: `typeorm/driver/Query`.
 *
 * @example
 * memory.upQueries.push(sqlQuery('CREATE INDEX ...'));
 */
export function sqlQuery(statement: string): Query {
  return new Query(statement);
}

/**
 * TypeORM's schema builder reports its changes as SQL text only (`SqlInMemory`), so these two
 * functions recognise its statements by text: whether it drops table `escapedTable` (the SQLite
 * table copy that loses triggers and indexes), and the prefix of its `CREATE INDEX` of an index.
 *
 * Touch point: the text of the SQLite and PostgreSQL query runners' `DROP TABLE "t"` and
 * `CREATE INDEX "name" ON ...` statements.
 *
 * @example
 * dropsTable(memory.upQueries, '"document"'); // true when TypeORM rebuilds the table
 */
export function dropsTable(queries: readonly Query[], escapedTable: string): boolean {
  return queries.some((query) => query.query === `DROP TABLE ${escapedTable}`);
}

/**
 * The queries of `queries` that are TypeORM's own `CREATE INDEX` of the index named `escapedName`.
 *
 * @example
 * typeormCreateIndexQueries(memory.downQueries, '"doc_embedding_idx"'); // [Query]
 */
export function typeormCreateIndexQueries(queries: readonly Query[], escapedName: string): Query[] {
  return queries.filter((query) => query.query.startsWith(`CREATE INDEX ${escapedName} ON `));
}
