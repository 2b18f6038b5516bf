import type { DataSource, QueryRunner } from 'typeorm';
import type { CatalogVectorIndex, VectorDialect } from '../dialects';
import { escapeOf } from '../migrations/vector-index-helpers';
import { readServerDefaults, readTableIndexes } from '../query/vector-catalog';

/**
 * The server's index defaults the dialect's catalog reader needs (MariaDB's `mhnsw_default_m` and
 * `mhnsw_default_distance`), as one row; empty where there are none.
 *
 * @example
 * await serverIndexDefaults(queryRunner, mariadbDialect); // { m: 6, distance: 'euclidean' }
 */
export function serverIndexDefaults(queryRunner: QueryRunner, dialect: VectorDialect): Promise<Record<string, unknown>> {
  return readServerDefaults(queryRunner, dialect);
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
  if (!(await queryRunner.hasTable(table))) return [];
  return readTableIndexes(queryRunner, dialect, table, escapeOf(dataSource), serverDefaults);
}
