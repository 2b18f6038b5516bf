import { VectorConfigurationError } from '../../errors';
import {
  escapeTable,
  INDEX_STORAGE_TYPES,
  isVectorMetric,
  tableParts,
  type EscapeIdentifier,
  type VectorElementType,
  type VectorIndexDefinition,
  type VectorIndexStorage,
  type VectorMetric,
} from '../../vocabulary';
import type { VectorDdl } from '../dialect';

/** pgvector's type per element type: the operator class prefix. */
const TYPE_NAMES: Record<VectorElementType, string> = { float32: 'vector', float16: 'halfvec', int8: 'int8', bit: 'bit', sparse: 'sparsevec' };
const METRIC_SUFFIXES: Record<VectorMetric, string> = { l2: 'l2', cosine: 'cosine', inner_product: 'ip', l1: 'l1', hamming: 'hamming', jaccard: 'jaccard' };

/**
 * The operator class of an index: pgvector's type the index holds, then the metric
 * (`halfvec_cosine_ops`, `bit_hamming_ops`, `sparsevec_l2_ops`).
 *
 * @example
 * operatorClass({ elementType: 'float32', storage: 'halfvec', metric: 'cosine' }); // 'halfvec_cosine_ops'
 */
export function operatorClass(index: Pick<VectorIndexDefinition, 'elementType' | 'storage' | 'metric'>): string {
  const type = index.storage ? INDEX_STORAGE_TYPES[index.storage] : index.elementType;
  return `${TYPE_NAMES[type]}_${METRIC_SUFFIXES[index.metric]}_ops`;
}

/** What the index is on: the column, or with `storage` the column cast as `pg_indexes.indexdef` writes it back. */
function indexedExpression(index: VectorIndexDefinition, escape: EscapeIdentifier): string {
  if (!index.storage) return escape(index.column);
  if (index.dimensions === undefined) {
    throw new VectorConfigurationError(`A storage: '${index.storage}' index on ${index.column} needs the column's dimensions; pass dimensions: N (the @VectorColumn size).`);
  }
  return `((${escape(index.column)})::${STORAGE_CASTS[index.storage]}(${index.dimensions ?? ''}))`;
}

const STORAGE_CASTS: Record<VectorIndexStorage, string> = { halfvec: 'halfvec' };

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
      `CREATE INDEX${concurrently} ${escape(index.name)} ON ${escapeTable(index.table, escape)} USING ${index.kind} (${indexedExpression(index, escape)} ${operatorClass(index)}) WITH (${withClause})`,
    ];
  },
  dropIndex(index, escape) {
    const concurrently = index.settings.concurrently ? ' CONCURRENTLY' : '';
    return [`DROP INDEX${concurrently} ${qualifiedIndexName(index, escape)}`];
  },
  existingIndex: {
    matches: (row, index, escape) => sameIndexDefinition(String(row.indexdef), index, escape),
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
export function sameIndexDefinition(indexdef: string, index: VectorIndexDefinition, escape: EscapeIdentifier = (name) => `"${name}"`): boolean {
  const parsed = parseIndexdef(indexdef);
  if (!parsed) return false;
  // PostgreSQL writes the column unquoted where it can; compare the expression with quotes dropped.
  const unquoted = (text: string) => text.replace(/"/g, '');
  if (parsed.storage !== index.storage || (index.storage && unquoted(parsed.expression) !== unquoted(indexedExpression(index, escape)))) return false;
  const expected: Record<string, string> =
    index.kind === 'hnsw' ? { m: String(index.settings.m), ef_construction: String(index.settings.efConstruction) } : { lists: String(index.settings.lists) };
  return (
    parsed.method === index.kind &&
    parsed.operatorClass === operatorClass(index) &&
    Object.keys(parsed.settings).length === Object.keys(expected).length &&
    Object.entries(expected).every(([key, value]) => parsed.settings[key] === value)
  );
}

/**
 * The method, indexed column, operator class and WITH settings of a `pg_indexes.indexdef`, or
 * undefined when it is not a single-column index with an operator class. An index on
 * `((column)::halfvec(N))` has `storage: 'halfvec'`.
 *
 * @example
 * parseIndexdef("CREATE INDEX i ON public.t USING hnsw (e vector_l2_ops) WITH (m='8')");
 * // { method: 'hnsw', column: 'e', expression: 'e', storage: undefined, operatorClass: 'vector_l2_ops', settings: { m: '8' } }
 */
export function parseIndexdef(
  indexdef: string,
): { method: string; column: string; expression: string; storage: VectorIndexStorage | undefined; operatorClass: string; settings: Record<string, string> } | undefined {
  const match = / USING (\w+) \((.*) (\w+)\)(?: WITH \((.*)\))?$/.exec(indexdef);
  if (!match) return undefined;
  const [, method, expression, operatorClass, withClause = ''] = match as unknown as [string, string, string, string, string | undefined];
  const cast = /^\(\((.*)\)::(\w+)\(\d+\)\)$/.exec(expression);
  const storage = cast ? (Object.keys(STORAGE_CASTS) as VectorIndexStorage[]).find((option) => STORAGE_CASTS[option] === cast[2]) : undefined;
  const column = storage ? cast![1]! : expression;
  const settings = Object.fromEntries(
    withClause
      .split(', ')
      .filter(Boolean)
      .map((pair) => pair.replace(/'/g, '').split('=') as [string, string]),
  );
  return { method, column: column.replace(/^"(.*)"$/, '$1').replace(/""/g, '"'), expression, storage, operatorClass, settings };
}

/**
 * The metric an operator class serves (`vector_cosine_ops` -> `cosine`, `bit_hamming_ops` -> `hamming`).
 *
 * @example
 * metricOfOperatorClass('halfvec_ip_ops'); // 'inner_product'
 */
export function metricOfOperatorClass(operatorClass: string): VectorMetric | undefined {
  const match = /^(vector|halfvec|bit|sparsevec)_(\w+)_ops$/.exec(operatorClass);
  const metric = match ? (Object.keys(METRIC_SUFFIXES) as VectorMetric[]).find((candidate) => METRIC_SUFFIXES[candidate] === match[2]) : undefined;
  return isVectorMetric(metric) ? metric : undefined;
}

function qualifiedIndexName(index: VectorIndexDefinition, escape: EscapeIdentifier): string {
  const { schema } = tableParts(index.table);
  return schema === undefined ? escape(index.name) : `${escape(schema)}.${escape(index.name)}`;
}
