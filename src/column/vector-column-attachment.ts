import type { DataSource } from 'typeorm';
import { validateDimensions } from '../codecs';
import { UnsupportedVectorFeatureError } from '../errors';
import { codecOf, elementTypeSupport, indexTypeSupport, type VectorDialect } from '../dialects';
import { addCheckConstraint, escapeIdentifier, setColumnStorage } from '../typeorm-internals';
import type { VectorElementType } from '../vocabulary';
import { findVectorColumn } from './vector-column-registry';
import { findVectorIndexes } from './vector-index-registry';
import { vectorTransformer } from './vector-transformer';

/**
 * Gives each `@VectorColumn` of `dataSource`'s entities `dialect`'s column type and codec for its
 * element type, checking the type and its dimensions against the backend (a type the backend lacks
 * fails here, before any table is touched). Returns whether any entity has a vector column.
 *
 * @example
 * attachVectorColumns(dataSource, dialectOf(dataSource)); // called by VectorDataSource while it initializes
 */
export function attachVectorColumns(dataSource: DataSource, dialect: VectorDialect): boolean {
  const { name } = dialect.capabilities;
  let found = false;
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) {
      const spec = findVectorColumn(column.target, column.propertyName);
      if (!spec) continue;
      found = true;
      const { maxDimensions, column: columnType, dimensionsMultipleOf: multiple } = elementTypeSupport(dialect, spec.type, spec.subject);
      validateDimensions(spec.dimensions, maxDimensions, spec.subject, name);
      if (multiple !== undefined && spec.dimensions % multiple !== 0) {
        throw new UnsupportedVectorFeatureError(
          `${spec.subject} has ${spec.dimensions} dimensions but ${name} stores ${spec.type} vectors in whole units of ${multiple}; use @VectorColumn(${Math.ceil(spec.dimensions / multiple) * multiple}, { type: '${spec.type}' }) (pad with zeros).`,
        );
      }
      const codec = codecOf(dialect, spec.type);
      setColumnStorage(column, {
        type: columnType.type,
        length: columnType.withLength ? String(spec.dimensions) : '',
        transformer: vectorTransformer(spec, codec, {
          maxNonZero: indexedNonZeroLimit(dialect, column.target, column.propertyName, spec.type),
          place: { table: entity.tablePath, column: column.databaseName },
        }),
      });
      if (spec.sizeCheck && codec.sizeCheckSql) {
        const expression = codec.sizeCheckSql(escapeIdentifier(dataSource)(column.databaseName), spec.dimensions);
        addCheckConstraint(dataSource, entity, sizeCheckName(entity.tableName, column.databaseName, spec.dimensions), expression);
      }
    }
  }
  return found;
}

/**
 * The name of a vector column's size CHECK: it names the dimensions, so a dimension change
 * replaces the constraint (TypeORM compares CHECK constraints by name).
 */
function sizeCheckName(table: string, column: string, dimensions: number): string {
  return `CHK_${table}_${column}_vector_${dimensions}_dims`;
}

/** The fewest non-zero elements any `@VectorIndex` of the property takes (sparse vectors), if it has one. */
function indexedNonZeroLimit(dialect: VectorDialect, target: Function | string, property: string, type: VectorElementType): number | undefined {
  const limits = findVectorIndexes(target, property)
    .map((index) => {
      const kind = index.kind ?? dialect.capabilities.indexes?.defaultKind;
      return kind ? indexTypeSupport(dialect, kind, type)?.maxNonZero : undefined;
    })
    .filter((limit): limit is number => limit !== undefined);
  return limits.length ? Math.min(...limits) : undefined;
}
