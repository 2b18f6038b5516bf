import type { CatalogVectorIndex, VectorDialect } from '../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { isPlainIdentifier, type IndexedFilterColumn } from '../vocabulary';
import { candidateIndex } from './candidate-strategy';
import { EXACT, exactWithoutIndex } from './exact-strategies';
import type { NearestStrategy } from './nearest-search';
import { plannerIndex } from './planner-strategy';
import { rerankIndex } from './rerank-strategy';
import type { PreparedQueryVector } from './query-vector';

export type { Nearest, NearestOutcome, NearestSearch, NearestStrategy } from './nearest-search';
export { EXACT, exactWithoutIndex } from './exact-strategies';
export { plannerIndex } from './planner-strategy';
export { rerankIndex } from './rerank-strategy';
export { candidateIndex, nextK } from './candidate-strategy';

/**
 * The strategy `findNearest` uses for a column and metric, following `useIndex`: unset reads an
 * index serving the metric when the column has one (else an exact search), `true` requires one, a
 * name picks it (where queries name their index), `false` forces an exact search. `indexes` are
 * the column's vector indexes from the catalog.
 *
 * @example
 * chooseNearestStrategy(dialect, 'doc.embedding', 'cosine', undefined, indexes); // vector_top_k on libSQL
 */
export function chooseNearestStrategy(
  dialect: VectorDialect,
  subject: string,
  vector: PreparedQueryVector,
  useIndex: unknown,
  indexes: readonly CatalogVectorIndex[],
  filterColumnsOf: (index: CatalogVectorIndex) => Readonly<Record<string, IndexedFilterColumn>> = () => ({}),
): NearestStrategy {
  checkUseIndex(useIndex);
  if (useIndex === false) return exactWithoutIndex(dialect);
  const pathOf = (index: CatalogVectorIndex) => (index.kind ? dialect.capabilities.indexes?.kinds[index.kind]?.search : undefined);
  const strategyOf = (index: CatalogVectorIndex) => {
    if (index.storage && dialect.sql.rerankCandidates?.[index.storage]) return rerankIndex(dialect, index, index.storage);
    const path = pathOf(index)!;
    return path.kind === 'candidates' ? candidateIndex(dialect, index, path, filterColumnsOf(index)) : plannerIndex(dialect, index);
  };
  const usable = indexes.filter((index) => pathOf(index));
  if (typeof useIndex === 'string') {
    if (!Object.values(dialect.capabilities.indexes?.kinds ?? {}).some((kind) => kind.search.kind === 'candidates' && kind.search.namesIndex)) {
      throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} picks its vector indexes itself, so findNearest cannot name one; leave useIndex unset.`);
    }
    const named = usable.find((index) => index.name === useIndex);
    if (!named) {
      throw new VectorConfigurationError(`findNearest useIndex '${useIndex}' is not a vector index on ${subject}; use one of: ${usable.map((i) => i.name).join(', ') || '(none)'}.`);
    }
    if (named.metric !== vector.metric) {
      throw new VectorConfigurationError(`Vector index '${useIndex}' orders by '${named.metric}' distance, not '${vector.metric}'; pass metric: '${named.metric}' or another index.`);
    }
    return strategyOf(named);
  }
  const matching = usable.find((index) => index.metric === vector.metric);
  if (matching) return strategyOf(matching);
  if (useIndex === true) {
    throw new VectorConfigurationError(`${subject} has no vector index for '${vector.metric}' distance; create one or leave useIndex unset for an exact search.`);
  }
  return EXACT;
}

/**
 * Throws unless `useIndex` is unset, a boolean or a plain index name.
 *
 * @example
 * checkUseIndex('doc; DROP TABLE doc'); // throws VectorConfigurationError
 */
export function checkUseIndex(useIndex: unknown): asserts useIndex is boolean | string | undefined {
  if (useIndex !== undefined && typeof useIndex !== 'boolean' && !isPlainIdentifier(useIndex)) {
    throw new VectorConfigurationError(`findNearest useIndex ${JSON.stringify(useIndex)} is not true, false or an index name; pass e.g. useIndex: 'doc_embedding_idx'.`);
  }
}

