import type { ValueTransformer } from 'typeorm';
import { validateVector } from '../codecs';
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
 * The transformer of a vector column on one backend: validates, then encodes with `codec` on the
 * way in; decodes to `number[]` or `Float32Array` on the way out, refusing a stored vector whose
 * length is not the column's dimensions (written by another program) with a `VectorValueError`
 * naming `place` (the table and column) and both sizes.
 *
 * @example
 * const t = vectorTransformer(spec, postgresDialect.codec, { table: 'doc', column: 'embedding' });
 * t.to([1, 2, 3]);   // '[1,2,3]'
 * t.from('[1,2,3]'); // [1, 2, 3]
 * t.from('[1,2]');   // throws: Table doc, column embedding (Doc.embedding) holds a vector of 2 dimensions but is declared with 3; ...
 */
export function vectorTransformer(spec: VectorColumnSpec, codec: VectorCodec, place?: { table: string; column: string }): ValueTransformer {
  const where = place ? `Table ${place.table}, column ${place.column} (${spec.subject})` : spec.subject;
  return {
    to(value: unknown) {
      if (value === undefined) return undefined;
      if (value === null) {
        if (spec.nullable) return null;
        throw new VectorValueError(
          `${spec.subject} is NOT NULL but got null; pass a vector of ${spec.dimensions} numbers or declare @VectorColumn(${spec.dimensions}, { nullable: true }).`,
        );
      }
      if (isFindOperator(value)) return value;
      return codec.encode(validateVector(value, spec.dimensions, spec.subject), spec.subject);
    },
    from(raw: unknown) {
      if (raw === null || raw === undefined) return raw;
      const vector = codec.decode(raw, spec.subject);
      if (vector.length !== spec.dimensions) {
        throw new VectorValueError(
          `${where} holds a vector of ${vector.length} dimensions but is declared with ${spec.dimensions}; another program wrote it, so rewrite the row with ${spec.dimensions} numbers (or declare @VectorColumn(${vector.length})).`,
        );
      }
      return spec.as === 'float32array' ? vector : Array.from(vector);
    },
  };
}
