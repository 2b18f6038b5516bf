import { installQueryBuilderMethods } from './query/query-builder-mixin';

export { VectorColumn, MAX_VECTOR_DIMENSIONS, type VectorColumnOptions } from './column/vector-column';
export { VectorDataSource } from './connection/vector-data-source';
export { VectorIndex, type VectorIndexOptions } from './column/vector-index';
export { createVectorExtension, dropVectorExtension } from './migrations/vector-extension';
export { createVectorIndex, dropVectorIndex, vectorIndexSql, type VectorIndexSql } from './migrations/vector-index-helpers';
export {
  VECTOR_INDEX_KINDS,
  type VectorIndexKind,
  type VectorIndexRequest,
  type VectorIndexTuning,
  type LibsqlNeighborCompression,
} from './dialects/vector-index';
export { SqliteVecSubscriber } from './connection/sqlite-vec-subscriber';
export { loadSqliteVec, sqliteVecPath } from './connection/load-sqlite-vec';
export { sqlite3WithSqliteVec, type Sqlite3Module } from './connection/sqlite3-with-sqlite-vec';
export { libsql, type LibsqlConnectionOptions, type LibsqlDataSourceOptions, type CreateLibsqlDataSourceOptions } from './connection/libsql/libsql-options';
export { createLibsqlDataSource } from './connection/libsql/create-libsql-data-source';
export { LibsqlDriver } from './connection/libsql/libsql-driver';
export { LibsqlQueryRunner } from './connection/libsql/libsql-query-runner';
export { libsqlDialect, LIBSQL_INDEX_DEFAULTS, libsqlVectorIndexSettings } from './dialects/libsql';
export { VectorError, VectorDimensionError, VectorValueError, UnsupportedVectorFeatureError, VectorConfigurationError, VectorMigrationError } from './errors';
export { VECTOR_METRICS, type VectorMetric, type VectorDialect } from './dialects/dialect';
export { resolveDialect } from './dialects/resolve';
export {
  orderByL2,
  orderByCosine,
  orderByInnerProduct,
  orderByDistance,
  addSelectDistance,
  andWhereDistance,
  type DistanceComparison,
} from './query/vector-query-functions';
export { findNearest, type FindNearestOptions, type Nearest } from './query/find-nearest';
export { installQueryBuilderMethods } from './query/query-builder-mixin';
export { encodeFloat32Blob, decodeFloat32Blob, toPgvectorText, parsePgvectorText, validateVector, type VectorInput } from './codecs';

// The documented query-builder mixin: the one thing that runs at import time.
installQueryBuilderMethods();
