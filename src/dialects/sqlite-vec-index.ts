import type { VectorMetric } from './dialect';
import { escapeTable, tableParts, type EscapeIdentifier, type ParameterizedSql, type VectorIndexDefinition, type VectorIndexSupport } from './vector-index';

const VEC0_METRICS: Partial<Record<VectorMetric, string>> = { l2: 'l2', cosine: 'cosine', l1: 'l1' };

/**
 * sqlite-vec has no index on ordinary tables. Kind `vec0` creates a `vec0` virtual table
 * (`<name>`, rowid = the entity row's rowid) holding a copy of the column, fills it from the
 * existing rows, and keeps it in step with three triggers on the entity table (`<name>_insert`,
 * `<name>_update`, `<name>_delete`), so every write path (repository, query builder, raw SQL)
 * updates it. `findNearest` then searches it with `WHERE col MATCH ? AND k = ?`.
 *
 * @example
 * sqliteVecIndexes.createIndexSql(definition, escape)[0];
 * // 'CREATE VIRTUAL TABLE "document_embedding_vec0_cosine" USING vec0(embedding float[64] distance_metric=cosine)'
 */
export const sqliteVecIndexes: VectorIndexSupport = {
  defaultKind: 'vec0',
  maxIdentifierLength: 128,
  kinds: {
    vec0: {
      metrics: ['l2', 'cosine', 'l1'],
      maxDimensions: 8192,
      isTableIndex: false,
      requiresDimensions: true,
      requiresPlainColumnName: true,
      tuning: {},
      nearestRowids: { maxK: 4096, rowidSql: 'rowid', sql: vec0NearestSql },
    },
  },
  createExtensionSql: [],
  dropExtensionSql: [],
  extensionCheck: {
    sql: 'SELECT vec_version() AS version',
    advice:
      "create the DataSource with new VectorDataSource(options), which loads sqlite-vec into every connection, or load it yourself with prepareDatabase: loadSqliteVec (npm install sqlite-vec)",
  },
  createIndexSql(index, escape) {
    const vec = escape(index.name);
    const table = escapeTable(index.table, escape);
    const column = escape(index.column);
    const trigger = (suffix: string) => escape(`${index.name}_${suffix}`);
    return [
      // vec0 parses its own column list: the column name is a plain identifier (requiresPlainColumnName).
      `CREATE VIRTUAL TABLE ${vec} USING vec0(${index.column} float[${index.dimensions}] distance_metric=${VEC0_METRICS[index.metric]!})`,
      `INSERT INTO ${vec}(rowid, ${column}) SELECT rowid, ${column} FROM ${table} WHERE ${column} IS NOT NULL`,
      `CREATE TRIGGER ${trigger('insert')} AFTER INSERT ON ${table} WHEN NEW.${column} IS NOT NULL BEGIN INSERT INTO ${vec}(rowid, ${column}) VALUES (NEW.rowid, NEW.${column}); END`,
      `CREATE TRIGGER ${trigger('update')} AFTER UPDATE ON ${table} BEGIN DELETE FROM ${vec} WHERE rowid = OLD.rowid; INSERT INTO ${vec}(rowid, ${column}) SELECT NEW.rowid, NEW.${column} WHERE NEW.${column} IS NOT NULL; END`,
      `CREATE TRIGGER ${trigger('delete')} AFTER DELETE ON ${table} BEGIN DELETE FROM ${vec} WHERE rowid = OLD.rowid; END`,
    ];
  },
  afterTableRebuildSql(index, escape) {
    return sqliteVecIndexes.createIndexSql(index, escape).filter((statement) => statement.startsWith('CREATE TRIGGER'));
  },
  dropIndexSql(index, escape) {
    const trigger = (suffix: string) => escape(`${index.name}_${suffix}`);
    return [`DROP TRIGGER ${trigger('delete')}`, `DROP TRIGGER ${trigger('update')}`, `DROP TRIGGER ${trigger('insert')}`, `DROP TABLE ${escape(index.name)}`];
  },
  indexExistsQuery(index) {
    return { sql: `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name = ?`, parameters: [index.name] };
  },
  existingIndex: {
    // sqlite_master keeps the CREATE VIRTUAL TABLE text as it ran: equal text, same vec0 table.
    matches: (row, index, escape) => row.sql === sqliteVecIndexes.createIndexSql(index, escape)[0],
    // Same name, table and column: only the vec0 declaration differs; the fill and triggers are the same.
    recreateSql: (row, index, escape) => [String(row.sql), ...sqliteVecIndexes.createIndexSql(index, escape).slice(1)],
  },
  columnQuery: sqliteColumnQuery,
  readColumn: sqliteReadColumn,
};

/**
 * A subquery of the rowids of the `k` rows nearest to `vectorSql` in a vec0 index (column `tv_rowid`).
 *
 * @example
 * vec0NearestSql(definition, escape, ':v', ':k');
 * // 'SELECT rowid AS tv_rowid FROM "document_embedding_vec0_cosine" WHERE "embedding" MATCH :v AND k = :k'
 */
export function vec0NearestSql(index: VectorIndexDefinition, escape: EscapeIdentifier, vectorSql: string, kSql: string): string {
  return `SELECT rowid AS tv_rowid FROM ${escape(index.name)} WHERE ${escape(index.column)} MATCH ${vectorSql} AND k = ${kSql}`;
}

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
export function sqliteReadColumn(rows: Array<Record<string, unknown>>): { nullable: boolean; dimensions: number | undefined } | undefined {
  const row = rows[0];
  if (!row) return undefined;
  const match = /^F32_BLOB\((\d+)\)/i.exec(String(row.type));
  return { nullable: Number(row.not_null) === 0, dimensions: match ? Number(match[1]) : undefined };
}
