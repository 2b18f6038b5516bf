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
 * decodes to the shape `spec.as` names on the way out.
 *
 * @example
 * const t = vectorTransformer(spec, postgresDialect.codec);
 * t.to([1, 2, 3]);   // '[1,2,3]'
 * t.from('[1,2,3]'); // [1, 2, 3]
 */
export function vectorTransformer(spec: VectorColumnSpec, codec: VectorCodec<any>, limits: { readonly maxNonZero?: number } = {}): ValueTransformer {
  const values = ELEMENT_VALUES[spec.type] as ElementValues<unknown>;
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
      return values.output(codec.decode(raw, spec.subject), spec.as);
    },
  };
}
