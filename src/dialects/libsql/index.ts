import type { VectorDialect } from '../dialect';
import { fts5FullText } from '../shared/fts5';
import { libsqlCapabilities } from './capabilities';
import { libsqlCodec, libsqlElementCodecs } from './codec';
import { libsqlDdl } from './ddl';
import { libsqlExplain } from './explain';
import { libsqlIntrospection } from './introspection';
import { libsqlSql } from './sql';
import { sqliteBulkInsert } from '../shared/bulk-insert';

/**
 * libSQL through `@libsql/client`: `F32_BLOB(N)` columns, vectors bound as float32 BLOBs read with
 * `vector32(?)`, `vector_distance_l2`/`vector_distance_cos`, `libsql_vector_idx` indexes queried with
 * `vector_top_k`. No inner product or L1 distance.
 *
 * @example
 * libsqlDialect.sql.distance('cosine', '"doc"."embedding"', libsqlDialect.codec.parameterSql('?'));
 * // vector_distance_cos("doc"."embedding", vector32(?))
 */
export const libsqlDialect: VectorDialect = {
  id: 'libsql',
  capabilities: libsqlCapabilities,
  codec: libsqlCodec,
  codecs: libsqlElementCodecs,
  sql: libsqlSql,
  ddl: libsqlDdl,
  introspection: libsqlIntrospection,
  explain: libsqlExplain,
  fullText: fts5FullText,
  bulkLoad: sqliteBulkInsert,
};
