import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { IndexMetadata } from 'typeorm/metadata/IndexMetadata';

/**
 * Tells TypeORM's metadata that index `name` on `column` exists and must not be synchronized, as
 * `@Index(name, { synchronize: false })` would: TypeORM's schema diff then neither drops nor
 * recreates it. Idempotent per name.
 *
 * Touch point: `new IndexMetadata({...}).build(namingStrategy)` pushed into `EntityMetadata#indices`
 * and `#ownIndices` (one array when the entity has no embedded entities) after metadata building.
 *
 * @example
 * registerUnsynchronizedIndex(dataSource, entity, column, 'doc_embedding_hnsw_cosine');
 */
export function registerUnsynchronizedIndex(dataSource: DataSource, entity: EntityMetadata, column: ColumnMetadata, name: string): void {
  if (entity.indices.some((index) => index.name === name)) return;
  const index = new IndexMetadata({
    entityMetadata: entity,
    columns: [column],
    args: { target: entity.target, name, columns: [column.propertyName], synchronize: false },
  });
  index.build(dataSource.namingStrategy);
  entity.indices.push(index);
  // For an entity without embedded entities TypeORM makes `indices` the very array `ownIndices` is.
  if (!entity.ownIndices.includes(index)) entity.ownIndices.push(index);
}
