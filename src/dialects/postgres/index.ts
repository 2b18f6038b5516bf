import type { VectorDialect } from '../dialect';
import { postgresFullText } from './full-text';
import { postgresCapabilities } from './capabilities';
import { pgvectorCodec, pgvectorTextCodec, postgresCodec, postgresElementCodecs } from './codec';
import { postgresDdl } from './ddl';
import { postgresExplain } from './explain';
import { postgresIntrospection } from './introspection';
import { postgresSql } from './sql';
import { postgresCopyFormat } from './copy-format';

/**
 * PostgreSQL with pgvector 0.8: `vector(N)` columns (stored values bound as text, query vectors in
 * binary), the `<->`, `<=>`, `<#>` and `<+>` operators, HNSW and IVFFlat indexes.
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

/**
 * PostgreSQL in PGlite (WASM, one session in the caller's thread): the PostgreSQL dialect, except
 * that query vectors are bound as pgvector text (PGlite serializes parameters itself, as text), and
 * that `insertVectors` sends multi-row INSERTs (at most 65,535 bound values each, keys read back
 * with `RETURNING`) instead of `COPY ... FROM STDIN`, which PGlite's single-threaded session would
 * wait on for data that can never arrive, blocking the event loop.
 *
 * @example
 * pgliteDialect.bulkLoad.kind; // 'insert'
 * pgliteDialect.codec.encodeParameter; // undefined: query vectors go as '[1,0.5]'
 */
export const pgliteDialect: VectorDialect = {
  ...postgresDialect,
  codec: pgvectorCodec,
  codecs: { ...postgresElementCodecs, float16: pgvectorTextCodec('halfvec') },
  bulkLoad: { kind: 'insert', maxParameters: 65535, returning: true },
};
