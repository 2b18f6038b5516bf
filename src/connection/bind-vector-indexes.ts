import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { IndexMetadata } from 'typeorm/metadata/IndexMetadata';
import { findVectorColumn } from '../column/vector-column-registry';
import { findVectorIndexes } from '../column/vector-index-registry';
import { resolveDialect } from '../dialects/resolve';
import { indexSupport, resolveIndexDefinition, type VectorIndexDefinition } from '../dialects/vector-index';
import { VectorConfigurationError } from '../errors';

/** A `@VectorIndex` resolved for one DataSource's backend. */
export interface BoundVectorIndex {
  readonly definition: VectorIndexDefinition;
  readonly entity: EntityMetadata;
  readonly column: ColumnMetadata;
  readonly strict: boolean;
}

const boundByEntity = new WeakMap<EntityMetadata, BoundVectorIndex[]>();

/**
 * Resolves every `@VectorIndex` of `dataSource`'s entities for its backend (validating options
 * against the backend at start-up) and, for indexes the database lists as table indexes, adds a
 * TypeORM index with `synchronize: false` under the same name, so TypeORM's schema diff neither
 * drops nor recreates it.
 *
 * @example
 * bindVectorIndexes(dataSource); // called by VectorDataSource.buildMetadatas()
 */
export function bindVectorIndexes(dataSource: DataSource): void {
  const dialect = resolveDialect(dataSource);
  for (const entity of dataSource.entityMetadatas) {
    const bound: BoundVectorIndex[] = [];
    for (const column of entity.columns) {
      const specs = findVectorIndexes(column.target, column.propertyName);
      if (!specs.length) continue;
      const vectorSpec = findVectorColumn(column.target, column.propertyName);
      if (!vectorSpec) {
        throw new VectorConfigurationError(`@VectorIndex on ${specs[0]!.subject} is not on a @VectorColumn; add @VectorColumn(N) to the property.`);
      }
      const support = indexSupport(dialect);
      for (const spec of specs) {
        const { subject, strict, ...request } = spec;
        const definition = resolveIndexDefinition(dialect, {
          ...request,
          table: entity.tablePath,
          column: column.databaseName,
          dimensions: vectorSpec.dimensions,
        });
        if (vectorSpec.nullable && support.requiresNotNull) {
          throw new VectorConfigurationError(
            `@VectorIndex on ${subject} needs a NOT NULL column because ${support.requiresNotNull}; remove nullable: true from its @VectorColumn.`,
          );
        }
        if (support.kinds[definition.kind]?.isTableIndex && !entity.indices.some((index) => index.name === definition.name)) {
          const index = new IndexMetadata({
            entityMetadata: entity,
            columns: [column],
            args: { target: entity.target, name: definition.name, columns: [column.propertyName], synchronize: false },
          });
          index.build(dataSource.namingStrategy);
          entity.indices.push(index);
          entity.ownIndices.push(index);
        }
        bound.push({ definition, entity, column, strict });
      }
    }
    const max = dialect.indexes?.maxIndexesPerTable;
    if (max !== undefined && bound.length > max) {
      throw new VectorConfigurationError(
        `${entity.name} declares ${bound.length} @VectorIndex but ${dialect.name} allows ${max} vector index per table; keep one @VectorIndex on ${entity.name}.`,
      );
    }
    boundByEntity.set(entity, bound);
  }
}

/**
 * The vector indexes declared on an entity, as bound for its DataSource's backend.
 *
 * @example
 * vectorIndexesOf(dataSource.getMetadata(Doc)).map((i) => i.definition.name); // ['doc_embedding_hnsw_cosine']
 */
export function vectorIndexesOf(entity: EntityMetadata): readonly BoundVectorIndex[] {
  return boundByEntity.get(entity) ?? [];
}
