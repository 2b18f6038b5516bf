import { Column } from 'typeorm';
import { validateDimensions } from '../codecs';
import { VectorConfigurationError } from '../errors';
import { registerVectorColumn } from './vector-column-registry';
import { unboundVectorTransformer } from './vector-transformer';

/**
 * Largest dimension count any supported backend stores (libSQL's F32_BLOB). Backends check their own limit at start-up.
 *
 * @example
 * MAX_VECTOR_DIMENSIONS; // 65536
 */
export const MAX_VECTOR_DIMENSIONS = 65536;

/**
 * Options of `@VectorColumn`.
 *
 * @example
 * @VectorColumn(768, { nullable: true, as: 'float32array', name: 'embedding_v2', comment: 'e5-base' }) e5!: Float32Array | null;
 */
export interface VectorColumnOptions {
  /** Allow NULL (default false: the column is NOT NULL). */
  nullable?: boolean;
  /** Decode to `number[]` (default) or `Float32Array`. */
  as?: 'array' | 'float32array';
  /** Database column name, when it differs from the property name. */
  name?: string;
  /** Column comment. */
  comment?: string;
}

const OPTION_NAMES = new Set(['nullable', 'as', 'name', 'comment']);

/**
 * Declares a vector property. The column type follows the database: `vector(N)` on PostgreSQL,
 * a float32 BLOB on SQLite, `VECTOR(N)` on MariaDB and MySQL. Values are validated (dimension count, finite numbers) before any SQL runs
 * and come back as `number[]`, or as `Float32Array` with `as: 'float32array'`.
 *
 * @example
 * @Entity()
 * class Doc {
 *   @PrimaryGeneratedColumn() id!: number;
 *   @VectorColumn(384) embedding!: number[];
 *   @VectorColumn(384, { nullable: true, as: 'float32array' }) draft!: Float32Array | null;
 * }
 */
export function VectorColumn(dimensions: number, options: VectorColumnOptions = {}): PropertyDecorator {
  return (prototype: object, propertyKey: string | symbol) => {
    const target = prototype.constructor;
    const subject = `${target.name}.${String(propertyKey)}`;
    validateDimensions(dimensions, MAX_VECTOR_DIMENSIONS, subject);
    validateOptions(options, subject);
    const spec = {
      dimensions,
      nullable: options.nullable ?? false,
      as: options.as ?? 'array',
      subject,
    } as const;
    registerVectorColumn(target, String(propertyKey), spec);
    Column({
      // TypeORM validates the type before typeorm-vector can pick the backend's own; VectorDataSource
      // accepts 'vector' on every driver and then swaps in the backend's column type.
      type: 'vector',
      length: dimensions,
      nullable: spec.nullable,
      name: options.name,
      comment: options.comment,
      transformer: unboundVectorTransformer(spec),
    })(prototype, propertyKey);
  };
}

function validateOptions(options: VectorColumnOptions, subject: string): void {
  if (typeof options !== 'object' || options === null) {
    throw new VectorConfigurationError(`${subject} has options ${String(options)}; pass an object such as { nullable: true }.`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) {
      throw new VectorConfigurationError(
        `${subject} has unknown option '${key}'; use ${[...OPTION_NAMES].join(', ')}.`,
      );
    }
  }
  if (options.as !== undefined && options.as !== 'array' && options.as !== 'float32array') {
    throw new VectorConfigurationError(`${subject} has as: ${JSON.stringify(options.as)}; use 'array' or 'float32array'.`);
  }
}
