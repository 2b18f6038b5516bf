import { escapeTable, tableParts, type VectorMetric } from '../../vocabulary';
import type { VectorIntrospection } from '../dialect';
import { declaredVectorDimensions } from '../shared/declared-dimensions';
import { mysqlDeclaredColumnTypes } from '../shared/mysql-catalog';

/**
 * MariaDB's catalog queries, on INFORMATION_SCHEMA.
 *
 * @example
 * mariadbIntrospection.readColumn!([{ is_nullable: 'NO', column_type: 'vector(3)' }]); // { nullable: false, dimensions: 3 }
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
    return { nullable: row.is_nullable === 'YES', dimensions: declaredVectorDimensions(String(row.column_type)) };
  },
  // SHOW CREATE TABLE is the one place MariaDB 11.8 names a VECTOR INDEX's DISTANCE.
  vectorIndexesOnTable: (table, escape) => ({ sql: `SHOW CREATE TABLE ${escapeTable(table, escape)}`, parameters: [] }),
  readVectorIndexes(rows) {
    const text = String(rows[0]?.['Create Table'] ?? '');
    return [...text.matchAll(/VECTOR KEY `((?:[^`]|``)+)` \(`((?:[^`]|``)+)`\)(.*)/g)].map(([line, name, column, options]) => {
      const distance = /`?DISTANCE`?='?(\w+)/i.exec(options!)?.[1]?.toLowerCase();
      const m = /`?M`?='?(\d+)/.exec(options!)?.[1];
      return {
        name: name!.replace(/``/g, '`'),
        definition: line.trim().replace(/,$/, ''),
        column: column!.replace(/``/g, '`'),
        kind: 'hnsw' as const,
        // A VECTOR INDEX declared without DISTANCE uses mhnsw_default_distance, euclidean unless changed.
        metric: (distance === 'cosine' ? 'cosine' : 'l2') as VectorMetric,
        settings: m ? { m } : ({} as Record<string, string>),
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
