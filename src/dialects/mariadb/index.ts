import type { VectorDialect } from '../dialect';
import { mariadbFullText } from './full-text';
import { mariadbCapabilities } from './capabilities';
import { mariadbCodec } from './codec';
import { mariadbDdl } from './ddl';
import { mariadbExplain } from './explain';
import { mariadbIntrospection } from './introspection';
import { mariadbSql } from './sql';
import { mariadbBulkInsert } from '../shared/bulk-insert';

/**
 * MariaDB 11.7+ through mysql2: `VECTOR(N)` columns, vectors bound as float32 little-endian bytes,
 * `VEC_DISTANCE_EUCLIDEAN` and `VEC_DISTANCE_COSINE`, and VECTOR INDEX.
 *
 * @example
 * mariadbDialect.sql.distance('l2', '`doc`.`embedding`', '?'); // VEC_DISTANCE_EUCLIDEAN(`doc`.`embedding`, ?)
 */
export const mariadbDialect: VectorDialect = {
  id: 'mariadb',
  capabilities: mariadbCapabilities,
  codec: mariadbCodec,
  sql: mariadbSql,
  ddl: mariadbDdl,
  introspection: mariadbIntrospection,
  explain: mariadbExplain,
  fullText: mariadbFullText,
  bulkLoad: mariadbBulkInsert,
};
