import { escapeTable, tableParts } from '../../vocabulary';
import type { VectorIntrospection } from '../dialect';
import { declaredVectorDimensions } from '../shared/declared-dimensions';
import { pgDeclaredColumnTypes } from '../shared/pg-catalog';
import { cockroachdbIndexMeaning, parseCspannIndexdef } from './indexdef';

/**
 * CockroachDB's catalog queries, through its PostgreSQL-compatible `pg_catalog`: `pg_indexes` for
 * vector indexes (C-SPANN indexes read `... USING cspann (column opclass)` there), `pg_attribute`
 * with `format_type` (`vector(3)`) for a column's nullability and dimensions. No type OIDs: the
 * `pg` driver returns vectors as pgvector text, which the codec reads.
 *
 * @example
 * cockroachdbIntrospection.declaredDimensions!('vector(384)'); // 384
 */
export const cockroachdbIntrospection: VectorIntrospection = {
  indexExists(index) {
    const { schema } = tableParts(index.table);
    return {
      sql: 'SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = COALESCE($1::text, current_schema()) AND indexname = $2',
      parameters: [schema ?? null, index.name],
    };
  },
  column(table, column, escape) {
    return {
      sql: 'SELECT a.attnotnull AS not_null, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped',
      parameters: [escapeTable(table, escape), column],
    };
  },
  readColumn(rows) {
    const row = rows[0];
    if (!row) return undefined;
    const type = String(row.type);
    return { nullable: !row.not_null, dimensions: declaredVectorDimensions(type), type: type.replace(/\(.*$/, '') };
  },
  vectorIndexesOnTable(table) {
    const { schema, name } = tableParts(table);
    return {
      sql: "SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = COALESCE($1::text, current_schema()) AND tablename = $2 AND indexdef LIKE '% USING cspann %'",
      parameters: [schema ?? null, name],
    };
  },
  readVectorIndexes(rows) {
    return rows.map((row) => {
      const definition = String(row.definition);
      // An index with prefix columns still serves its vector column (for queries fixing the prefix):
      // listed with its column and metric, so an exact search hides the distance from it.
      const parsed = parseCspannIndexdef(definition);
      return { name: String(row.name), definition, column: parsed?.column, kind: 'cspann' as const, metric: parsed?.metric, meaning: cockroachdbIndexMeaning(definition) };
    });
  },
  declaredColumnTypes: pgDeclaredColumnTypes,
  declaredDimensions: declaredVectorDimensions,
};
