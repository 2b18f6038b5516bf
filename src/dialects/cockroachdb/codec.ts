import type { VectorCodec } from '../dialect';
import { pgvectorTextCodec } from '../postgres/codec';

/**
 * CockroachDB reads and writes vectors in pgvector's text format (`[1,2,3]`; it prints each
 * element as the shortest decimal that reads back as the same float32), so pgvector's text codec
 * serves: bound as text and cast, `CAST($1 AS vector)`, query vectors included. pgvector's binary
 * forms (`vector_send`, `vector_recv`) are not used here: no CockroachDB server can be installed to
 * test them, so searches read vectors as text too. TypeORM's `pg` connection returns the column as
 * that text (CockroachDB's VECTOR OID has no `pg` type parser), decoded to the exact float32 values.
 *
 * @example
 * cockroachdbCodec.encode(new Float32Array([1, 0.5]), 'q'); // '[1,0.5]'
 * cockroachdbCodec.parameterSql('$1');                      // 'CAST($1 AS vector)'
 */
export const cockroachdbCodec: VectorCodec = pgvectorTextCodec('vector');
