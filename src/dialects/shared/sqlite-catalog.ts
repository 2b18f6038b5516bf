import { tableParts, type ParameterizedSql } from '../../vocabulary';
import type { VectorColumnInfo, VectorIntrospection } from '../dialect';

/**
 * A query of one column's PRAGMA table_info (SQLite and libSQL).
 *
 * @example
 * sqliteColumnQuery('document', 'embedding').sql; // 'SELECT "notnull" AS not_null, type FROM pragma_table_info(?) WHERE name = ?'
 */
export function sqliteColumnQuery(table: string, column: string): ParameterizedSql {
  const { schema, name } = tableParts(table);
  return schema === undefined
    ? { sql: 'SELECT "notnull" AS not_null, type FROM pragma_table_info(?) WHERE name = ?', parameters: [name, column] }
    : { sql: 'SELECT "notnull" AS not_null, type FROM pragma_table_info(?, ?) WHERE name = ?', parameters: [name, schema, column] };
}

/**
 * Reads `sqliteColumnQuery` rows; dimensions come from `F32_BLOB(N)` (libSQL), none from BLOB.
 *
 * @example
 * sqliteReadColumn([{ not_null: 1, type: 'F32_BLOB(64)' }]); // { nullable: false, dimensions: 64 }
 */
export function sqliteReadColumn(rows: Array<Record<string, unknown>>): VectorColumnInfo | undefined {
  const row = rows[0];
  if (!row) return undefined;
  const match = /^F32_BLOB\((\d+)\)/i.exec(String(row.type));
  return { nullable: Number(row.not_null) === 0, dimensions: match ? Number(match[1]) : undefined };
}

/**
 * A query of `sqlite_master` for one object of `type` named `name`, with the SQL it was created by.
 *
 * @example
 * sqliteObjectQuery('index', 'doc_embedding_idx'); // { sql: "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name = ?", parameters: ['doc_embedding_idx'] }
 */
export function sqliteObjectQuery(type: 'index' | 'table', name: string): ParameterizedSql {
  return { sql: `SELECT name, sql FROM sqlite_master WHERE type = '${type}' AND name = ?`, parameters: [name] };
}

/**
 * The catalog queries SQLite and libSQL share: whether an index exists (a `sqlite_master` object of
 * `indexType`: libSQL's indexes are indexes, sqlite-vec's are vec0 tables) and a column's PRAGMA row.
 *
 * @example
 * const introspection: VectorIntrospection = { ...sqliteIntrospection('table'), vectorIndexesOnTable };
 */
export function sqliteIntrospection(indexType: 'index' | 'table'): Pick<VectorIntrospection, 'indexExists' | 'column' | 'readColumn'> {
  return { indexExists: (index) => sqliteObjectQuery(indexType, index.name), column: sqliteColumnQuery, readColumn: sqliteReadColumn };
}
