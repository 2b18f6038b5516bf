// The public API: re-exports only. The documented query-builder mixin is the one thing run at import.
import { installQueryBuilderMethods } from './query/query-builder-mixin';

export { VectorColumn, MAX_VECTOR_DIMENSIONS, type VectorColumnOptions } from './column/vector-column';
export { VectorIndex, type VectorIndexOptions } from './column/vector-index';
export { FullTextIndex, type FullTextIndexOptions } from './column/full-text-index';
export { VectorDataSource, type VectorDataSourceSettings } from './connection/vector-data-source';
export type { UndeclaredVectorIndexes } from './connection/vector-schema-builder';
export { createVectorExtension, dropVectorExtension } from './migrations/vector-extension';
export { createVectorIndex, dropVectorIndex, vectorIndexSql, type VectorIndexSql } from './migrations/vector-index-helpers';
export { addTablePartition, dropTablePartition } from './migrations/table-partitions';
export {
  VECTOR_METRICS,
  VECTOR_INDEX_KINDS,
  VECTOR_ELEMENT_TYPES,
  type VectorElementType,
  type VectorIndexStorage,
  type VectorMetric,
  type VectorIndexKind,
  type VectorIndexRequest,
  type VectorIndexFilterColumn,
  type VectorIndexTuning,
  type LibsqlNeighborCompression,
  type VectorSearchTuning,
  type ReadFrom,
  type TablePartition,
  type NearestStrategyName,
} from './vocabulary';
export { SqliteVecSubscriber } from './connection/sqlite-vec-subscriber';
export { loadSqliteVec, sqliteVecPath } from './connection/load-sqlite-vec';
export { sqlite3WithSqliteVec, type Sqlite3Module } from './connection/sqlite3-with-sqlite-vec';
export { libsql, type LibsqlConnectionOptions, type LibsqlDataSourceOptions, type CreateLibsqlDataSourceOptions } from './connection/libsql/libsql-options';
export { createLibsqlDataSource } from './connection/libsql/create-libsql-data-source';
export { pglite, type PgliteConnectionOptions, type PgliteDataSourceOptions, type PgliteInstance } from './connection/pglite/pglite-options';
export { PGLITE_CONNECT_TIMEOUT_MS } from './connection/setup/pglite-setup';
export { VectorError, VectorDimensionError, VectorValueError, UnsupportedVectorFeatureError, VectorConfigurationError, VectorMigrationError } from './errors';
export {
  orderByL2,
  orderByCosine,
  orderByInnerProduct,
  orderByHamming,
  orderByJaccard,
  orderByDistance,
  addSelectDistance,
  andWhereDistance,
  type DistanceComparison,
  type OrderByDistanceOptions,
} from './query/vector-query-functions';
export { TunedVectorQuery, withVectorSearch, type VectorSearchOptions } from './query/tuned-query';
export { findNearest, searchNearest, type FindNearestOptions, type Nearest, type NearestOutcome } from './query/find-nearest';
export { insertVectors, type InsertVectorsOptions } from './bulk/insert-vectors';
export { findHybrid, type FindHybridOptions, type Hybrid } from './query/find-hybrid';
export {
  explainNearest,
  explainNearestQuery,
  assertIndexUsed,
  assertIndexUsedQuery,
  type QueryExplanation,
  type NearestExplanation,
} from './query/explain-nearest';
export { VectorIndexNotUsedError, VectorBulkLoadError } from './errors';
export type { VectorQueryBuilderMethods } from './query/query-builder-mixin';
export {
  encodeFloat32Blob,
  decodeFloat32Blob,
  toPgvectorText,
  parsePgvectorText,
  parsePgvectorBinary,
  validateVector,
  roundToFloat16,
  MAX_FLOAT16,
  packBits,
  unpackBits,
  toSparsevecText,
  parseSparsevecText,
  type SparseVector,
  type VectorValueInput,
  type VectorValueShape,
  type VectorInput,
  type NumericTypedArray,
} from './codecs';

installQueryBuilderMethods();
