import { VectorConfigurationError } from '../../errors';
import { escapeTable, tableParts, type EscapeIdentifier, type VectorIndexDefinition, type VectorMetric } from '../../vocabulary';
import type { VectorDdl } from '../dialect';

const OPERATOR_CLASSES: Record<VectorMetric, string> = {
  l2: 'vector_l2_ops',
  cosine: 'vector_cosine_ops',
  inner_product: 'vector_ip_ops',
  l1: 'vector_l1_ops',
};

/**
 * pgvector's extension and its HNSW and IVFFlat indexes. The operator class follows the metric, so
 * the index serves exactly the queries of that metric. pgvector refuses `ef_construction < 2 x m`:
 * checked before any SQL runs.
 *
 * @example
 * postgresDdl.createIndex(definition, escape);
 * // ['CREATE INDEX "document_embedding_hnsw_cosine" ON "document" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64)']
 */
export const postgresDdl: VectorDdl = {
  createExtension: ['CREATE EXTENSION IF NOT EXISTS vector'],
  dropExtension: ['DROP EXTENSION IF EXISTS vector'],
  extensionAdvice: 'install pgvector on the server (e.g. apt install postgresql-17-pgvector) and run the migration as a role allowed to CREATE EXTENSION',
  checkDefinition({ kind, settings }) {
    const { m, efConstruction } = settings;
    if (kind === 'hnsw' && typeof m === 'number' && typeof efConstruction === 'number' && efConstruction < 2 * m) {
      throw new VectorConfigurationError(`efConstruction ${efConstruction} is less than 2 x m (${2 * m}); pass efConstruction: ${Math.max(64, 2 * m)} or a smaller m.`);
    }
  },
  createIndex(index, escape) {
    const concurrently = index.settings.concurrently ? ' CONCURRENTLY' : '';
    const withClause = index.kind === 'hnsw' ? `m = ${index.settings.m}, ef_construction = ${index.settings.efConstruction}` : `lists = ${index.settings.lists}`;
    return [
      `CREATE INDEX${concurrently} ${escape(index.name)} ON ${escapeTable(index.table, escape)} USING ${index.kind} (${escape(index.column)} ${OPERATOR_CLASSES[index.metric]}) WITH (${withClause})`,
    ];
  },
  dropIndex(index, escape) {
    const concurrently = index.settings.concurrently ? ' CONCURRENTLY' : '';
    return [`DROP INDEX${concurrently} ${qualifiedIndexName(index, escape)}`];
  },
  existingIndex: {
    matches: (row, index) => sameIndexDefinition(String(row.indexdef), index),
    recreate: (row) => [String(row.indexdef)],
  },
};

/**
 * Whether `pg_indexes.indexdef` text (`CREATE INDEX name ON public.t USING hnsw (col vector_cosine_ops)
 * WITH (m='16', ef_construction='64')`) describes the same method, operator class and settings as `index`.
 *
 * @example
 * sameIndexDefinition("CREATE INDEX i ON public.t USING hnsw (e vector_l2_ops) WITH (m='16', ef_construction='64')", definition); // true
 */
export function sameIndexDefinition(indexdef: string, index: VectorIndexDefinition): boolean {
  const parsed = parseIndexdef(indexdef);
  if (!parsed) return false;
  const expected: Record<string, string> =
    index.kind === 'hnsw' ? { m: String(index.settings.m), ef_construction: String(index.settings.efConstruction) } : { lists: String(index.settings.lists) };
  return (
    parsed.method === index.kind &&
    parsed.operatorClass === OPERATOR_CLASSES[index.metric] &&
    Object.keys(parsed.settings).length === Object.keys(expected).length &&
    Object.entries(expected).every(([key, value]) => parsed.settings[key] === value)
  );
}

/**
 * The method, operator class and WITH settings of a `pg_indexes.indexdef`, or undefined when it is
 * not a single-column index with an operator class.
 *
 * @example
 * parseIndexdef("CREATE INDEX i ON public.t USING hnsw (e vector_l2_ops) WITH (m='8')");
 * // { method: 'hnsw', column: 'e', operatorClass: 'vector_l2_ops', settings: { m: '8' } }
 */
export function parseIndexdef(indexdef: string): { method: string; column: string; operatorClass: string; settings: Record<string, string> } | undefined {
  const match = / USING (\w+) \((.*) (\w+)\)(?: WITH \((.*)\))?$/.exec(indexdef);
  if (!match) return undefined;
  const [, method, column, operatorClass, withClause = ''] = match as unknown as [string, string, string, string, string | undefined];
  const settings = Object.fromEntries(
    withClause
      .split(', ')
      .filter(Boolean)
      .map((pair) => pair.replace(/'/g, '').split('=') as [string, string]),
  );
  return { method, column: column.replace(/^"(.*)"$/, '$1').replace(/""/g, '"'), operatorClass, settings };
}

/**
 * The metric an operator class serves (`vector_cosine_ops` -> `cosine`).
 *
 * @example
 * metricOfOperatorClass('vector_ip_ops'); // 'inner_product'
 */
export function metricOfOperatorClass(operatorClass: string): VectorMetric | undefined {
  return (Object.keys(OPERATOR_CLASSES) as VectorMetric[]).find((metric) => OPERATOR_CLASSES[metric] === operatorClass);
}

function qualifiedIndexName(index: VectorIndexDefinition, escape: EscapeIdentifier): string {
  const { schema } = tableParts(index.table);
  return schema === undefined ? escape(index.name) : `${escape(schema)}.${escape(index.name)}`;
}
