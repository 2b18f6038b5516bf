import { VectorConfigurationError } from '../../errors';
import {
  escapeTable,
  INDEX_STORAGE_TYPES,
  indexOrderMetric,
  tableParts,
  type EscapeIdentifier,
  type TablePartition,
  type VectorElementType,
  type VectorIndexDefinition,
  type VectorIndexStorage,
  type VectorMetric,
} from '../../vocabulary';
import type { ColumnDimensionChange, IndexMeaning, VectorDdl } from '../dialect';

/** pgvector's type per element type: the operator class prefix. */
const TYPE_NAMES: Record<VectorElementType, string> = { float32: 'vector', float16: 'halfvec', int8: 'int8', bit: 'bit', sparse: 'sparsevec' };
const METRIC_SUFFIXES: Record<VectorMetric, string> = { l2: 'l2', cosine: 'cosine', inner_product: 'ip', l1: 'l1', hamming: 'hamming', jaccard: 'jaccard' };
/**
 * What an index of each storage option holds, as `pg_indexes.indexdef` writes it back: the column
 * (or a function of it) cast to a sized type. `binary` is pgvector's `binary_quantize` (one bit a
 * dimension: 1 where the element is positive).
 */
const STORAGE_EXPRESSIONS: Partial<Record<VectorIndexStorage, { readonly inner: (column: string) => string; readonly cast: string; readonly parseInner: RegExp }>> = {
  halfvec: { inner: (column) => column, cast: 'halfvec', parseInner: /^(.*)$/ },
  binary: { inner: (column) => `binary_quantize(${column})`, cast: 'bit', parseInner: /^binary_quantize\((.*)\)$/ },
};

/**
 * The operator class of an index: pgvector's type the index holds, then the metric
 * (`halfvec_cosine_ops`, `bit_hamming_ops`, `sparsevec_l2_ops`).
 *
 * @example
 * operatorClass({ elementType: 'float32', storage: 'halfvec', metric: 'cosine' }); // 'halfvec_cosine_ops'
 * operatorClass({ elementType: 'float32', storage: 'binary', metric: 'cosine' });  // 'bit_hamming_ops'
 */
export function operatorClass(index: Pick<VectorIndexDefinition, 'elementType' | 'storage' | 'metric'>): string {
  const type = index.storage ? INDEX_STORAGE_TYPES[index.storage] : index.elementType;
  return `${TYPE_NAMES[type]}_${METRIC_SUFFIXES[indexOrderMetric(index)]}_ops`;
}

/** What the index is on: the column, or with `storage` the column cast, as `pg_indexes.indexdef` writes it back. */
function indexedExpression(index: VectorIndexDefinition, escape: EscapeIdentifier): string {
  if (!index.storage) return escape(index.column);
  if (index.dimensions === undefined) {
    throw new VectorConfigurationError(`A storage: '${index.storage}' index on ${index.column} needs the column's dimensions; pass dimensions: N (the @VectorColumn size).`);
  }
  const expression = STORAGE_EXPRESSIONS[index.storage];
  // The capabilities list only the storage options that have an expression here.
  if (!expression) throw new Error(`Internal error: PostgreSQL has no index expression for storage '${index.storage}'.`);
  const { inner, cast } = expression;
  return `((${inner(escape(index.column))})::${cast}(${index.dimensions}))`;
}

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
  extensionCheck: {
    sql: `SELECT 'vector'::regtype AS type`,
    advice:
      'run CREATE EXTENSION vector in this database as a role allowed to (e.g. a superuser), or createVectorExtension(queryRunner) in a migration, after installing pgvector on the server (e.g. apt install postgresql-17-pgvector)',
  },
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
  partitions: {
    add(partition, escape) {
      const parent = escapeTable(partition.table, escape);
      const { schema } = tableParts(partition.table);
      const child = escapeTable(schema ? `${schema}.${partition.partition}` : partition.partition, escape);
      return [`CREATE TABLE ${child} PARTITION OF ${parent} ${partitionBound(partition)}`];
    },
    drop(partition, escape) {
      const { schema } = tableParts(partition.table);
      return [`DROP TABLE ${escapeTable(schema ? `${schema}.${partition.partition}` : partition.partition, escape)}`];
    },
  },
  existingIndex: {
    // pg_indexes.indexdef is the statement that recreates the index exactly.
    recreate: (existing) => [existing.definition],
  },
  alterColumnDimensions(change, escape) {
    const table = escapeTable(change.table, escape);
    const column = escape(change.column);
    const typeName = TYPE_NAMES[change.elementType ?? 'float32'];
    const type = change.to === undefined ? typeName : `${typeName}(${change.to})`;
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
 * What a `pg_indexes.indexdef` means, pgvector's defaults filled in, or undefined when it is not an
 * HNSW or IVFFlat index on one column (or on `(column)::halfvec(N)`, `storage: 'halfvec'`, or
 * `(binary_quantize(column))::bit(N)`, `storage: 'binary'`, whose metric is then the Hamming
 * distance it orders by) with a pgvector operator class (not another expression, nor a partial index).
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
  const elementType = elementTypeOfOperatorClass(parsed.operatorClass);
  if (!elementType || (parsed.storage && elementType !== INDEX_STORAGE_TYPES[parsed.storage])) return undefined;
  return {
    kind: parsed.method,
    column: parsed.column,
    metric,
    settings,
    ...(parsed.storage ? { storage: parsed.storage } : { elementType }),
  };
}

/** pgvector's dimension count of a value of each type: `vector_dims` (vector, halfvec), `length` (bit), the `/N` of sparsevec's text. */
const DIMENSIONS_OF: Record<VectorElementType, (column: string) => string> = {
  float32: (column) => `vector_dims(${column})`,
  float16: (column) => `vector_dims(${column})`,
  int8: (column) => `vector_dims(${column})`,
  bit: (column) => `length(${column})`,
  sparse: (column) => `split_part(${column}::text, '/', 2)::int`,
};

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
    `SELECT count(*), string_agg(k, ', ') FILTER (WHERE r <= 10) INTO n, keys FROM (SELECT concat(${keys}) AS k, row_number() OVER () AS r FROM ${table} WHERE ${column} IS NOT NULL AND ${DIMENSIONS_OF[change.elementType ?? 'float32'](column)} <> ${change.to}) s; ` +
    `IF n > 0 THEN RAISE EXCEPTION '% has % rows whose vectors do not have ${change.to} dimensions (${keyName} %); re-embed them, delete them or set them to NULL, then run this again.', ${subject}, n, keys || CASE WHEN n > 10 THEN ', ...' ELSE '' END; END IF; END $tv$`
  );
}

/**
 * The method, indexed column, operator class and WITH settings of a `pg_indexes.indexdef`, or
 * undefined when it is not a single-column index with an operator class. An index on
 * `((column)::halfvec(N))` has `storage: 'halfvec'` and that column. PostgreSQL writes no operator
 * class when it is the type's default, as pgvector's l2 class is for IVFFlat: such an index reads as
 * `vector_l2_ops` (`halfvec_l2_ops` on a halfvec cast). (A `bit` column's IVFFlat default, Hamming,
 * cannot be told from the definition alone and reads as l2 too.)
 *
 * @example
 * parseIndexdef("CREATE INDEX i ON public.t USING hnsw (e vector_l2_ops) WITH (m='8')");
 * // { method: 'hnsw', column: 'e', rawColumn: 'e', storage: undefined, operatorClass: 'vector_l2_ops', settings: { m: '8' } }
 * parseIndexdef("CREATE INDEX i ON public.t USING ivfflat (e) WITH (lists='100')")?.operatorClass; // 'vector_l2_ops'
 */
export function parseIndexdef(
  indexdef: string,
): { method: string; column: string; rawColumn: string; storage: VectorIndexStorage | undefined; operatorClass: string; settings: Record<string, string> } | undefined {
  const match = / USING (\w+) \((.*) (\w+)\)(?: WITH \((.*)\))?$/.exec(indexdef) ?? / USING (ivfflat) \(([^ ]*|.*\))\)()(?: WITH \((.*)\))?$/.exec(indexdef);
  if (!match) return undefined;
  const [, method, expression, writtenClass, withClause = ''] = match as unknown as [string, string, string, string, string | undefined];
  const cast = /^\(\((.*)\)::(\w+)\(\d+\)\)$/.exec(expression);
  const storage = cast
    ? (Object.keys(STORAGE_EXPRESSIONS) as VectorIndexStorage[]).find((option) => STORAGE_EXPRESSIONS[option]!.cast === cast[2] && STORAGE_EXPRESSIONS[option]!.parseInner.test(cast[1]!))
    : undefined;
  // pg_get_indexdef leaves out a default operator class: pgvector's IVFFlat default is l2 (of the indexed type).
  const operatorClass = writtenClass || `${cast?.[2] ?? 'vector'}_l2_ops`;
  const column = storage ? STORAGE_EXPRESSIONS[storage]!.parseInner.exec(cast![1]!)![1]! : expression;
  const settings = Object.fromEntries(
    withClause
      .split(', ')
      .filter(Boolean)
      .map((pair) => pair.replace(/'/g, '').split('=') as [string, string]),
  );
  return { method, column: column.replace(/^"(.*)"$/, '$1').replace(/""/g, '"'), rawColumn: column, storage, operatorClass, settings };
}

const OPERATOR_CLASS = /^(vector|halfvec|bit|sparsevec)_(\w+)_ops$/;

/**
 * The metric an operator class serves (`vector_cosine_ops` -> `cosine`, `bit_hamming_ops` -> `hamming`).
 *
 * @example
 * metricOfOperatorClass('halfvec_ip_ops'); // 'inner_product'
 */
export function metricOfOperatorClass(operatorClass: string): VectorMetric | undefined {
  const match = OPERATOR_CLASS.exec(operatorClass);
  return match ? (Object.keys(METRIC_SUFFIXES) as VectorMetric[]).find((metric) => METRIC_SUFFIXES[metric] === match[2]) : undefined;
}

/**
 * The element type an operator class indexes (`halfvec_cosine_ops` -> `float16`).
 *
 * @example
 * elementTypeOfOperatorClass('sparsevec_l2_ops'); // 'sparse'
 */
export function elementTypeOfOperatorClass(operatorClass: string): VectorElementType | undefined {
  const match = OPERATOR_CLASS.exec(operatorClass);
  return match ? (Object.keys(TYPE_NAMES) as VectorElementType[]).find((type) => TYPE_NAMES[type] === match[1]) : undefined;
}

function qualifiedIndexName(index: VectorIndexDefinition, escape: EscapeIdentifier): string {
  const { schema } = tableParts(index.table);
  return schema === undefined ? escape(index.name) : `${escape(schema)}.${escape(index.name)}`;
}

/** `FOR VALUES IN (...)`, `FOR VALUES WITH (MODULUS m, REMAINDER r)` or `DEFAULT`; values already checked (integers, strings). */
function partitionBound(partition: TablePartition): string {
  if (partition.default) return 'DEFAULT';
  if (partition.values) {
    const literal = (value: number | string) => (typeof value === 'number' ? String(value) : `'${value.replace(/'/g, "''")}'`);
    return `FOR VALUES IN (${partition.values.map(literal).join(', ')})`;
  }
  return `FOR VALUES WITH (MODULUS ${partition.modulus}, REMAINDER ${partition.remainder})`;
}
