import { Column } from 'typeorm';
import { ELEMENT_VALUES, validateDimensions, type VectorValueShape } from '../codecs';
import { VectorConfigurationError } from '../errors';
import { isVectorElementType, quotedList, VECTOR_ELEMENT_TYPES, type VectorElementType } from '../vocabulary';
import { registerVectorColumn } from './vector-column-registry';
import { unboundVectorTransformer } from './vector-transformer';

/**
 * Largest dimension count any supported backend stores (libSQL's F32_BLOB). Backends check their own limit at start-up.
 *
 * @example
 * MAX_VECTOR_DIMENSIONS; // 65536
 */
export const MAX_VECTOR_DIMENSIONS = 65536;

/** Most dimensions of a bit or sparse column on any backend (pgvector's sparsevec: 1,000,000,000). */
const MAX_SPARSE_OR_BIT_DIMENSIONS = 1_000_000_000;

/**
 * Options of `@VectorColumn`.
 *
 * @example
 * @VectorColumn(768, { nullable: true, as: 'float32array', name: 'embedding_v2', comment: 'e5-base' }) e5!: Float32Array | null;
 * @VectorColumn(384, { sizeCheck: true }) checked!: number[]; // SQLite/libSQL: a CHECK refuses BLOBs of another size
 * @VectorColumn(3072, { type: 'float16' }) large!: number[];
 * @VectorColumn(256, { type: 'bit' }) hash!: string;
 * @VectorColumn(30000, { type: 'sparse' }) terms!: SparseVector;
 */
export interface VectorColumnOptions {
  /**
   * Element type (default `'float32'`): `'float16'` (pgvector `halfvec`, libSQL `F16_BLOB`),
   * `'int8'`, `'bit'` (pgvector `bit(N)`), `'sparse'` (pgvector `sparsevec`). A backend without
   * the type refuses it when the DataSource starts.
   */
  type?: VectorElementType;
  /** Allow NULL (default false: the column is NOT NULL). */
  nullable?: boolean;
  /**
   * The shape values come back in: float types `'array'` (default, `number[]`) or
   * `'float32array'`; int8 `'array'` or `'int8array'`; bit `'string'` (default, `'1010'`) or
   * `'uint8array'` (packed, first bit in the high bit); sparse `'sparse'` (default,
   * `{ indices, values, dimensions }`) or `'array'` (dense).
   */
  as?: VectorValueShape;
  /** Database column name, when it differs from the property name. */
  name?: string;
  /** Column comment. */
  comment?: string;
  /**
   * On SQLite and libSQL, whose BLOB columns take bytes of any size, `true` adds a CHECK constraint
   * so the database refuses a vector of the wrong size (or a text value) from any writer, not only
   * from typeorm-vector (default `false`: adding it to an existing table makes TypeORM copy the
   * table, which on libSQL rebuilds its vector indexes). Other backends' column types check sizes
   * themselves and ignore it.
   */
  sizeCheck?: boolean;
}

const OPTION_NAMES = new Set(['type', 'nullable', 'as', 'name', 'comment', 'sizeCheck']);

/**
 * Declares a vector property. The column type follows the database and `type`: `vector(N)` on
 * PostgreSQL (`halfvec(N)`, `bit(N)`, `sparsevec(N)` for float16, bit, sparse), a float32 BLOB on
 * SQLite, `F32_BLOB(N)` on libSQL, `VECTOR(N)` on MariaDB and MySQL. Values are validated
 * (dimension count, finite numbers, the type's range) before any SQL runs and come back as
 * `number[]`, or in the shape `as` names.
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
    validateOptions(options, subject);
    const { type = 'float32' } = options;
    validateDimensions(dimensions, type === 'bit' || type === 'sparse' ? MAX_SPARSE_OR_BIT_DIMENSIONS : MAX_VECTOR_DIMENSIONS, subject);
    const spec = {
      dimensions,
      type,
      nullable: options.nullable ?? false,
      as: options.as ?? ELEMENT_VALUES[type].shapes[0]!,
      subject,
      sizeCheck: options.sizeCheck ?? false,
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
  // The column's element type.
  const { type = 'float32' } = options;
  if (!isVectorElementType(type)) {
    throw new VectorConfigurationError(`${subject} has type: ${JSON.stringify(type)}; use one of ${quotedList(VECTOR_ELEMENT_TYPES)}.`);
  }
  const { shapes } = ELEMENT_VALUES[type];
  if (options.as !== undefined && !shapes.includes(options.as)) {
    throw new VectorConfigurationError(`${subject} has as: ${JSON.stringify(options.as)}, which a ${type} column cannot return; use ${quotedList(shapes)}.`);
  }
  if (options.sizeCheck !== undefined && typeof options.sizeCheck !== 'boolean') {
    throw new VectorConfigurationError(`${subject} has sizeCheck: ${JSON.stringify(options.sizeCheck)}; pass true or false (the default).`);
  }
}
