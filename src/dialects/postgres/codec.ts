import { encodeHalfvecBinary, encodePgvectorBinary, floatsFromJsonCache, parsePgvectorBinary, parsePgvectorBinaryNumbers, parsePgvectorText, parseSparsevecText, toPgvectorText, toSparsevecText, type SparseVector } from '../../codecs';
import { VectorValueError } from '../../errors';
import { describeValue } from '../../vocabulary';
import type { ElementCodecs, VectorCodec } from '../dialect';

/**
 * pgvector text (`[1,2,3]`) for a `vector` or `halfvec` column, cast to `type`: what stored values
 * are written as everywhere, and query vectors too where the driver binds text only (PGlite,
 * CockroachDB).
 *
 * @example
 * pgvectorTextCodec('halfvec').parameterSql('$1'); // 'CAST($1 AS halfvec)'
 */
export function pgvectorTextCodec(type: 'vector' | 'halfvec'): VectorCodec {
  return {
    encode: toPgvectorText,
    decode(raw, subject) {
      if (raw instanceof Float32Array) return raw;
      if (typeof raw === 'string') return parsePgvectorText(raw, subject);
      if (Array.isArray(raw) && raw.every((value) => typeof value === 'number')) return Float32Array.from(raw as number[]);
      const cached = floatsFromJsonCache(raw);
      if (cached) return cached;
      throw new VectorValueError(`${subject} returned ${describeValue(raw)} instead of pgvector text; is the column of type ${type}?`);
    },
    parameterSql: (placeholder) => `CAST(${placeholder} AS ${type})`,
  };
}

/**
 * The `vector` read in binary where the library writes the select list itself (`findNearest`):
 * `vector_send`, a bytea that `pg` hands over as a Buffer and PGlite as a Uint8Array, and that
 * the column's codec (`pgvectorCodec`) decodes like any other value it reads.
 */
export const pgvectorBinaryRead: NonNullable<VectorCodec['binaryRead']> = {
  // The CASE on random() is a volatile no-op: PostgreSQL evaluates a volatile select-list expression
  // after ORDER BY ... LIMIT, so only for the rows returned. A plain vector_send(col) is evaluated
  // for every row an exact scan sorts (11.8 ms instead of 3.0 ms on 10,000 x 384 rows).
  sql: (columnSql) => `vector_send(CASE WHEN random() >= 0 THEN ${columnSql} END)`,
};

/**
 * pgvector's `vector` as read and written through text (`pgvectorTextCodec('vector')`), also
 * decoding the binary form `vector_send` writes (a Buffer or Uint8Array) where a query selects it
 * (`binaryRead`): to a Float32Array, or for a column returning `number[]` straight to one
 * (`decodeNumbers`). Query vectors are bound as text: PGlite's codec.
 *
 * @example
 * pgvectorCodec.decodeNumbers!(Buffer.from([0, 1, 0, 0, 0x3f, 0x80, 0, 0]), 'q'); // [1]
 * pgvectorCodec.decode('[1,0.5]', 'q');                                           // Float32Array [1, 0.5]
 */
export const pgvectorCodec: VectorCodec = withBinaryValues(pgvectorTextCodec('vector'));

function withBinaryValues(text: VectorCodec): VectorCodec {
  return {
    ...text,
    decode: (raw, subject) => (raw instanceof Uint8Array ? parsePgvectorBinary(raw, subject) : text.decode(raw, subject)),
    decodeNumbers: (raw, subject) => (raw instanceof Uint8Array ? parsePgvectorBinaryNumbers(raw, subject) : text.decodeNumbers?.(raw, subject)),
    binaryRead: pgvectorBinaryRead,
  };
}

/**
 * pgvector's text format, `[1,2,3]`, for stored values, cast: `CAST($1 AS vector)`. A query vector
 * is bound in pgvector's binary form instead (a Buffer: `pg` sends it in binary format and the
 * server reads it with `vector_recv`), which skips formatting 9 digits per element here and
 * parsing them on the server, and carries the exact float32 bits. Values read back arrive as a
 * Float32Array (the `pg` type parser VectorDataSource installs), as text, or as `number[]`. `findNearest` reads them in pgvector's binary form instead (`vector_send`, a
 * bytea that `pg` hands over as a Buffer and PGlite as a Uint8Array), which decodes several times
 * faster than the text.
 *
 * @example
 * postgresCodec.encode(new Float32Array([1, 0.5]), 'q');           // '[1,0.5]'
 * postgresCodec.encodeParameter!(new Float32Array([1, 0.5]), 'q'); // <Buffer 00 02 00 00 3f 80 00 00 3f 00 00 00>
 * postgresCodec.parameterSql('$1');                                // 'CAST($1 AS vector)'
 * postgresCodec.binaryRead!.sql('"doc"."embedding"');             // 'vector_send(CASE WHEN random() >= 0 THEN "doc"."embedding" END)'
 */
export const postgresCodec: VectorCodec = {
  ...pgvectorCodec,
  encodeParameter: encodePgvectorBinary,
};

const bitCodec: VectorCodec<string> = {
  encode: (bits) => bits,
  decode(raw, subject) {
    if (typeof raw === 'string' && /^[01]*$/.test(raw)) return raw;
    throw new VectorValueError(`${subject} returned ${describeValue(raw)} instead of a bit string; is the column of type bit(N)?`);
  },
  // An unsized CAST(... AS bit) is bit(1): the length must be written.
  parameterSql: (placeholder, dimensions) => `CAST(${placeholder} AS ${dimensions === undefined ? 'varbit' : `bit(${dimensions})`})`,
};

const sparsevecCodec: VectorCodec<SparseVector> = {
  encode: toSparsevecText,
  decode(raw, subject) {
    if (typeof raw === 'string') return parseSparsevecText(raw, subject);
    throw new VectorValueError(`${subject} returned ${describeValue(raw)} instead of sparsevec text; is the column of type sparsevec(N)?`);
  },
  parameterSql: (placeholder) => `CAST(${placeholder} AS sparsevec)`,
};

/**
 * pgvector's other types: `halfvec` (text `[1,2,3]`, float16 values already rounded by validation,
 * so they read back exactly; a query vector bound in halfvec's binary form), `bit` (a bit string,
 * cast to `bit(N)`), `sparsevec` (text `{1:0.5,8:2}/10`, 1-based).
 *
 * @example
 * postgresElementCodecs.sparse!.encode({ indices: [0], values: [0.5], dimensions: 3 }, 'q'); // '{1:0.5}/3'
 * postgresElementCodecs.bit!.parameterSql('$1', 8);                                         // 'CAST($1 AS bit(8))'
 */
export const postgresElementCodecs: ElementCodecs = {
  // A query vector in halfvec's binary form (`halfvec_recv`), as for `vector`.
  float16: { ...pgvectorTextCodec('halfvec'), encodeParameter: encodeHalfvecBinary },
  bit: bitCodec,
  sparse: sparsevecCodec,
};
