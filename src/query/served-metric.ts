import type { EntityMetadata } from 'typeorm';
import { vectorIndexesOf } from '../column/vector-index-attachment';
import type { CatalogVectorIndex } from '../dialects';
import { INDEX_STORAGE_METRICS, type VectorMetric } from '../vocabulary';

/**
 * The catalog's vector indexes, each with the metric it serves: an index whose storage orders by
 * its own metric (`binary`: Hamming distance on binary codes) serves, by re-ranking, the metric
 * its `@VectorIndex` declares; one no `@VectorIndex` declares (made by `createVectorIndex` or by
 * hand) serves `queryMetric`, the metric the query re-ranks by, and comes after every other index
 * (an index of the query's own metric is read first).
 *
 * @example
 * withServedMetrics(indexes, dataSource.getMetadata(Doc), 'cosine'); // [{ name: 'doc_embedding_hnsw_cosine', storage: 'binary', metric: 'cosine', ... }]
 */
export function withServedMetrics(indexes: readonly CatalogVectorIndex[], entity: EntityMetadata, queryMetric: VectorMetric): CatalogVectorIndex[] {
  if (indexes.length === 0) return [];
  const declared = vectorIndexesOf(entity);
  const served = indexes.map((index) => {
    if (!index.storage || !INDEX_STORAGE_METRICS[index.storage]) return { index, undeclared: false };
    const attached = declared.find((each) => each.definition.name === index.name && each.definition.storage === index.storage);
    return attached ? { index: { ...index, metric: attached.definition.metric }, undeclared: false } : { index: { ...index, metric: queryMetric }, undeclared: true };
  });
  return [...served.filter((each) => !each.undeclared), ...served.filter((each) => each.undeclared)].map((each) => each.index);
}
