import { escapeTable, type VectorMetric } from '../../vocabulary';
import type { VectorDdl } from '../dialect';

const DISTANCES: Partial<Record<VectorMetric, string>> = { l2: 'euclidean', cosine: 'cosine' };

/**
 * MariaDB's `CREATE VECTOR INDEX ... M=n DISTANCE=...`; no extension to create.
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
};
