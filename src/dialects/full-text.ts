import type { EscapeIdentifier, FullTextIndexDefinition, ParameterizedSql } from '../vocabulary';

/** What `FullTextDialect.match` needs to write one full-text condition. */
export interface FullTextMatchInput {
  /** The escaped alias of the searched table, e.g. `"entity"`. */
  readonly aliasSql: string;
  /** The indexed columns in the searched table, escaped and qualified, e.g. `"entity"."title"`. */
  readonly columnsSql: readonly string[];
  /** The full-text index the query reads (its name, columns and config). */
  readonly index: FullTextIndexDefinition;
  /** The text search configuration of this query (validated; PostgreSQL only). */
  readonly config: string;
  /** The bound query text, as `prepareQuery` returned it, e.g. `:tv_text_3`. */
  readonly querySql: string;
  readonly escape: EscapeIdentifier;
}

/** One full-text condition: what to join (FTS5), which rows match, and how well. */
export interface FullTextMatch {
  /** A table to join to the searched one, unescaped (the query builder escapes it), with its alias and ON condition. */
  readonly join?: { readonly table: string; readonly alias: string; readonly on: string };
  /** The condition keeping matching rows. */
  readonly condition: string;
  /** The backend's own relevance of a matching row: higher is better. */
  readonly relevance: string;
}

/**
 * Full-text search of one backend, as data and SQL: its index DDL and catalog query, and the
 * condition and relevance a query reads. What `@FullTextIndex` creates and `findHybrid` queries.
 *
 * @example
 * postgresFullText.match({ aliasSql: '"entity"', columnsSql: ['"entity"."title"'], index, config: 'english', querySql: ':q', escape }).condition;
 * // to_tsvector('english'::regconfig, COALESCE("entity"."title", '')) @@ websearch_to_tsquery('english'::regconfig, :q)
 */
export interface FullTextDialect {
  /** Whether the index is an index of the table that TypeORM's schema reader lists (then TypeORM must be told to leave it alone). */
  readonly isTableIndex: boolean;
  /** Whether `config` means anything here (PostgreSQL's text search configurations). */
  readonly configurable: boolean;
  /**
   * The value to bind for the user's query text: unchanged where the backend reads it as plain text
   * (`websearch_to_tsquery`, natural-language `AGAINST`), each word quoted as a string where it
   * would be parsed as query syntax (FTS5).
   */
  prepareQuery(text: string): string;
  match(input: FullTextMatchInput): FullTextMatch;
  createIndex(index: FullTextIndexDefinition, escape: EscapeIdentifier): string[];
  dropIndex(index: FullTextIndexDefinition, escape: EscapeIdentifier): string[];
  /** What must run again after TypeORM rebuilt the indexed table (SQLite's table copy drops triggers). */
  afterTableRebuild?(index: FullTextIndexDefinition, escape: EscapeIdentifier): string[];
  /** A query returning one row when the index exists. */
  indexExists(index: FullTextIndexDefinition, escape: EscapeIdentifier): ParameterizedSql;
}
