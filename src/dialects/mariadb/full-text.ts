import { escapeTable, tableParts } from '../../vocabulary';
import type { FullTextDialect } from '../full-text';

/**
 * The user's text as words only: InnoDB's full-text parser rejects some punctuation even in
 * natural-language mode (`AGAINST ('*')` is a syntax error), and splits words at punctuation anyway.
 *
 * @example
 * mariadbFullTextQuery('vector* -search'); // 'vector   search'
 */
export function mariadbFullTextQuery(text: string): string {
  return text.replace(/[^\p{L}\p{N}_]/gu, ' ');
}

/**
 * MariaDB full text: a `FULLTEXT` index on the columns, `MATCH (columns) AGAINST (? IN NATURAL
 * LANGUAGE MODE)` as condition and relevance, the text reduced to its words (`mariadbFullTextQuery`).
 *
 * @example
 * mariadbFullText.createIndex({ name: 'doc_fts', table: 'doc', columns: ['title', 'body'], config: 'english' }, (n) => `\`${n}\``);
 * // ['CREATE FULLTEXT INDEX `doc_fts` ON `doc` (`title`, `body`)']
 */
export const mariadbFullText: FullTextDialect = {
  isTableIndex: true,
  configurable: false,
  prepareQuery: mariadbFullTextQuery,
  match({ columnsSql, querySql }) {
    const match = `MATCH (${columnsSql.join(', ')}) AGAINST (${querySql} IN NATURAL LANGUAGE MODE)`;
    return { condition: match, relevance: match };
  },
  createIndex(index, escape) {
    return [`CREATE FULLTEXT INDEX ${escape(index.name)} ON ${escapeTable(index.table, escape)} (${index.columns.map(escape).join(', ')})`];
  },
  dropIndex(index, escape) {
    return [`DROP INDEX ${escape(index.name)} ON ${escapeTable(index.table, escape)}`];
  },
  indexExists(index) {
    const { schema, name } = tableParts(index.table);
    return {
      sql: 'SELECT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND INDEX_NAME = ? LIMIT 1',
      parameters: [schema ?? null, name, index.name],
    };
  },
};
