import type { CatalogVectorIndex, VectorDialect } from '../dialects';
import type { EscapeIdentifier } from '../vocabulary';

/**
 * Anything that runs SQL: an EntityManager or a QueryRunner.
 *
 * @example
 * const executor: SqlExecutor = queryRunner ?? dataSource.manager;
 */
export interface SqlExecutor {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/**
 * What the database says about one vector column: its vector indexes and its declared dimensions.
 *
 * @example
 * const catalog: ColumnCatalog = { indexes: [{ name: 'doc_hnsw', definition: '...', column: 'embedding', kind: 'hnsw', metric: 'l2' }], dimensions: 384 };
 */
export interface ColumnCatalog {
  readonly indexes: readonly CatalogVectorIndex[];
  /** From the column type (`vector(8)`, `VECTOR(8)`, `F32_BLOB(8)`); undefined where the type has none (SQLite BLOB). */
  readonly dimensions: number | undefined;
}

/**
 * Reads the vector indexes of `column` (database name) of `table` and its declared dimensions,
 * through the dialect's catalog queries, on `executor`.
 *
 * @example
 * const { indexes, dimensions } = await readColumnCatalog(repo.manager, dialect, 'doc', 'embedding', escape);
 */
export async function readColumnCatalog(executor: SqlExecutor, dialect: VectorDialect, table: string, column: string, escape: EscapeIdentifier): Promise<ColumnCatalog> {
  const { introspection } = dialect;
  const indexes = await readColumnIndexes(executor, dialect, table, column, escape);
  let dimensions: number | undefined;
  if (introspection.column && introspection.readColumn) {
    const { sql, parameters } = introspection.column(table, column, escape);
    dimensions = introspection.readColumn(asRows(await executor.query(sql, parameters)))?.dimensions;
  }
  return { indexes, dimensions };
}

/**
 * The vector indexes of `column` (database name) of `table`, read as the catalog describes them;
 * where an index's definition leaves an option to the server (MariaDB's DISTANCE and M), the
 * server's defaults fill it in.
 *
 * @example
 * const indexes = await readColumnIndexes(repo.manager, dialect, 'doc', 'embedding', escape);
 */
export async function readColumnIndexes(executor: SqlExecutor, dialect: VectorDialect, table: string, column: string, escape: EscapeIdentifier): Promise<CatalogVectorIndex[]> {
  return (await readTableIndexes(executor, dialect, table, escape)).filter((index) => index.column === column);
}

/**
 * The vector indexes of `table`, read as the catalog describes them, with the server's index
 * defaults (`serverDefaults`, read here when not given and the table has any) filling in what an
 * index's definition leaves out.
 *
 * @example
 * const indexes = await readTableIndexes(queryRunner, mariadbDialect, 'doc', escape, await readServerDefaults(queryRunner, mariadbDialect));
 */
export async function readTableIndexes(
  executor: SqlExecutor,
  dialect: VectorDialect,
  table: string,
  escape: EscapeIdentifier,
  serverDefaults?: Readonly<Record<string, unknown>>,
): Promise<CatalogVectorIndex[]> {
  const { vectorIndexesOnTable, readVectorIndexes } = dialect.introspection;
  if (!vectorIndexesOnTable || !readVectorIndexes) return [];
  const { sql, parameters } = vectorIndexesOnTable(table, escape);
  const rows = asRows(await executor.query(sql, parameters));
  if (!rows.length) return [];
  return readVectorIndexes(rows, serverDefaults ?? (await readServerDefaults(executor, dialect)));
}

/**
 * The server's index defaults the dialect's catalog reader needs (MariaDB's `mhnsw_default_m` and
 * `mhnsw_default_distance`), as one row; empty where there are none.
 *
 * @example
 * await readServerDefaults(queryRunner, mariadbDialect); // { m: 6, distance: 'euclidean' }
 */
export async function readServerDefaults(executor: SqlExecutor, dialect: VectorDialect): Promise<Record<string, unknown>> {
  const query = dialect.introspection.indexDefaults;
  if (!query) return {};
  return asRows(await executor.query(query.sql, [...query.parameters]))[0] ?? {};
}

/**
 * A driver's result as rows (drivers return an array of row objects for a SELECT or EXPLAIN).
 *
 * @example
 * asRows(await manager.query('EXPLAIN SELECT 1')); // [{ 'QUERY PLAN': 'Result  (cost=0.00..0.01 rows=1 width=4)' }]
 */
export function asRows(result: unknown): Array<Record<string, unknown>> {
  return Array.isArray(result) ? (result as Array<Record<string, unknown>>) : [];
}
