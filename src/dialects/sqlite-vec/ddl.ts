import { escapeTable, type VectorMetric } from '../../vocabulary';
import type { VectorDdl } from '../dialect';

const VEC0_METRICS: Partial<Record<VectorMetric, string>> = { l2: 'l2', cosine: 'cosine', l1: 'l1' };

/**
 * sqlite-vec has no index on ordinary tables. Kind `vec0` creates a `vec0` virtual table (`<name>`,
 * rowid = the entity row's rowid) holding a copy of the column, fills it from the existing rows,
 * and keeps it in step with three triggers on the entity table (`<name>_insert`, `<name>_update`,
 * `<name>_delete`), so every write path (repository, query builder, raw SQL) updates it.
 *
 * @example
 * sqliteVecDdl.createIndex(definition, escape)[0];
 * // 'CREATE VIRTUAL TABLE "document_embedding_vec0_cosine" USING vec0(embedding float[64] distance_metric=cosine)'
 */
export const sqliteVecDdl: VectorDdl = {
  createExtension: [],
  dropExtension: [],
  extensionCheck: {
    sql: 'SELECT vec_version() AS version',
    advice:
      'create the DataSource with new VectorDataSource(options), which loads sqlite-vec into every connection, or load it yourself with prepareDatabase: loadSqliteVec (npm install sqlite-vec)',
  },
  createIndex(index, escape) {
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
  afterTableRebuild(index, escape) {
    return sqliteVecDdl.createIndex(index, escape).filter((statement) => statement.startsWith('CREATE TRIGGER'));
  },
  dropIndex(index, escape) {
    const trigger = (suffix: string) => escape(`${index.name}_${suffix}`);
    return [`DROP TRIGGER ${trigger('delete')}`, `DROP TRIGGER ${trigger('update')}`, `DROP TRIGGER ${trigger('insert')}`, `DROP TABLE ${escape(index.name)}`];
  },
  existingIndex: {
    // sqlite_master keeps the CREATE VIRTUAL TABLE text as it ran: equal text, same vec0 table.
    matches: (row, index, escape) => row.sql === sqliteVecDdl.createIndex(index, escape)[0],
    // Same name, table and column: only the vec0 declaration differs; the fill and triggers are the same.
    recreate: (row, index, escape) => [String(row.sql), ...sqliteVecDdl.createIndex(index, escape).slice(1)],
  },
};
