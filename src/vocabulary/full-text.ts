/**
 * A full-text index as a backend creates it: from `@FullTextIndex`, resolved for one DataSource.
 *
 * @example
 * const definition: FullTextIndexDefinition = { name: 'document_title_body_fts', table: 'document', columns: ['title', 'body'], config: 'english' };
 */
export interface FullTextIndexDefinition {
  /** The index's name (a plain identifier): a GIN or FULLTEXT index, or the FTS5 table. */
  readonly name: string;
  /** The indexed table (`schema.table` where the entity names a schema). */
  readonly table: string;
  /** The indexed columns' database names, in the declared order. */
  readonly columns: readonly string[];
  /** The PostgreSQL text search configuration (`'english'`); ignored elsewhere. */
  readonly config: string;
}

/** The text search configuration PostgreSQL indexes and queries use unless told otherwise. */
export const DEFAULT_TEXT_SEARCH_CONFIG = 'english';

/**
 * A text search configuration name, optionally schema-qualified (`english`, `pg_catalog.simple`):
 * what a PostgreSQL `regconfig` literal may hold in DDL and queries.
 *
 * @example
 * isTextSearchConfig('english'); // true
 * isTextSearchConfig("english'); DROP TABLE t; --"); // false
 */
export function isTextSearchConfig(value: unknown): value is string {
  return typeof value === 'string' && /^([A-Za-z_][A-Za-z0-9_]*\.)?[A-Za-z_][A-Za-z0-9_]*$/.test(value);
}

/**
 * The default name of a full-text index: `<table>_<columns>_fts`, without a schema.
 *
 * @example
 * defaultFullTextIndexName('search.document', ['title', 'body']); // 'document_title_body_fts'
 */
export function defaultFullTextIndexName(table: string, columns: readonly string[]): string {
  const bare = table.split('.').pop()!;
  return `${bare}_${columns.join('_')}_fts`.replace(/[^A-Za-z0-9_]/g, '_');
}
