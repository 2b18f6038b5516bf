import { escapeTable, type VectorMetric } from '../../vocabulary';
import type { VectorDdl } from '../dialect';

const DISTANCES: Partial<Record<VectorMetric, string>> = { l2: 'euclidean', cosine: 'cosine' };

/**
 * MariaDB's `CREATE VECTOR INDEX ... M=n DISTANCE=...`; no extension to create. SHOW CREATE TABLE
 * keeps no statement, so an existing index is recreated from what it means, its M and DISTANCE
 * written out (the server defaults it was built with included).
 *
 * @example
 * mariadbDdl.createIndex(definition, escape);
 * // ['CREATE VECTOR INDEX `document_embedding_hnsw_cosine` ON `document` (`embedding`) M=16 DISTANCE=cosine']
 */
export const mariadbDdl: VectorDdl = {
  createExtension: [],
  dropExtension: [],
  createIndex(index, escape) {
    return [
      `CREATE VECTOR INDEX ${escape(index.name)} ON ${escapeTable(index.table, escape)} (${escape(index.column)}) M=${index.settings.m} DISTANCE=${DISTANCES[index.metric]!}`,
    ];
  },
  dropIndex(index, escape) {
    return [`DROP INDEX ${escape(index.name)} ON ${escapeTable(index.table, escape)}`];
  },
  existingIndex: {
    recreate(existing, definition, escape) {
      const meaning = existing.meaning;
      if (!meaning || typeof meaning.settings.m !== 'number') return [];
      return mariadbDdl.createIndex({ ...definition, name: existing.name, column: meaning.column, metric: meaning.metric, settings: { m: meaning.settings.m } }, escape);
    },
  },
};
