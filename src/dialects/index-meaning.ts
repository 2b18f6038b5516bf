import { INDEX_STORAGE_METRICS, indexOrderMetric, type VectorIndexDefinition } from '../vocabulary';
import type { CatalogVectorIndex, IndexMeaning, VectorDialect } from './dialect';

/**
 * How an existing index differs in meaning from the one a `@VectorIndex` asks for, one phrase per
 * difference (`m 16 -> 24`), with the backend's defaults filled in on both sides; empty when they
 * mean the same index (whatever their names or the text that created them). An index whose
 * definition the library cannot read (an expression, a partial index) differs by that.
 *
 * @example
 * indexDifferences(postgresDialect, existing, definition); // [] for `USING hnsw (embedding vector_l2_ops)` and { metric: 'l2' }
 * // ['m 16 -> 24'] for the same index and { metric: 'l2', m: 24 }
 */
export function indexDifferences(dialect: VectorDialect, existing: CatalogVectorIndex, definition: VectorIndexDefinition): string[] {
  const meaning = existing.meaning;
  if (!meaning) return [`its definition (${existing.definition}) is not one typeorm-vector can read`];
  const differences: string[] = [];
  const differ = (what: string, from: unknown, to: unknown) => {
    if (from !== to) differences.push(`${what} ${String(from)} -> ${String(to)}`);
  };
  differ('column', meaning.column, definition.column);
  differ('kind', meaning.kind, definition.kind);
  // A binary index orders by Hamming distance whatever metric re-ranks its candidates.
  differ('metric', meaning.metric, indexOrderMetric(definition));
  for (const [key, value] of Object.entries(meaning.settings)) {
    const filled = value ?? dialect.ddl?.existingIndex?.settingDefault?.(key, meaning, definition.dimensions);
    if (!(key in definition.settings)) differences.push(`${key} ${String(filled)} (no @VectorIndex option sets it)`);
    else differ(key, filled ?? `${dialect.capabilities.name}'s default`, definition.settings[key]);
  }
  if (meaning.dimensions !== undefined) differ('dimensions', meaning.dimensions, definition.dimensions);
  differ('storage', meaning.storage ?? 'none', definition.storage ?? 'none');
  if (meaning.elementType !== undefined && !definition.storage) differ('element type', meaning.elementType, definition.elementType);
  if (meaning.filterColumns !== undefined) {
    const list = (columns: IndexMeaning['filterColumns']) => `[${(columns ?? []).map((f) => `${f.column} ${f.type}`).join(', ')}]`;
    differ('filterColumns', list(sortedFilterColumns(meaning.filterColumns, meaning.partitionKey)), list(sortedFilterColumns(definition.filterColumns, definition.partitionKey)));
    differ('partitionKey', meaning.partitionKey ?? 'none', definition.partitionKey ?? 'none');
  }
  return differences;
}

/**
 * The `@VectorIndex` options that declare an existing index as it is (for the warning about an
 * index no `@VectorIndex` declares), or undefined when the library cannot read it. `dimensions`,
 * the column's, fills in defaults that depend on it (libSQL's `max_neighbors`).
 *
 * @example
 * vectorIndexOptionsFor(postgresDialect, existing, 384); // "{ metric: 'cosine', name: 'items_hnsw', m: 24 }"
 */
export function vectorIndexOptionsFor(dialect: VectorDialect, existing: CatalogVectorIndex, dimensions?: number): string | undefined {
  const meaning = existing.meaning;
  const kinds = dialect.capabilities.indexes;
  if (!meaning || !kinds) return undefined;
  const tuning = kinds.kinds[meaning.kind]?.tuning ?? {};
  // A re-ranked index (binary codes) orders by its own metric; the one it re-ranks by is the user's to pick.
  const reranked = meaning.storage !== undefined && INDEX_STORAGE_METRICS[meaning.storage] !== undefined;
  const parts = [reranked ? `metric: 'cosine' /* or another metric to re-rank by */` : `metric: '${meaning.metric}'`];
  if (meaning.kind !== kinds.defaultKind) parts.push(`kind: '${meaning.kind}'`);
  if (meaning.storage) parts.push(`storage: '${meaning.storage}'`);
  parts.push(`name: '${existing.name}'`);
  for (const [key, set] of Object.entries(meaning.settings)) {
    const value = set ?? dialect.ddl?.existingIndex?.settingDefault?.(key, meaning, dimensions);
    const rule = tuning[key];
    if (value === undefined || !rule || value === rule.default) continue;
    parts.push(`${key}: ${typeof value === 'string' ? `'${value}'` : String(value)}`);
  }
  if (meaning.filterColumns?.length) parts.push(`filterColumns: [${meaning.filterColumns.map((f) => `'${f.column}'`).join(', ')}]`);
  if (meaning.partitionKey) parts.push(`partitionKey: '${meaning.partitionKey}'`);
  return `{ ${parts.join(', ')} }`;
}

/** Filter columns as vec0 declares them: the partition key first, then the rest in their order. */
function sortedFilterColumns(columns: IndexMeaning['filterColumns'], partitionKey: string | undefined) {
  const all = columns ?? [];
  return [...all.filter((f) => f.column === partitionKey), ...all.filter((f) => f.column !== partitionKey)];
}
