import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { indexSupport, resolveIndexDefinition, type VectorDialect } from '../dialects';
import { VectorConfigurationError } from '../errors';
import { registerUnsynchronizedIndex } from '../typeorm-internals';
import type { VectorIndexDefinition } from '../vocabulary';
import { findVectorColumn } from './vector-column-registry';
import { findVectorIndexes } from './vector-index-registry';

/** A `@VectorIndex` resolved for one DataSource's backend. */
export interface AttachedVectorIndex {
  readonly definition: VectorIndexDefinition;
  readonly entity: EntityMetadata;
  readonly column: ColumnMetadata;
  readonly strict: boolean;
}

const attachedByEntity = new WeakMap<EntityMetadata, AttachedVectorIndex[]>();

/**
 * Resolves every `@VectorIndex` of `dataSource`'s entities for `dialect` (validating its options
 * against the backend at start-up) and, for indexes the database lists as table indexes, registers
 * a TypeORM index with `synchronize: false` under the same name, so TypeORM's schema diff neither
 * drops nor recreates it.
 *
 * @example
 * attachVectorIndexes(dataSource, dialectOf(dataSource)); // called by VectorDataSource while it initializes
 */
export function attachVectorIndexes(dataSource: DataSource, dialect: VectorDialect): void {
  for (const entity of dataSource.entityMetadatas) {
    const attached: AttachedVectorIndex[] = [];
    for (const column of entity.columns) {
      const specs = findVectorIndexes(column.target, column.propertyName);
      if (!specs.length) continue;
      const vectorSpec = findVectorColumn(column.target, column.propertyName);
      if (!vectorSpec) {
        throw new VectorConfigurationError(`@VectorIndex on ${specs[0]!.subject} is not on a @VectorColumn; add @VectorColumn(N) to the property.`);
      }
      const { capabilities } = indexSupport(dialect);
      for (const spec of specs) {
        const { subject, strict, ...request } = spec;
        const definition = resolveIndexDefinition(dialect, { ...request, table: entity.tablePath, column: column.databaseName, dimensions: vectorSpec.dimensions });
        if (vectorSpec.nullable && capabilities.requiresNotNull) {
          throw new VectorConfigurationError(
            `@VectorIndex on ${subject} needs a NOT NULL column because ${capabilities.requiresNotNull}; remove nullable: true from its @VectorColumn.`,
          );
        }
        if (capabilities.kinds[definition.kind]?.isTableIndex) registerUnsynchronizedIndex(dataSource, entity, column, definition.name);
        attached.push({ definition, entity, column, strict });
      }
    }
    const max = dialect.capabilities.indexes?.maxIndexesPerTable;
    if (max !== undefined && attached.length > max) {
      throw new VectorConfigurationError(
        `${entity.name} declares ${attached.length} @VectorIndex but ${dialect.capabilities.name} allows ${max} vector index per table; keep one @VectorIndex on ${entity.name}.`,
      );
    }
    attachedByEntity.set(entity, attached);
  }
}

/**
 * The vector indexes declared on an entity, as attached for its DataSource's backend.
 *
 * @example
 * vectorIndexesOf(dataSource.getMetadata(Doc)).map((i) => i.definition.name); // ['doc_embedding_hnsw_cosine']
 */
export function vectorIndexesOf(entity: EntityMetadata): readonly AttachedVectorIndex[] {
  return attachedByEntity.get(entity) ?? [];
}
