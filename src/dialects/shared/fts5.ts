import { tableParts } from '../../vocabulary';
import type { FullTextDialect } from '../full-text';

/**
 * The user's text as an FTS5 query that cannot be a syntax error: each whitespace-separated word
 * holding a letter or digit becomes an FTS5 string (`"..."`, inner quotes doubled), so `*`, `-`,
 * `:`, `^`, parentheses, `NEAR`, `AND`, `OR` and `NOT` are plain text, and the words are joined with
 * `OR` (`bm25` ranks rows matching more of them higher). No word: `""`, which matches nothing.
 *
 * @example
 * fts5Query('vector* -search AND "x'); // '"vector*" OR "-search" OR "AND" OR """x"'
 */
export function fts5Query(text: string): string {
  const words = text.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
  return words.length ? words.map((word) => `"${word.replace(/"/g, '""')}"`).join(' OR ') : '""';
}

/** A string literal for FTS5's `content=` option. */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * SQLite and libSQL full text: an external-content FTS5 table (`<name>`, rowid = the entity row's
 * rowid, reading the columns from the entity table) filled with `'rebuild'` and kept in step by
 * three triggers on the entity table (`<name>_insert`, `<name>_update`, `<name>_delete`), as the
 * vec0 tables are. Queries join it on rowid, match it with `<name> MATCH ?` and rank by
 * `-bm25(<name>)`.
 *
 * @example
 * fts5FullText.createIndex({ name: 'doc_fts', table: 'doc', columns: ['title', 'body'], config: 'english' }, (n) => `"${n}"`)[0];
 * // 'CREATE VIRTUAL TABLE "doc_fts" USING fts5("title", "body", content=\'doc\')'
 */
export const fts5FullText: FullTextDialect = {
  isTableIndex: false,
  configurable: false,
  prepareQuery: fts5Query,
  match({ aliasSql, index, querySql, escape }) {
    const fts = escape(index.name);
    return {
      join: { table: index.name, alias: index.name, on: `${fts}.rowid = ${aliasSql}.rowid` },
      condition: `${fts} MATCH ${querySql}`,
      relevance: `-bm25(${fts})`,
    };
  },
  createIndex(index, escape) {
    const fts = escape(index.name);
    const table = escape(tableParts(index.table).name);
    const trigger = (suffix: string) => escape(`${index.name}_${suffix}`);
    const columns = index.columns.map(escape);
    const names = columns.join(', ');
    const values = (row: 'NEW' | 'OLD') => columns.map((column) => `${row}.${column}`).join(', ');
    const remove = `INSERT INTO ${fts}(${fts}, rowid, ${names}) VALUES ('delete', OLD.rowid, ${values('OLD')});`;
    const add = `INSERT INTO ${fts}(rowid, ${names}) VALUES (NEW.rowid, ${values('NEW')});`;
    return [
      `CREATE VIRTUAL TABLE ${fts} USING fts5(${names}, content=${literal(tableParts(index.table).name)})`,
      `INSERT INTO ${fts}(${fts}) VALUES ('rebuild')`,
      `CREATE TRIGGER ${trigger('insert')} AFTER INSERT ON ${table} BEGIN ${add} END`,
      `CREATE TRIGGER ${trigger('update')} AFTER UPDATE ON ${table} BEGIN ${remove} ${add} END`,
      `CREATE TRIGGER ${trigger('delete')} AFTER DELETE ON ${table} BEGIN ${remove} END`,
    ];
  },
  // A table copy (SQLite's ALTER) drops the triggers and may renumber rowids: recreate them and rebuild.
  afterTableRebuild(index, escape) {
    const statements = fts5FullText.createIndex(index, escape);
    return [statements[1]!, ...statements.filter((statement) => statement.startsWith('CREATE TRIGGER'))];
  },
  dropIndex(index, escape) {
    const trigger = (suffix: string) => `DROP TRIGGER IF EXISTS ${escape(`${index.name}_${suffix}`)}`;
    return [trigger('delete'), trigger('update'), trigger('insert'), `DROP TABLE ${escape(index.name)}`];
  },
  indexExists(index) {
    return { sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", parameters: [index.name] };
  },
};
