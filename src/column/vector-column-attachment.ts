import type { DataSource } from 'typeorm';
import { validateDimensions } from '../codecs';
import type { VectorDialect } from '../dialects';
import { setColumnStorage } from '../typeorm-internals';
import { findVectorColumn } from './vector-column-registry';
import { vectorTransformer } from './vector-transformer';

/**
 * Gives each `@VectorColumn` of `dataSource`'s entities `dialect`'s column type and codec, checking
 * its dimensions against the backend's limit. Returns whether any entity has a vector column.
 *
 * @example
 * attachVectorColumns(dataSource, dialectOf(dataSource)); // called by VectorDataSource while it initializes
 */
export function attachVectorColumns(dataSource: DataSource, dialect: VectorDialect): boolean {
  const { name, maxDimensions, column: columnType } = dialect.capabilities;
  let found = false;
  for (const entity of dataSource.entityMetadatas) {
    for (const column of entity.columns) {
      const spec = findVectorColumn(column.target, column.propertyName);
      if (!spec) continue;
      found = true;
      validateDimensions(spec.dimensions, maxDimensions, spec.subject, name);
      setColumnStorage(column, {
        type: columnType.type,
        length: columnType.withLength ? String(spec.dimensions) : '',
        transformer: vectorTransformer(spec, dialect.codec, { table: entity.tablePath, column: column.databaseName }),
      });
    }
  }
  return found;
}
