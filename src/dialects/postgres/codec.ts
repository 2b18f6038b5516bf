import { floatsFromJsonCache, parsePgvectorText, toPgvectorText } from '../../codecs';
import { VectorValueError } from '../../errors';
import { describeValue } from '../../vocabulary';
import type { VectorCodec } from '../dialect';

/**
 * pgvector's text format, `[1,2,3]`, bound as text and cast: `CAST($1 AS vector)`. Values read
 * back arrive as a Float32Array (the `pg` type parser VectorDataSource installs), as text, or as
 * `number[]`.
 *
 * @example
 * postgresCodec.encode(new Float32Array([1, 0.5]), 'q'); // '[1,0.5]'
 * postgresCodec.parameterSql('$1');                      // 'CAST($1 AS vector)'
 */
export const postgresCodec: VectorCodec = {
  encode: toPgvectorText,
  decode(raw, subject) {
    if (raw instanceof Float32Array) return raw;
    if (typeof raw === 'string') return parsePgvectorText(raw, subject);
    if (Array.isArray(raw) && raw.every((value) => typeof value === 'number')) return Float32Array.from(raw as number[]);
    const cached = floatsFromJsonCache(raw);
    if (cached) return cached;
    throw new VectorValueError(`${subject} returned ${describeValue(raw)} instead of pgvector text; is the column of type vector?`);
  },
  parameterSql: (placeholder) => `CAST(${placeholder} AS vector)`,
};
