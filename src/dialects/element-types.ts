import type { ElementValue } from '../codecs';
import { UnsupportedVectorFeatureError } from '../errors';
import { quotedList, type ElementTypeCapabilities, type IndexTypeCapabilities, type VectorElementType, type VectorIndexKind } from '../vocabulary';
import type { VectorCodec, VectorDialect } from './dialect';

/**
 * How `dialect` stores element type `type`: column type, metrics and dimension limit (float32 from
 * the top-level capabilities). Throws `UnsupportedVectorFeatureError` naming the backend and what
 * to use instead when it lacks the type.
 *
 * @example
 * elementTypeSupport(postgresDialect, 'float16').column.type; // 'halfvec'
 * elementTypeSupport(mariadbDialect, 'float16');             // throws: MariaDB has no float16 vectors; ...
 */
export function elementTypeSupport(dialect: VectorDialect, type: VectorElementType, subject?: string): ElementTypeCapabilities {
  const { capabilities } = dialect;
  if (type === 'float32') return { column: capabilities.column, metrics: capabilities.metrics, maxDimensions: capabilities.maxDimensions };
  const support = capabilities.elementTypes.includes(type) ? capabilities.otherElementTypes?.[type] : undefined;
  if (support) return support;
  const advice = capabilities.elementTypeAdvice?.[type] ?? `use type ${quotedList(capabilities.elementTypes)}`;
  throw new UnsupportedVectorFeatureError(`${subject ? `${subject} is a ${type} @VectorColumn but ` : ''}${capabilities.name} has no ${type} vectors; ${advice}.`);
}

/**
 * The codec of element type `type` on `dialect` (throws as `elementTypeSupport` does when it lacks the type).
 *
 * @example
 * codecOf(postgresDialect, 'bit').parameterSql('$1', 8); // 'CAST($1 AS bit(8))'
 */
export function codecOf<T extends VectorElementType>(dialect: VectorDialect, type: T): VectorCodec<ElementValue<T>> {
  if (type === 'float32') return dialect.codec as unknown as VectorCodec<ElementValue<T>>;
  elementTypeSupport(dialect, type);
  const codec = dialect.codecs?.[type as Exclude<VectorElementType, 'float32'>];
  if (!codec) throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} has no codec for ${type} vectors; use type 'float32'.`);
  return codec as unknown as VectorCodec<ElementValue<T>>;
}

/**
 * What a `kind` index of `dialect` does with `type` (float32 from the kind itself), or undefined
 * where the kind cannot index the type.
 *
 * @example
 * indexTypeSupport(postgresDialect, 'hnsw', 'float16')?.maxDimensions; // 4000
 */
export function indexTypeSupport(dialect: VectorDialect, kind: VectorIndexKind, type: VectorElementType): IndexTypeCapabilities | undefined {
  const kindSupport = dialect.capabilities.indexes?.kinds[kind];
  if (!kindSupport) return undefined;
  return type === 'float32' ? { metrics: kindSupport.metrics, maxDimensions: kindSupport.maxDimensions } : kindSupport.elementTypes?.[type];
}

/**
 * The element type a column of database type `columnType` holds on `dialect` (`halfvec` ->
 * `float16`), where exactly one element type uses that column type; undefined otherwise (SQLite's
 * `BLOB` holds float32 or int8 vectors alike).
 *
 * @example
 * elementTypeOfColumnType(postgresDialect, 'halfvec'); // 'float16'
 * elementTypeOfColumnType(postgresDialect, 'text');    // undefined
 */
export function elementTypeOfColumnType(dialect: VectorDialect, columnType: string): VectorElementType | undefined {
  const wanted = columnType.toLowerCase();
  const matching = dialect.capabilities.elementTypes.filter((type) => elementTypeSupport(dialect, type).column.type.toLowerCase() === wanted);
  return matching.length === 1 ? matching[0] : undefined;
}
