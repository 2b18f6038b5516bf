import type { EntityMetadata } from 'typeorm';
import { vectorIndexesOf } from '../column/vector-index-attachment';
import type { CatalogVectorIndex } from '../dialects';
import { INDEX_STORAGE_METRICS } from '../vocabulary';

/**
 * The catalog's vector indexes, each with the metric it serves: an index whose storage orders by
 * its own metric (`binary`: Hamming distance on binary codes) serves, by re-ranking, the metric
 * its `@VectorIndex` declares; one no `@VectorIndex` declares keeps the catalog's metric.
 *
 * @example
 * withServedMetrics(indexes, dataSource.getMetadata(Doc)); // [{ name: 'doc_embedding_hnsw_cosine', storage: 'binary', metric: 'cosine', ... }]
 */
export function withServedMetrics(indexes: readonly CatalogVectorIndex[], entity: EntityMetadata): CatalogVectorIndex[] {
  const declared = vectorIndexesOf(entity);
  return indexes.map((index) => {
    if (!index.storage || !INDEX_STORAGE_METRICS[index.storage]) return index;
    const attached = declared.find((each) => each.definition.name === index.name && each.definition.storage === index.storage);
    return attached ? { ...index, metric: attached.definition.metric } : index;
  });
}
