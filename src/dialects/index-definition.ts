import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import {
  isPlainIdentifier,
  isVectorIndexKind,
  quotedList,
  type IndexCapabilities,
  type FilterColumnRules,
  type IndexKindCapabilities,
  type TuningRule,
  type VectorIndexDefinition,
  type VectorIndexFilterColumn,
  type VectorIndexKind,
  type VectorIndexRequest,
  type VectorMetric,
  type VectorElementType,
  type VectorIndexStorage,
  INDEX_STORAGE_TYPES,
  INDEX_STORAGE_METRICS,
  isVectorElementType,
  VECTOR_ELEMENT_TYPES,
} from '../vocabulary';
import type { VectorDdl, VectorDialect } from './dialect';
import { indexTypeSupport } from './element-types';
import { assertMetric } from './metric-check';
import { indexKindsWithFilterColumns } from './resolve';

const REQUEST_KEYS = ['table', 'column', 'metric', 'kind', 'name', 'dimensions', 'elementType', 'storage', 'filterColumns', 'partitionKey'];

/**
 * The index capabilities and DDL of a dialect, or an error saying the backend has no vector index.
 *
 * @example
 * indexSupport(postgresDialect).capabilities.defaultKind; // 'hnsw'
 */
export function indexSupport(dialect: VectorDialect): { capabilities: IndexCapabilities; ddl: VectorDdl } {
  const capabilities = dialect.capabilities.indexes;
  if (!capabilities || !dialect.ddl) {
    throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} has no vector index in typeorm-vector; leave the column unindexed (exact search).`);
  }
  return { capabilities, ddl: dialect.ddl };
}

/**
 * Validates an index request for `dialect` and fills in every default. Pure: reads no database.
 * Generic rules come from the dialect's capabilities (kinds, metrics, tuning ranges); rules of one
 * backend from its `ddl.checkDefinition`.
 *
 * @example
 * resolveIndexDefinition(postgresDialect, { table: 'document', column: 'embedding', metric: 'cosine' });
 * // { kind: 'hnsw', name: 'document_embedding_hnsw_cosine', settings: { m: 16, efConstruction: 64, concurrently: false }, ... }
 */
export function resolveIndexDefinition(dialect: VectorDialect, request: VectorIndexRequest): VectorIndexDefinition {
  if (typeof request !== 'object' || request === null) {
    throw new VectorConfigurationError(`Vector index options ${String(request)} are not an object; pass e.g. { table: 'document', column: 'embedding', metric: 'cosine' }.`);
  }
  const { capabilities: support, ddl } = indexSupport(dialect);
  const backend = dialect.capabilities.name;
  const table = checkTablePath(request.table, support.maxIdentifierLength);
  const column = checkColumnName(request.column, support.maxIdentifierLength);
  const { elementType = 'float32', storage } = request;
  if (!isVectorElementType(elementType)) {
    throw new VectorConfigurationError(`Vector index elementType ${JSON.stringify(elementType)} is not an element type; use one of ${quotedList(VECTOR_ELEMENT_TYPES)}.`);
  }
  const indexedType = checkStorage(dialect, support, elementType, storage);
  // A storage whose index orders by its own metric (binary: Hamming) serves the column's metrics by re-ranking.
  const reranked = storage === undefined ? undefined : INDEX_STORAGE_METRICS[storage as VectorIndexStorage];
  assertMetric(dialect, request.metric, reranked ? elementType : indexedType);
  const metric = request.metric;
  const indexMetric = reranked ?? metric;
  const kind = request.kind ?? support.defaultKind;
  const kindSupport = support.kinds[kind];
  if (!kindSupport) {
    const what = isVectorIndexKind(kind) ? `${backend} has no '${kind}' vector index` : `Unknown vector index kind ${JSON.stringify(kind)}`;
    throw new UnsupportedVectorFeatureError(`${what}; use kind ${quotedList(Object.keys(support.kinds))}.`);
  }
  const typeSupport = indexTypeSupport(dialect, kind, indexedType);
  if (!typeSupport) {
    const kinds = Object.keys(support.kinds).filter((other) => indexTypeSupport(dialect, other as VectorIndexKind, indexedType));
    throw new UnsupportedVectorFeatureError(`A ${backend} '${kind}' index cannot index ${indexedType} vectors; ${kinds.length ? `use kind ${quotedList(kinds)}` : 'leave the column unindexed (exact search)'}.`);
  }
  if (!typeSupport.metrics.includes(indexMetric)) {
    throw new UnsupportedVectorFeatureError(
      `A ${backend} '${kind}' index${indexedType === 'float32' ? '' : ` on ${indexedType} vectors`} cannot serve the '${metric}' metric; use metric ${quotedList(typeSupport.metrics)}${indexedType === 'float32' ? otherKindsFor(support, metric, kind) : ''}.`,
    );
  }
  if (kindSupport.requiresPlainColumnName && !isPlainIdentifier(column)) {
    throw new UnsupportedVectorFeatureError(`A ${backend} '${kind}' index needs a column name of letters, digits and underscores, not ${JSON.stringify(column)}; rename the column (e.g. @VectorColumn(N, { name: 'embedding' })).`);
  }
  const tuningNames = Object.keys(kindSupport.tuning);
  for (const key of Object.keys(request)) {
    if (!REQUEST_KEYS.includes(key) && !tuningNames.includes(key)) {
      throw new VectorConfigurationError(`Unknown option '${key}' for a ${backend} '${kind}' index; use ${[...REQUEST_KEYS, ...tuningNames].join(', ')}.`);
    }
  }
  const dimensions = request.dimensions;
  if (dimensions !== undefined) checkIndexDimensions(dialect, kind, dimensions, `${table}.${column}`, elementType, storage);
  const settings: Record<string, number | string | boolean> = {};
  for (const [key, rule] of Object.entries(kindSupport.tuning)) {
    settings[key] = checkTuning(key, (request as unknown as Record<string, unknown>)[key], rule, kind);
  }
  const name = request.name ?? defaultIndexName(table, column, kind, metric);
  if (!isPlainIdentifier(name) || name.length > support.maxIdentifierLength) {
    throw new VectorConfigurationError(
      `Vector index name ${JSON.stringify(name)} is not a plain identifier of at most ${support.maxIdentifierLength} characters; pass name: with letters, digits and underscores, e.g. 'document_embedding_idx'.`,
    );
  }
  const { filterColumns, partitionKey } = checkFilterColumns(request, column, kindSupport, `${backend} '${kind}' index`, support.maxIdentifierLength);
  const definition: VectorIndexDefinition = { table, column, metric, kind, name, dimensions, elementType, storage, settings, filterColumns, partitionKey };
  ddl.checkDefinition?.(definition);
  return definition;
}

/**
 * The table and column of an index request, validated as `resolveIndexDefinition` validates them:
 * safe to put in a catalog query before the rest of the request can be checked.
 *
 * @example
 * checkIndexTarget(postgresDialect, { table: 'public.doc', column: 'embedding' }); // { table: 'public.doc', column: 'embedding' }
 */
export function checkIndexTarget(dialect: VectorDialect, request: Pick<VectorIndexRequest, 'table' | 'column'>): { table: string; column: string } {
  if (typeof request !== 'object' || request === null) {
    throw new VectorConfigurationError(`Vector index options ${String(request)} are not an object; pass e.g. { table: 'document', column: 'embedding', metric: 'cosine' }.`);
  }
  const { capabilities: support } = indexSupport(dialect);
  return { table: checkTablePath(request.table, support.maxIdentifierLength), column: checkColumnName(request.column, support.maxIdentifierLength) };
}

/**
 * Checks that `dimensions` fit a `kind` index on `dialect` of a column of `elementType`, stored as
 * `storage` says. Past the float32 limit, the error names the storage options that index more.
 *
 * @example
 * checkIndexDimensions(postgresDialect, 'hnsw', 3072, 'document.embedding'); // throws: pgvector indexes at most 2000; suggests storage: 'halfvec'
 */
export function checkIndexDimensions(
  dialect: VectorDialect,
  kind: VectorIndexKind,
  dimensions: unknown,
  subject: string,
  elementType: VectorElementType = 'float32',
  storage?: VectorIndexStorage,
): void {
  const indexedType = storage ? INDEX_STORAGE_TYPES[storage] : elementType;
  const max = indexTypeSupport(dialect, kind, indexedType)?.maxDimensions ?? dialect.capabilities.maxDimensions;
  if (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions < 1) {
    throw new VectorConfigurationError(`Vector index dimensions ${String(dimensions)} for ${subject} is not a positive integer; pass the column's dimension count, e.g. dimensions: 384.`);
  }
  if (dimensions > max) {
    const larger = elementType === 'float32' && !storage ? (dialect.capabilities.indexes?.storage ?? []).map((option) => ({ option, max: indexTypeSupport(dialect, kind, INDEX_STORAGE_TYPES[option])?.maxDimensions ?? 0 })).filter((s) => s.max >= dimensions) : [];
    const fix = larger.length
      ? `index it as ${larger.map((s) => `storage: '${s.option}' (up to ${s.max})`).join(' or ')}, use a smaller embedding, or leave the column unindexed for exact search`
      : 'use a smaller embedding (or truncate it) or leave the column unindexed for exact search';
    throw new UnsupportedVectorFeatureError(
      `A ${dialect.capabilities.name} '${kind}' index${indexedType === 'float32' ? '' : ` of ${indexedType} vectors`} takes at most ${max} dimensions but ${subject} has ${dimensions}; ${fix}.`,
    );
  }
}

/** The element type an index holds: the storage's, which needs a float32 column and a backend that has it, else the column's. */
function checkStorage(dialect: VectorDialect, support: IndexCapabilities, elementType: VectorElementType, storage: unknown): VectorElementType {
  if (storage === undefined) return elementType;
  const options = support.storage ?? [];
  if (typeof storage !== 'string' || !(options as readonly string[]).includes(storage)) {
    throw new UnsupportedVectorFeatureError(
      `Vector index storage ${JSON.stringify(storage)} is not available on ${dialect.capabilities.name}; ${options.length ? `use storage ${quotedList(options)} or leave it out` : 'leave storage out'}.`,
    );
  }
  if (elementType !== 'float32') {
    throw new VectorConfigurationError(`Vector index storage '${storage}' converts float32 columns, but the column holds ${elementType} vectors; leave storage out.`);
  }
  return INDEX_STORAGE_TYPES[storage as VectorIndexStorage];
}

/**
 * The default index name, `<table>_<column>_<kind>_<metric>` (without the schema).
 *
 * @example
 * defaultIndexName('public.document', 'embedding', 'hnsw', 'cosine'); // 'document_embedding_hnsw_cosine'
 */
export function defaultIndexName(table: string, column: string, kind: VectorIndexKind, metric: VectorMetric): string {
  const bareTable = table.split('.').pop()!;
  return `${bareTable}_${column}_${kind}_${metric}`.replace(/[^A-Za-z0-9_]/g, '_');
}

function checkTablePath(table: unknown, maxLength: number): string {
  if (typeof table === 'string') {
    const parts = table.split('.');
    if (parts.length <= 2 && parts.every((part) => quotableIdentifier(part, maxLength))) return table;
  }
  throw new VectorConfigurationError(
    `Table ${JSON.stringify(table)} is not a table name (optionally 'schema.table') of at most ${maxLength} characters per part; pass e.g. table: 'document'.`,
  );
}

function checkColumnName(value: unknown, maxLength: number): string {
  if (typeof value === 'string' && quotableIdentifier(value, maxLength)) return value;
  throw new VectorConfigurationError(`Column ${JSON.stringify(value)} is not an identifier of 1 to ${maxLength} characters; pass the database column name, e.g. column: 'embedding'.`);
}

/** Any name the driver's escape can quote: control characters and dots are refused outright. */
function quotableIdentifier(value: string, maxLength: number): boolean {
  return value.length > 0 && value.length <= maxLength && !/[\u0000-\u001f.]/.test(value);
}

/**
 * The filter columns of a request, each with the index's type for it, and its partition key; every
 * rule of the kind's `filterColumns` (count, types, partition key types) checked.
 */
function checkFilterColumns(
  request: VectorIndexRequest,
  vectorColumn: string,
  kindSupport: IndexKindCapabilities,
  /** `SQLite (sqlite-vec) 'vec0' index`, for messages. */
  index: string,
  maxLength: number,
): Pick<VectorIndexDefinition, 'filterColumns' | 'partitionKey'> {
  const { filterColumns: requested, partitionKey } = request;
  if (requested === undefined && partitionKey === undefined) return { filterColumns: [], partitionKey: undefined };
  const rules = kindSupport.filterColumns;
  if (!rules) {
    const option = requested === undefined ? 'partitionKey' : 'filterColumns';
    const holders = indexKindsWithFilterColumns().map(({ backend, kind }) => `a ${backend} '${kind}' index`);
    throw new VectorConfigurationError(`A ${index} cannot hold filter columns (only ${holders.join(' or ')} can); remove ${option}, findNearest's filter still applies.`);
  }
  if (!Array.isArray(requested)) {
    throw new VectorConfigurationError(`filterColumns ${JSON.stringify(requested)} is not an array; pass e.g. filterColumns: [{ column: 'category', type: 'varchar' }].`);
  }
  const seen = new Set<string>();
  const filterColumns = (requested as readonly unknown[]).map((entry): VectorIndexFilterColumn => {
    const { column, type } = (typeof entry === 'object' && entry !== null ? entry : {}) as Partial<VectorIndexFilterColumn>;
    const unknownKey = typeof entry === 'object' && entry !== null ? Object.keys(entry).find((key) => key !== 'column' && key !== 'type') : undefined;
    if (unknownKey !== undefined) {
      throw new VectorConfigurationError(`Filter column ${JSON.stringify(entry)} has no option '${unknownKey}'; use column, type.`);
    }
    if (typeof column !== 'string' || !quotableIdentifier(column, maxLength) || typeof type !== 'string') {
      throw new VectorConfigurationError(`Filter column ${JSON.stringify(entry)} is not { column, type }; pass e.g. { column: 'category', type: 'varchar' }.`);
    }
    const key = column.toLowerCase();
    if (key === vectorColumn.toLowerCase()) {
      throw new VectorConfigurationError(`Filter column '${column}' is the indexed vector column; list other columns in filterColumns.`);
    }
    if (seen.has(key)) throw new VectorConfigurationError(`Filter column '${column}' is listed twice; list each column once in filterColumns.`);
    seen.add(key);
    return { column, type: filterColumnType(rules, column, type, index) };
  });
  const partitioned = partitionKey === undefined ? undefined : filterColumns.find((f) => f.column === partitionKey);
  if (partitionKey !== undefined && !partitioned) {
    throw new VectorConfigurationError(`partitionKey ${JSON.stringify(partitionKey)} is not one of filterColumns; add it to filterColumns.`);
  }
  if (partitioned && !rules.partitionKeyTypes.includes(partitioned.type)) {
    throw new UnsupportedVectorFeatureError(
      `partitionKey '${partitioned.column}' has type ${partitioned.type} but a ${index} partitions by ${quotedList(rules.partitionKeyTypes)} only; keep it in filterColumns without partitionKey.`,
    );
  }
  const metadataCount = filterColumns.length - (partitioned ? 1 : 0);
  if (metadataCount > rules.max) {
    throw new UnsupportedVectorFeatureError(`A ${index} holds at most ${rules.max} filter columns (the partition key not counted) but ${metadataCount} are listed; keep the ${rules.max} most selective.`);
  }
  return { filterColumns, partitionKey: partitioned?.column };
}

function filterColumnType(rules: FilterColumnRules, column: string, type: string, index: string): string {
  const mapped = rules.types[type.toLowerCase()];
  if (mapped !== undefined) return mapped;
  const stored = [...new Set(Object.values(rules.types))];
  const examples = stored.map((t) => Object.keys(rules.types).find((sqlType) => rules.types[sqlType] === t)!);
  throw new UnsupportedVectorFeatureError(
    `Filter column '${column}' has type ${JSON.stringify(type)}, which a ${index} cannot hold (it stores ${quotedList(stored)} values, from SQL types such as ${quotedList(examples)}); leave it out of filterColumns.`,
  );
}

function checkTuning(key: string, value: unknown, rule: TuningRule, kind: VectorIndexKind): number | string | boolean {
  if (value === undefined) return rule.default;
  switch (rule.type) {
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value) && value >= rule.min && value <= rule.max) return value;
      throw new VectorConfigurationError(`${key} ${JSON.stringify(value)} is not an integer from ${rule.min} to ${rule.max}; pass e.g. ${key}: ${rule.default} (the default).`);
    case 'boolean':
      if (typeof value === 'boolean') return value;
      throw new VectorConfigurationError(`${key} ${JSON.stringify(value)} is not a boolean; pass ${key}: true or false.`);
    case 'choice':
      if (typeof value === 'string' && rule.values.includes(value)) return value;
      throw new VectorConfigurationError(`${key} ${JSON.stringify(value)} is not valid for a '${kind}' index; use one of ${quotedList(rule.values)}.`);
  }
}

function otherKindsFor(support: IndexCapabilities, metric: VectorMetric, kind: VectorIndexKind): string {
  const others = Object.entries(support.kinds)
    .filter(([k, s]) => k !== kind && s.metrics.includes(metric))
    .map(([k]) => k);
  return others.length ? `, or kind ${quotedList(others)}` : '';
}
