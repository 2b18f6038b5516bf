import { VectorConfigurationError } from '../../errors';
import { escapeTable, type EscapeIdentifier, type VectorIndexDefinition } from '../../vocabulary';
import type { VectorDdl } from '../dialect';
import { OPERATOR_CLASSES, STORAGE_PARAMETERS } from './indexdef';

/** `"schema"."table"@"index"`: how CockroachDB's DROP INDEX names an index. */
function tableIndex(index: Pick<VectorIndexDefinition, 'table' | 'name'>, escape: EscapeIdentifier): string {
  return `${escapeTable(index.table, escape)}@${escape(index.name)}`;
}

/**
 * CockroachDB's vector index (25.2+): `CREATE VECTOR INDEX name ON table (column opclass) WITH
 * (min_partition_size = .., max_partition_size = .., build_beam_size = ..)`, every storage
 * parameter written out so the catalog's definition reads back as what was asked. The VECTOR type
 * is built in: no extension to create (`CREATE EXTENSION vector` is accepted as a no-op, so a
 * migration written for pgvector still runs). Before 25.4 the cluster setting
 * `feature.vector_index.enabled` must be on, and building on a non-empty table needs `SET
 * sql_safe_updates = false` and blocks writes to the table while it builds
 * (cockroachlabs.com/docs/v25.3/vector-indexes, "Enable vector indexes"). CockroachDB checks
 * `max_partition_size >= 4 x min_partition_size`: checked here first.
 *
 * @example
 * cockroachdbDdl.createIndex(definition, escape);
 * // ['CREATE VECTOR INDEX "doc_embedding_cspann_cosine" ON "doc" ("embedding" vector_cosine_ops) WITH (min_partition_size = 16, max_partition_size = 128, build_beam_size = 8)']
 * cockroachdbDdl.dropIndex(definition, escape); // ['DROP INDEX "doc"@"doc_embedding_cspann_cosine"']
 */
export const cockroachdbDdl: VectorDdl = {
  createExtension: [],
  dropExtension: [],
  extensionAdvice: 'use CockroachDB 24.2 or later (VECTOR columns), and 25.2 or later for vector indexes',
  checkDefinition({ settings }) {
    const { minPartitionSize, maxPartitionSize } = settings;
    if (typeof minPartitionSize === 'number' && typeof maxPartitionSize === 'number' && maxPartitionSize < 4 * minPartitionSize) {
      throw new VectorConfigurationError(
        `maxPartitionSize ${maxPartitionSize} is less than 4 x minPartitionSize (${4 * minPartitionSize}); pass maxPartitionSize: ${Math.min(4096, Math.max(128, 4 * minPartitionSize))} or a smaller minPartitionSize.`,
      );
    }
  },
  createIndex(index, escape) {
    const parameters = Object.entries(STORAGE_PARAMETERS).map(([option, parameter]) => `${parameter.name} = ${index.settings[option] ?? parameter.default}`);
    return [`CREATE VECTOR INDEX ${escape(index.name)} ON ${escapeTable(index.table, escape)} (${escape(index.column)} ${OPERATOR_CLASSES[index.metric]!}) WITH (${parameters.join(', ')})`];
  },
  dropIndex: (index, escape) => [`DROP INDEX ${tableIndex(index, escape)}`],
  existingIndex: {
    // Rebuilt from what it means (the catalog's definition names the database, which a migration must not).
    recreate(existing, definition, escape) {
      const meaning = existing.meaning;
      if (!meaning) return [];
      return cockroachdbDdl.createIndex({ ...definition, name: existing.name, column: meaning.column, metric: meaning.metric, settings: { ...meaning.settings } as Record<string, number> }, escape);
    },
  },
};
