import type { DataSource } from 'typeorm';
import { adoptVectorIndexName, vectorIndexesOf } from '../column/vector-index-attachment';
import { indexDifferences, type VectorDialect } from '../dialects';
import { serverIndexDefaults, vectorIndexesOnTable } from './vector-catalog-reader';

/**
 * Adopts existing indexes for unnamed `@VectorIndex`es: where no index has the default name but an
 * index on the same column means the same (kind, metric, settings with the backend's defaults filled
 * in), the `@VectorIndex` takes that index's name, so the schema diff builds nothing and searches
 * that name the index read the existing one. A `@VectorIndex` with `name:` keeps its name.
 *
 * @example
 * await adoptExistingVectorIndexes(dataSource, dialect); // VectorDataSource runs it while it initializes
 */
export async function adoptExistingVectorIndexes(dataSource: DataSource, dialect: VectorDialect): Promise<void> {
  const entities = dataSource.entityMetadatas.filter((entity) => vectorIndexesOf(entity).some((index) => !index.named));
  if (!entities.length || !dataSource.isInitialized) return;
  const queryRunner = dataSource.createQueryRunner();
  try {
    const serverDefaults = await serverIndexDefaults(queryRunner, dialect);
    for (const entity of entities) {
      const catalog = await vectorIndexesOnTable(dataSource, queryRunner, dialect, entity.tablePath, serverDefaults);
      const claimed = new Set(vectorIndexesOf(entity).map((index) => index.definition.name));
      for (const index of vectorIndexesOf(entity)) {
        if (index.named || catalog.some((existing) => existing.name === index.definition.name)) continue;
        const same = catalog.find((existing) => !claimed.has(existing.name) && indexDifferences(dialect, existing, index.definition).length === 0);
        if (!same) continue;
        claimed.add(same.name);
        adoptVectorIndexName(index, same.name);
      }
    }
  } finally {
    await queryRunner.release();
  }
}
