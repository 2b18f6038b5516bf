import { escapeTable } from '../../vocabulary';
import type { VectorDdl } from '../dialect';

/**
 * libSQL's DiskANN index (`libsql_vector_idx`), as kind `diskann`. The column must be `F32_BLOB(N)`.
 * Every value in the settings literals comes from a fixed list or is a validated integer.
 *
 * @example
 * libsqlDdl.createIndex(definition, escape);
 * // ['CREATE INDEX "document_embedding_diskann_cosine" ON "document" (libsql_vector_idx("embedding", \'metric=cosine\', \'max_neighbors=64\', \'compress_neighbors=float32\'))']
 */
export const libsqlDdl: VectorDdl = {
  createExtension: [],
  dropExtension: [],
  createIndex(index, escape) {
    const settings = [`metric=${index.metric}`, `max_neighbors=${index.settings.maxNeighbors}`, `compress_neighbors=${index.settings.compressNeighbors}`];
    return [
      `CREATE INDEX ${escape(index.name)} ON ${escapeTable(index.table, escape)} (libsql_vector_idx(${escape(index.column)}, ${settings.map((s) => `'${s}'`).join(', ')}))`,
    ];
  },
  afterTableRebuild(index, escape) {
    // DROP TABLE drops the index with it; TypeORM's copy of the table does not bring it back.
    return libsqlDdl.createIndex(index, escape);
  },
  dropIndex(index, escape) {
    return [`DROP INDEX ${escape(index.name)}`];
  },
  existingIndex: {
    // sqlite_master keeps the CREATE INDEX text as it ran.
    recreate: (existing) => [existing.definition],
    settingDefault(key, existing, dimensions) {
      // libSQL's own default (vectordiskann.c): min(3 (floor(sqrt(dims)) + 1), 51) for float32 neighbours.
      if (key !== 'maxNeighbors' || existing.settings.compressNeighbors !== 'float32' || dimensions === undefined) return undefined;
      return Math.min(3 * (Math.floor(Math.sqrt(dimensions)) + 1), 51);
    },
  },
};
