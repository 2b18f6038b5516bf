import { escapeTable, tableParts } from '../../vocabulary';
import type { FullTextDialect } from '../full-text';

/** `'english'::regconfig`: the configuration as a constant, so a query's expression equals the index's (a bound one would not match it). The name is validated by `isTextSearchConfig`. */
function regconfig(config: string): string {
  return `'${config}'::regconfig`;
}

/** `to_tsvector('english'::regconfig, COALESCE(a, '') || ' ' || COALESCE(b, ''))`: the same text in the index and in queries. */
function tsvector(config: string, columnsSql: readonly string[]): string {
  return `to_tsvector(${regconfig(config)}, ${columnsSql.map((column) => `COALESCE(${column}, '')`).join(" || ' ' || ")})`;
}

/**
 * PostgreSQL full text: a GIN index on the `tsvector` expression of the columns, queried with the
 * same expression, `websearch_to_tsquery` (which reads any user text: quotes, `-`, `OR`, never a
 * syntax error) and ranked by `ts_rank_cd`.
 *
 * @example
 * postgresFullText.createIndex({ name: 'doc_fts', table: 'doc', columns: ['title', 'body'], config: 'english' }, (n) => `"${n}"`);
 * // ['CREATE INDEX "doc_fts" ON "doc" USING gin (to_tsvector(\'english\'::regconfig, COALESCE("title", \'\') || \' \' || COALESCE("body", \'\')))']
 */
export const postgresFullText: FullTextDialect = {
  isTableIndex: true,
  configurable: true,
  prepareQuery: (text) => text,
  match({ columnsSql, config, querySql }) {
    const vector = tsvector(config, columnsSql);
    const query = `websearch_to_tsquery(${regconfig(config)}, ${querySql})`;
    return { condition: `${vector} @@ ${query}`, relevance: `ts_rank_cd(${vector}, ${query})` };
  },
  createIndex(index, escape) {
    return [`CREATE INDEX ${escape(index.name)} ON ${escapeTable(index.table, escape)} USING gin (${tsvector(index.config, index.columns.map(escape))})`];
  },
  dropIndex(index, escape) {
    const { schema } = tableParts(index.table);
    return [`DROP INDEX ${schema ? `${escape(schema)}.` : ''}${escape(index.name)}`];
  },
  indexExists(index) {
    const { schema } = tableParts(index.table);
    return { sql: 'SELECT indexdef FROM pg_indexes WHERE schemaname = COALESCE($1::text, current_schema()) AND indexname = $2', parameters: [schema ?? null, index.name] };
  },
};
