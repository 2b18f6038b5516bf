export type { VectorDialect, DialectId, VectorCodec, ElementCodecs, VectorSql, VectorDdl, VectorIntrospection, CatalogVectorIndex, IndexMeaning, ColumnDimensionChange, VectorColumnInfo, CandidateSqlInput, ResolvedSearchTuning, VectorExplain, PlanRows } from './dialect';
export { dialectOf, resolveOptions, settleDialect, indexTuningOptionNames, indexKindsWithFilterColumns, type DriverKind, type ResolvedOptions } from './resolve';
export { assertMetric } from './metric-check';
export { indexSupport, resolveIndexDefinition, checkIndexDimensions, defaultIndexName } from './index-definition';
export { indexDifferences, vectorIndexOptionsFor } from './index-meaning';
export { libsqlConnectionOf, LIBSQL_CONNECTION } from './libsql/options-marker';
export { pgliteConnectionOf, PGLITE_CONNECTION } from './postgres/pglite-options-marker';
export type { FullTextDialect, FullTextMatch, FullTextMatchInput } from './full-text';
export { elementTypeSupport, codecOf, indexTypeSupport } from './element-types';
