import type { ValueTransformer } from 'typeorm';
import { ELEMENT_VALUES, type ElementValues } from '../codecs';
import type { VectorCodec } from '../dialects';
import { isFindOperator } from '../typeorm-internals';
import { VectorConfigurationError, VectorValueError } from '../errors';
import type { VectorColumnSpec } from './vector-column-registry';

/**
 * The transformer a vector column has before its DataSource was set up by typeorm-vector: it cannot
 * know the database, so it refuses to encode and says what to do.
 *
 * @example
 * unboundVectorTransformer(spec).to([1, 2, 3]); // throws VectorConfigurationError
 */
export function unboundVectorTransformer(spec: VectorColumnSpec): ValueTransformer {
  const refuse = (): never => {
    throw new VectorConfigurationError(
      `${spec.subject} is a @VectorColumn on a DataSource that typeorm-vector has not set up; create it with new VectorDataSource(options) instead of new DataSource(options).`,
    );
  };
  return {
    to: (value: unknown) => (value === undefined ? undefined : refuse()),
    from: (value: unknown) => (value === null || value === undefined ? value : refuse()),
  };
}

/**
 * The transformer of a vector column on one backend: validates for the column's element type
 * (with `limits`, e.g. the non-zero count an index takes), then encodes with `codec` on the way in;
 * decodes to the shape `spec.as` names on the way out, refusing a stored float32, float16 or int8
 * vector whose length is not the column's dimensions (written by another program) with a
 * `VectorValueError` naming `limits.place` (the table and column) and both sizes.
 *
 * @example
 * const t = vectorTransformer(spec, postgresDialect.codec, { place: { table: 'doc', column: 'embedding' } });
 * t.to([1, 2, 3]);   // '[1,2,3]'
 * t.from('[1,2,3]'); // [1, 2, 3]
 * t.from('[1,2]');   // throws: Table doc, column embedding (Doc.embedding) holds a vector of 2 dimensions but is declared with 3; ...
 */
export function vectorTransformer(
  spec: VectorColumnSpec,
  codec: VectorCodec<any>,
  limits: { readonly maxNonZero?: number; readonly place?: { table: string; column: string } } = {},
): ValueTransformer {
  const values = ELEMENT_VALUES[spec.type] as ElementValues<unknown>;
  const where = limits.place ? `Table ${limits.place.table}, column ${limits.place.column} (${spec.subject})` : spec.subject;
  const wrongLength = (length: number) =>
    new VectorValueError(
      `${where} holds a vector of ${length} dimensions but is declared with ${spec.dimensions}; another program wrote it, so rewrite the row with ${spec.dimensions} numbers (or declare @VectorColumn(${length})).`,
    );
  return {
    to(value: unknown) {
      if (value === undefined) return undefined;
      if (value === null) {
        if (spec.nullable) return null;
        throw new VectorValueError(
          `${spec.subject} is NOT NULL but got null; pass a ${spec.type} vector of ${spec.dimensions} dimensions or declare @VectorColumn(${spec.dimensions}, { nullable: true }).`,
        );
      }
      if (isFindOperator(value)) return value;
      return codec.encode(values.validate(value, spec.dimensions, spec.subject, limits), spec.subject);
    },
    from(raw: unknown) {
      if (raw === null || raw === undefined) return raw;
      const numbers = spec.type === 'float32' && spec.as === 'array' ? codec.decodeNumbers?.(raw, spec.subject) : undefined;
      if (numbers) {
        if (numbers.length !== spec.dimensions) throw wrongLength(numbers.length);
        return numbers;
      }
      const decoded: unknown = codec.decode(raw, spec.subject);
      // Typed arrays (float32, float16, int8) carry their length; bit strings and sparse vectors are checked by their codecs.
      if (ArrayBuffer.isView(decoded) && (decoded as unknown as ArrayLike<unknown>).length !== spec.dimensions) {
        throw wrongLength((decoded as unknown as ArrayLike<unknown>).length);
      }
      return values.output(decoded, spec.as);
    },
  };
}
