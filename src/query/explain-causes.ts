import type { CatalogVectorIndex, VectorDialect } from '../dialects';
import type { VectorIndexKind, VectorMetric } from '../vocabulary';

/**
 * The sentences `explainNearest` warns with: one per cause, each naming the cause and its fix.
 * Pure functions of names and numbers; which apply is decided in explain-nearest.ts.
 */

const KIND_LABELS: Record<VectorIndexKind, string> = { hnsw: 'HNSW', ivfflat: 'IVFFlat', diskann: 'DiskANN', vec0: 'vec0', cspann: 'C-SPANN' };

const ORDER_HELPERS: Partial<Record<VectorMetric, string>> = { l2: 'orderByL2', cosine: 'orderByCosine', inner_product: 'orderByInnerProduct' };

/**
 * The searched column, named for messages.
 *
 * @example
 * const target: ExplainedColumn = { table: 'doc', column: 'embedding', subject: 'Doc.embedding', property: 'embedding', reference: 'd.embedding', dimensions: 384, declared: [] };
 */
export interface ExplainedColumn {
  /** `document.embedding` (table path and database column). */
  readonly table: string;
  readonly column: string;
  /** `Document.embedding` (entity and property). */
  readonly subject: string;
  /** The property path, as findNearest's `column` option takes it. */
  readonly property: string;
  /** `alias.property`, as the query-builder helpers take it. */
  readonly reference: string;
  readonly dimensions: number;
  /** Its `@VectorIndex`es. */
  readonly declared: ReadonlyArray<{ readonly name: string; readonly metric: VectorMetric }>;
}

/**
 * `the HNSW index doc_embedding_hnsw_l2`.
 *
 * @example
 * indexLabel({ name: 'doc_idx', kind: 'diskann', definition: '' }); // 'the DiskANN index doc_idx'
 */
export function indexLabel(index: CatalogVectorIndex): string {
  return `the ${index.kind ? `${KIND_LABELS[index.kind]} ` : 'vector '}index ${index.name}`;
}

const capital = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Every warning sentence, by cause.
 *
 * @example
 * CAUSES.descending(index); // 'ORDER BY the distance DESC (farthest first) never reads the HNSW index doc_hnsw, which finds the nearest rows only: order ASC.'
 */
export const CAUSES = {
  noIndex: (target: ExplainedColumn, metric: VectorMetric | undefined) =>
    `${target.table}.${target.column} has no vector index, so every row is read and sorted: add @VectorIndex({ metric: '${metric ?? 'l2'}' }) to ${target.subject} and run the migration.`,
  notBuilt: (target: ExplainedColumn, name: string) =>
    `${target.subject} declares the vector index ${name} but ${target.table} has no such index, so every row is read and sorted: run the migration that creates it (or synchronize).`,
  metricMismatch: (target: ExplainedColumn, index: CatalogVectorIndex, metric: VectorMetric) =>
    `${capital(indexLabel(index))} serves ${index.metric ?? 'another metric'}, but this query orders by ${metric}: add @VectorIndex({ metric: '${metric}' }) to ${target.subject} or query with metric '${index.metric}'.`,
  expressionDiffers: (dialect: VectorDialect, target: ExplainedColumn, index: CatalogVectorIndex, expression: string, columnSql: string) => {
    const metric = index.metric ?? 'l2';
    const expected = dialect.sql.distance(metric, columnSql, dialect.codec.parameterSql(':vector'));
    const helper = ORDER_HELPERS[metric] ? `${ORDER_HELPERS[metric]}(qb, '${target.reference}', vector)` : `orderByDistance(qb, '${target.reference}', vector, '${metric}')`;
    return `ORDER BY ${expression} is not the expression ${indexLabel(index)} serves, ${expected}: order by exactly that, e.g. with ${helper}, with no cast or arithmetic around the column or the distance.`;
  },
  storageDiffers: (dialect: VectorDialect, target: ExplainedColumn, index: CatalogVectorIndex, metric: VectorMetric, expression: string, columnSql: string) => {
    const stored = index.storage ? dialect.sql.indexStorage?.[index.storage] : undefined;
    const expected = stored ? dialect.sql.distance(metric, stored(columnSql, target.dimensions), stored(dialect.codec.parameterSql(':vector'), target.dimensions)) : `the storage: '${index.storage ?? 'none'}' expression`;
    return `ORDER BY ${expression} is not the expression ${indexLabel(index)} serves, ${expected} (storage: '${index.storage ?? 'none'}'): order by it with orderByDistance(qb, '${target.reference}', vector, '${metric}', { storage: '${index.storage ?? 'none'}' }), or declare @VectorIndex({ metric: '${metric}', storage: '${index.storage ?? 'none'}', name: '${index.name}' }) on ${target.subject}, which every query-builder method then follows.`;
  },
  rerankedOnly: (target: ExplainedColumn, index: CatalogVectorIndex, metric: VectorMetric) =>
    `${capital(indexLabel(index))} holds codes (storage: '${index.storage ?? 'none'}') whose candidates must be re-ranked by the exact distance, which one ORDER BY cannot do, so the query builder never reads it: use findNearest(repository, { column: '${target.property}', metric: '${metric}', vector, limit }), which reads it and re-ranks.`,
  descending: (index: CatalogVectorIndex) => `ORDER BY the distance DESC (farthest first) never reads ${indexLabel(index)}, which finds the nearest rows only: order ASC.`,
  noLimit: (dialect: VectorDialect, index: CatalogVectorIndex) =>
    `The query has no LIMIT, and ${dialect.capabilities.name} reads ${indexLabel(index)} only for ORDER BY distance with a LIMIT: add .limit(k).`,
  notOrdered: (columns: readonly string[]) =>
    `The query is not ordered by a distance to ${columns.length ? columns.join(' or ') : 'a vector column'}, so no vector index serves it: order by one with orderByL2, orderByCosine or orderByInnerProduct, and add .limit(k).`,
  namedOnly: (dialect: VectorDialect, target: ExplainedColumn, index: CatalogVectorIndex) =>
    `${dialect.capabilities.name} reads ${indexLabel(index)} only through a query that names it, never for ORDER BY distance: use findNearest(repository, { column: '${target.property}', metric: '${index.metric}', vector, limit }), which reads its candidates and re-ranks them.`,
  skipped: (dialect: VectorDialect, target: ExplainedColumn, index: CatalogVectorIndex, filtered: boolean) =>
    `${dialect.capabilities.name} read ${target.table} without ${indexLabel(index)}${dialect.explain?.skipped(filtered, target.table) ?? ''}.`,
  scansFirst: (dialect: VectorDialect, target: ExplainedColumn, index: CatalogVectorIndex) =>
    `${dialect.capabilities.name} scans every row of ${target.table} and checks each against the candidates of ${indexLabel(index)} instead of looking the candidates up by key: AND the candidate condition to the rest of the WHERE (not under an OR), as findNearest does.`,
  filteredAfterIndex: (index: CatalogVectorIndex, limit: number | undefined) =>
    `The WHERE is applied to the rows ${indexLabel(index)} returns, so fewer than ${limit === undefined ? 'the limit' : `LIMIT ${limit}`} rows may come back: use findNearest, which reads more candidates until enough pass.`,
  rowCap: (setting: string, value: number, limit: number, index: CatalogVectorIndex, fix: string) =>
    `${setting} is ${value}, below the LIMIT ${limit}, so ${indexLabel(index)} returns at most ${value} rows to this query: ${fix}.`,
  fallsBack: (index: CatalogVectorIndex) =>
    `The filter passes too few of the nearest rows ${indexLabel(index)} returns, so findNearest ends in an exact search of the rows that pass (strategy 'exact-fallback'): expected for a selective filter, where a B-tree index on the filtered columns keeps that search fast.`,
  exactRequested: (index: CatalogVectorIndex) => `findNearest was asked for an exact search (useIndex: false), so ${indexLabel(index)} is not read: leave useIndex unset to read it.`,
  columnDimensions: (target: ExplainedColumn, dimensions: number) =>
    `${target.table}.${target.column} holds ${dimensions}-dimensional vectors in the database but ${target.subject} declares ${target.dimensions}, so the query vector does not fit the column: run the migration that changes the column, or declare @VectorColumn(${dimensions}).`,
  indexDimensions: (target: ExplainedColumn, index: CatalogVectorIndex, dimensions: number) =>
    `${capital(indexLabel(index))} holds ${dimensions}-dimensional vectors but ${target.subject} declares ${target.dimensions}, so it cannot answer this query: recreate it (run the migration) for ${target.dimensions} dimensions.`,
} as const;
