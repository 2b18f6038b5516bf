import { VectorConfigurationError } from '../../errors';
import { escapeTable, tableParts, type EscapeIdentifier, type VectorIndexDefinition, type VectorMetric } from '../../vocabulary';
import type { ColumnDimensionChange, IndexMeaning, VectorDdl } from '../dialect';

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
    // pg_indexes.indexdef is the statement that recreates the index exactly.
    recreate: (existing) => [existing.definition],
  },
  alterColumnDimensions(change, escape) {
    const table = escapeTable(change.table, escape);
    const column = escape(change.column);
    const type = change.to === undefined ? 'vector' : `vector(${change.to})`;
    const alter = `ALTER TABLE ${table} ALTER COLUMN ${column} TYPE ${type}`;
    if (change.to === undefined) return [alter];
    // N -> M: the old vectors cannot become M-dimensional; a nullable column is cleared for re-embedding.
    if (change.from !== undefined && change.nullable) return [`${alter} USING NULL`];
    return [dimensionGuard(change, escape), alter];
  },
};

/**
 * The pgvector defaults of an index's WITH settings, by `@VectorIndex` option name: what an index
 * created without them was built with.
 *
 * @example
 * PGVECTOR_INDEX_DEFAULTS.hnsw; // { m: 16, efConstruction: 64 }
 */
export const PGVECTOR_INDEX_DEFAULTS: Readonly<Record<'hnsw' | 'ivfflat', Readonly<Record<string, number>>>> = {
  hnsw: { m: 16, efConstruction: 64 },
  ivfflat: { lists: 100 },
};

/** pgvector's WITH names of the settings (`ef_construction`) by `@VectorIndex` option name. */
const WITH_NAMES: Readonly<Record<string, string>> = { m: 'm', efConstruction: 'ef_construction', lists: 'lists' };

/**
 * What a `pg_indexes.indexdef` means, pgvector's defaults filled in, or undefined when it is not a
 * plain HNSW or IVFFlat index on one column with a vector operator class (an expression such as
 * `binary_quantize(e)`, a partial index, another type's operator class).
 *
 * @example
 * postgresIndexMeaning("CREATE INDEX i ON public.t USING hnsw (embedding vector_l2_ops)");
 * // { kind: 'hnsw', column: 'embedding', metric: 'l2', settings: { m: 16, efConstruction: 64 } }
 */
export function postgresIndexMeaning(indexdef: string): IndexMeaning | undefined {
  const parsed = parseIndexdef(indexdef);
  if (!parsed || (parsed.method !== 'hnsw' && parsed.method !== 'ivfflat')) return undefined;
  const metric = metricOfOperatorClass(parsed.operatorClass);
  if (!metric || !/^(?:[a-z_][a-z0-9_$]*|"(?:[^"]|"")+")$/.test(parsed.rawColumn)) return undefined;
  const defaults = PGVECTOR_INDEX_DEFAULTS[parsed.method];
  const settings: Record<string, number> = {};
  for (const [key, value] of Object.entries(defaults)) settings[key] = Number(parsed.settings[WITH_NAMES[key]!] ?? value);
  const known = Object.keys(defaults).map((key) => WITH_NAMES[key]);
  // A WITH setting the library has no option for keeps its own name.
  for (const [key, value] of Object.entries(parsed.settings)) if (!known.includes(key)) (settings as Record<string, unknown>)[key] = value;
  return { kind: parsed.method, column: parsed.column, metric, settings };
}

/** A DO block that fails, naming up to ten rows by primary key, when a vector of the column does not have `change.to` dimensions. */
function dimensionGuard(change: ColumnDimensionChange, escape: EscapeIdentifier): string {
  const table = escapeTable(change.table, escape);
  const column = escape(change.column);
  const keys = change.primaryColumns.length ? change.primaryColumns.map((c) => `${escape(c)}::text`).join(`, '/', `) : 'ctid::text';
  const keyName = (change.primaryColumns.length ? change.primaryColumns.join('/') : 'ctid').replace(/'/g, "''").replace(/%/g, '%%');
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const subject = literal(`${change.table}.${change.column}`);
  return (
    `DO $tv$ DECLARE n bigint; keys text; BEGIN ` +
    `SELECT count(*), string_agg(k, ', ') FILTER (WHERE r <= 10) INTO n, keys FROM (SELECT concat(${keys}) AS k, row_number() OVER () AS r FROM ${table} WHERE ${column} IS NOT NULL AND vector_dims(${column}) <> ${change.to}) s; ` +
    `IF n > 0 THEN RAISE EXCEPTION '% has % rows whose vectors do not have ${change.to} dimensions (${keyName} %); re-embed them, delete them or set them to NULL, then run this again.', ${subject}, n, keys || CASE WHEN n > 10 THEN ', ...' ELSE '' END; END IF; END $tv$`
  );
}

/**
 * The method, operator class and WITH settings of a `pg_indexes.indexdef`, or undefined when it is
 * not a single-column index with an operator class.
 *
 * @example
 * parseIndexdef("CREATE INDEX i ON public.t USING hnsw (e vector_l2_ops) WITH (m='8')");
 * // { method: 'hnsw', column: 'e', rawColumn: 'e', operatorClass: 'vector_l2_ops', settings: { m: '8' } }
 */
export function parseIndexdef(indexdef: string): { method: string; column: string; rawColumn: string; operatorClass: string; settings: Record<string, string> } | undefined {
  const match = / USING (\w+) \((.*) (\w+)\)(?: WITH \((.*)\))?$/.exec(indexdef);
  if (!match) return undefined;
  const [, method, column, operatorClass, withClause = ''] = match as unknown as [string, string, string, string, string | undefined];
  const settings = Object.fromEntries(
    withClause
      .split(', ')
      .filter(Boolean)
      .map((pair) => pair.replace(/'/g, '').split('=') as [string, string]),
  );
  return { method, column: column.replace(/^"(.*)"$/, '$1').replace(/""/g, '"'), rawColumn: column, operatorClass, settings };
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
