import type { VectorDialect } from '../dialect';
import { fts5FullText } from '../shared/fts5';
import { sqliteVecCapabilities } from './capabilities';
import { sqliteVecCodec, sqliteVecElementCodecs } from './codec';
import { sqliteVecDdl } from './ddl';
import { sqliteVecExplain } from './explain';
import { sqliteVecIntrospection } from './introspection';
import { sqliteVecSql } from './sql';
import { sqliteBulkInsert } from '../shared/bulk-insert';

/**
 * SQLite with the sqlite-vec extension (on better-sqlite3, or node sqlite3 on TypeORM 0.3): float32
 * BLOB columns (int8 and bit BLOBs read through `vec_int8`/`vec_bit`), `vec_distance_l2`/`_cosine`/`_l1`/`_hamming`, and `vec0` tables as indexes.
 *
 * @example
 * sqliteVecDialect.sql.distance('l2', '"doc"."embedding"', '?'); // vec_distance_l2("doc"."embedding", ?)
 */
export const sqliteVecDialect: VectorDialect = {
  id: 'sqlite-vec',
  capabilities: sqliteVecCapabilities,
  codec: sqliteVecCodec,
  codecs: sqliteVecElementCodecs,
  sql: sqliteVecSql,
  ddl: sqliteVecDdl,
  introspection: sqliteVecIntrospection,
  explain: sqliteVecExplain,
  fullText: fts5FullText,
  bulkLoad: sqliteBulkInsert,
};

export { vec0FilterSql } from './vec0-filter';
export { readVec0Declaration, type Vec0Declaration } from './vec0-declaration';
