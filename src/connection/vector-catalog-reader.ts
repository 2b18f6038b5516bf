import type { DataSource, QueryRunner } from 'typeorm';
import type { CatalogVectorIndex, VectorDialect } from '../dialects';
import { escapeOf } from '../migrations/vector-index-helpers';
import { queryRows } from '../migrations/run-statements';

/**
 * The server's index defaults the dialect's catalog reader needs (MariaDB's `mhnsw_default_m` and
 * `mhnsw_default_distance`), as one row; empty where there are none.
 *
 * @example
 * await serverIndexDefaults(queryRunner, mariadbDialect); // { m: 6, distance: 'euclidean' }
 */
export async function serverIndexDefaults(queryRunner: QueryRunner, dialect: VectorDialect): Promise<Record<string, unknown>> {
  const query = dialect.introspection.indexDefaults;
  if (!query) return {};
  return (await queryRows(queryRunner, query.sql, query.parameters))[0] ?? {};
}

/**
 * The vector indexes on `table`, each with its meaning (`CatalogVectorIndex.meaning`); empty when
 * the table does not exist or the dialect cannot list them.
 *
 * @example
 * await vectorIndexesOnTable(dataSource, queryRunner, postgresDialect, 'items', {}); // [{ name: 'items_hnsw', meaning: { kind: 'hnsw', ... } }]
 */
export async function vectorIndexesOnTable(
  dataSource: DataSource,
  queryRunner: QueryRunner,
  dialect: VectorDialect,
  table: string,
  serverDefaults: Record<string, unknown>,
): Promise<CatalogVectorIndex[]> {
  const { vectorIndexesOnTable: query, readVectorIndexes } = dialect.introspection;
  if (!query || !readVectorIndexes || !(await queryRunner.hasTable(table))) return [];
  const { sql, parameters } = query(table, escapeOf(dataSource));
  return readVectorIndexes(await queryRows(queryRunner, sql, parameters), serverDefaults);
}
