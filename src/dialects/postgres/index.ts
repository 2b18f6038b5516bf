import type { VectorDialect } from '../dialect';
import { postgresFullText } from './full-text';
import { postgresCapabilities } from './capabilities';
import { postgresCodec, postgresElementCodecs } from './codec';
import { postgresDdl } from './ddl';
import { postgresExplain } from './explain';
import { postgresIntrospection } from './introspection';
import { postgresSql } from './sql';
import { postgresCopyFormat } from './copy-format';

/**
 * PostgreSQL with pgvector 0.8: `vector(N)` columns, text-encoded parameters, the `<->`, `<=>`,
 * `<#>` and `<+>` operators, HNSW and IVFFlat indexes.
 *
 * @example
 * postgresDialect.sql.distance('l2', '"doc"."embedding"', 'CAST($1 AS vector)'); // ("doc"."embedding" <-> CAST($1 AS vector))
 */
export const postgresDialect: VectorDialect = {
  id: 'postgres',
  capabilities: postgresCapabilities,
  codec: postgresCodec,
  codecs: postgresElementCodecs,
  sql: postgresSql,
  ddl: postgresDdl,
  introspection: postgresIntrospection,
  explain: postgresExplain,
  fullText: postgresFullText,
  bulkLoad: { kind: 'copy', copy: postgresCopyFormat },
};
