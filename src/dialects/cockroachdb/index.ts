import type { VectorDialect } from '../dialect';
import { cockroachdbCapabilities } from './capabilities';
import { cockroachdbCodec } from './codec';
import { cockroachdbDdl } from './ddl';
import { cockroachdbExplain } from './explain';
import { cockroachdbIntrospection } from './introspection';
import { cockroachdbSql } from './sql';

/**
 * CockroachDB 24.2+ (TypeORM's `type: 'cockroachdb'`): `VECTOR(N)` columns in pgvector's text
 * format, the `<->`, `<=>` and `<#>` operators (and `l1_distance()`), and from 25.2 its vector
 * index (C-SPANN) as kind `cspann`, searched with `vector_search_beam_size`. It has no full-text
 * search in typeorm-vector (`@FullTextIndex`, `findHybrid`), and `insertVectors` sends multi-row
 * INSERTs (CockroachDB's COPY has no binary format). Checked by its exact SQL only: no CockroachDB
 * server runs in this project's tests.
 *
 * @example
 * cockroachdbDialect.sql.distance('l2', '"doc"."embedding"', 'CAST($1 AS vector)'); // ("doc"."embedding" <-> CAST($1 AS vector))
 */
export const cockroachdbDialect: VectorDialect = {
  id: 'cockroachdb',
  capabilities: cockroachdbCapabilities,
  codec: cockroachdbCodec,
  sql: cockroachdbSql,
  ddl: cockroachdbDdl,
  introspection: cockroachdbIntrospection,
  explain: cockroachdbExplain,
  // 65,535 bound values a statement (the PostgreSQL wire protocol's limit); keys read back with RETURNING.
  bulkLoad: { kind: 'insert', maxParameters: 65535, returning: true },
};
