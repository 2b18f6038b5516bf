import { escapeTable, isVectorIndexKind, tableParts } from '../../vocabulary';
import type { VectorIntrospection } from '../dialect';
import { declaredVectorDimensions } from '../shared/declared-dimensions';
import { pgDeclaredColumnTypes } from '../shared/pg-catalog';
import { metricOfOperatorClass, parseIndexdef, postgresIndexMeaning } from './ddl';

/** Column types whose typmod is the dimension count. */
const VECTOR_TYPES = ['vector', 'halfvec', 'bit', 'sparsevec'];

/**
 * PostgreSQL's catalog queries: `pg_indexes` for vector indexes (`indexdef` is the full
 * definition), `pg_attribute` for a column's nullability and `vector(N)` typmod,
 * `format_type` for declared types, and `pg_type` for the OIDs of `vector` and `halfvec` (parsed as pgvector text).
 *
 * @example
 * postgresIntrospection.declaredDimensions!('vector(384)'); // 384
 */
export const postgresIntrospection: VectorIntrospection = {
  indexExists(index) {
    const { schema } = tableParts(index.table);
    return {
      sql: 'SELECT indexdef FROM pg_indexes WHERE schemaname = COALESCE($1::text, current_schema()) AND indexname = $2',
      parameters: [schema ?? null, index.name],
    };
  },
  column(table, column, escape) {
    return {
      sql: 'SELECT a.attnotnull AS not_null, a.atttypmod AS typmod, t.typname AS type FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped',
      parameters: [escapeTable(table, escape), column],
    };
  },
  readColumn(rows) {
    const row = rows[0];
    if (!row) return undefined;
    const typmod = Number(row.typmod);
    return { nullable: !row.not_null, dimensions: VECTOR_TYPES.includes(String(row.type)) && typmod > 0 ? typmod : undefined, type: String(row.type) };
  },
  vectorIndexesOnTable(table) {
    const { schema, name } = tableParts(table);
    return {
      // On a partitioned table, the leaf indexes under the parent's (what plans name), through pg_inherits.
      sql:
        'SELECT indexname AS name, indexdef AS definition, ARRAY(WITH RECURSIVE tree(oid) AS (SELECT to_regclass(format($3, schemaname, indexname))::oid ' +
        'UNION ALL SELECT h.inhrelid FROM pg_inherits h JOIN tree ON h.inhparent = tree.oid) ' +
        "SELECT c.relname::text FROM tree JOIN pg_class c ON c.oid = tree.oid WHERE c.relkind = 'i' AND c.relname <> indexname ORDER BY 1) AS partitions " +
        "FROM pg_indexes WHERE schemaname = COALESCE($1::text, current_schema()) AND tablename = $2 AND indexdef ~ ' USING (hnsw|ivfflat) '",
      parameters: [schema ?? null, name, '%I.%I'],
    };
  },
  readVectorIndexes(rows) {
    return rows.map((row) => {
      const definition = String(row.definition);
      const parsed = parseIndexdef(definition);
      return {
        name: String(row.name),
        definition,
        column: parsed?.column,
        kind: parsed && isVectorIndexKind(parsed.method) ? parsed.method : undefined,
        metric: parsed ? metricOfOperatorClass(parsed.operatorClass) : undefined,
        ...(parsed?.storage ? { storage: parsed.storage } : {}),
        settings: parsed?.settings,
        meaning: postgresIndexMeaning(definition),
        ...(Array.isArray(row.partitions) && row.partitions.length ? { partitionIndexes: row.partitions.map(String) } : {}),
      };
    });
  },
  declaredColumnTypes: pgDeclaredColumnTypes,
  declaredDimensions: declaredVectorDimensions,
  vectorTypeOids: { sql: "SELECT oid FROM pg_type WHERE typname IN ('vector', 'halfvec')", parameters: [] },
};
