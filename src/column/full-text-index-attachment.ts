import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { VectorDialect } from '../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { registerUnsynchronizedIndex } from '../typeorm-internals';
import { DEFAULT_TEXT_SEARCH_CONFIG, defaultFullTextIndexName, type FullTextIndexDefinition } from '../vocabulary';
import { findVectorColumn } from './vector-column-registry';
import { findFullTextIndexes } from './full-text-index';

/** A `@FullTextIndex` resolved for one DataSource. */
export interface AttachedFullTextIndex {
  readonly definition: FullTextIndexDefinition;
  /** The indexed columns, in order. */
  readonly columns: readonly ColumnMetadata[];
  /** Entity property paths of the columns, in order. */
  readonly properties: readonly string[];
}

const attachedByEntity = new WeakMap<EntityMetadata, AttachedFullTextIndex[]>();

/**
 * Resolves every `@FullTextIndex` of `dataSource`'s entities to column names and an index
 * definition, refusing properties that are not plain stored columns, and (where the backend lists
 * the index as a table index) tells TypeORM's metadata the index exists so its schema diff leaves
 * it alone.
 *
 * @example
 * attachFullTextIndexes(dataSource, dialectOf(dataSource)); // called by VectorDataSource while it initializes
 */
export function attachFullTextIndexes(dataSource: DataSource, dialect: VectorDialect): void {
  for (const entity of dataSource.entityMetadatas) {
    const specs = findFullTextIndexes(entity.target);
    if (!specs.length) continue;
    const fullText = dialect.fullText;
    if (!fullText) {
      throw new UnsupportedVectorFeatureError(`${specs[0]!.subject} needs full-text search, which typeorm-vector does not offer on ${dialect.capabilities.name}; remove the decorator.`);
    }
    const attached = specs.map((spec): AttachedFullTextIndex => {
      const columns = spec.properties.map((property) => {
        const column = entity.columns.find((c) => c.propertyPath === property);
        const refuse = (why: string) => new VectorConfigurationError(`${spec.subject} lists '${property}', but ${why}; list the property names of text columns.`);
        if (!column) throw refuse(`${entity.name} has no column property '${property}'`);
        if (findVectorColumn(column.target, column.propertyName)) throw refuse('it is a vector column');
        if (column.isVirtual || column.isVirtualProperty) throw refuse('it is not a stored column');
        return column;
      });
      const names = columns.map((column) => column.databaseName);
      const definition: FullTextIndexDefinition = {
        name: spec.name ?? defaultFullTextIndexName(entity.tablePath, names),
        table: entity.tablePath,
        columns: names,
        config: spec.config ?? DEFAULT_TEXT_SEARCH_CONFIG,
      };
      if (fullText.isTableIndex) registerUnsynchronizedIndex(dataSource, entity, columns[0]!, definition.name);
      return { definition, columns, properties: spec.properties };
    });
    attachedByEntity.set(entity, attached);
  }
}

/**
 * The full-text indexes declared on an entity, as attached for its DataSource.
 *
 * @example
 * fullTextIndexesOf(dataSource.getMetadata(Doc)).map((i) => i.definition.name); // ['doc_title_body_fts']
 */
export function fullTextIndexesOf(entity: EntityMetadata): readonly AttachedFullTextIndex[] {
  return attachedByEntity.get(entity) ?? [];
}
