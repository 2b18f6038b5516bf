import { escapeTable, tableParts, type VectorMetric } from '../../vocabulary';
import type { VectorIntrospection } from '../dialect';
import { declaredVectorDimensions } from '../shared/declared-dimensions';
import { mysqlDeclaredColumnTypes } from '../shared/mysql-catalog';

/**
 * MariaDB's default `M` of a VECTOR INDEX (the server variable `mhnsw_default_m`), used where the
 * server's own value cannot be read.
 *
 * @example
 * MARIADB_DEFAULT_M; // 6
 */
export const MARIADB_DEFAULT_M = 6;

/**
 * MariaDB's catalog queries, on INFORMATION_SCHEMA.
 *
 * @example
 * mariadbIntrospection.readColumn!([{ is_nullable: 'NO', column_type: 'vector(3)' }]); // { nullable: false, dimensions: 3, type: 'vector' }
 */
export const mariadbIntrospection: VectorIntrospection = {
  indexExists(index) {
    const { schema, name } = tableParts(index.table);
    return {
      sql: 'SELECT INDEX_TYPE AS index_type FROM INFORMATION_SCHEMA.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND INDEX_NAME = ?',
      parameters: [schema ?? null, name, index.name],
    };
  },
  column(table, column) {
    const { schema, name } = tableParts(table);
    return {
      sql: 'SELECT IS_NULLABLE AS is_nullable, COLUMN_TYPE AS column_type FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?',
      parameters: [schema ?? null, name, column],
    };
  },
  readColumn(rows) {
    const row = rows[0];
    if (!row) return undefined;
    const type = String(row.column_type);
    return { nullable: row.is_nullable === 'YES', dimensions: declaredVectorDimensions(type), type: type.replace(/\(.*$/, '').toLowerCase() };
  },
  // SHOW CREATE TABLE is the one place MariaDB 11.8 names a VECTOR INDEX's DISTANCE.
  vectorIndexesOnTable: (table, escape) => ({ sql: `SHOW CREATE TABLE ${escapeTable(table, escape)}`, parameters: [] }),
  indexDefaults: { sql: 'SELECT @@mhnsw_default_m AS m, @@mhnsw_default_distance AS distance', parameters: [] },
  readVectorIndexes(rows, serverDefaults = {}) {
    const text = String(rows[0]?.['Create Table'] ?? '');
    // An index declared without M or DISTANCE was built with the server's mhnsw_default_m / mhnsw_default_distance.
    const defaultM = Number(serverDefaults.m ?? MARIADB_DEFAULT_M);
    const defaultDistance = String(serverDefaults.distance ?? 'euclidean').toLowerCase();
    return [...text.matchAll(/VECTOR KEY `((?:[^`]|``)+)` \(`((?:[^`]|``)+)`\)(.*)/g)].map(([line, name, column, options]) => {
      // `M`='16' when the index names it; `m`='12' when it was built under a session's own mhnsw_default_m.
      const distance = /(?:^|\s)`?DISTANCE`?='?(\w+)/i.exec(options!)?.[1]?.toLowerCase() ?? defaultDistance;
      const m = /(?:^|\s)`?M`?='?(\d+)/i.exec(options!)?.[1];
      const metric: VectorMetric | undefined = distance === 'cosine' ? 'cosine' : distance === 'euclidean' ? 'l2' : undefined;
      const columnName = column!.replace(/``/g, '`');
      return {
        name: name!.replace(/``/g, '`'),
        definition: line.trim().replace(/,$/, ''),
        column: columnName,
        kind: 'hnsw' as const,
        metric,
        settings: m ? { m } : ({} as Record<string, string>),
        ...(metric ? { meaning: { kind: 'hnsw' as const, column: columnName, metric, settings: { m: m ? Number(m) : defaultM } } } : {}),
      };
    });
  },
  // InnoDB's own estimate (off by up to about half): only sizes candidate reads, never the answer.
  rowEstimate(table) {
    const { schema, name } = tableParts(table);
    return { sql: 'SELECT TABLE_ROWS AS estimate FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?', parameters: [schema ?? null, name] };
  },
  declaredColumnTypes: mysqlDeclaredColumnTypes,
  declaredDimensions: declaredVectorDimensions,
};
