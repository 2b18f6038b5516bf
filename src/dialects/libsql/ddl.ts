import { escapeTable, type EscapeIdentifier } from '../../vocabulary';
import type { VectorDdl } from '../dialect';
import { sqliteDimensionChange } from '../shared/sqlite-dimension-change';

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
    // A cosine index of float1bit vectors orders them by Hamming distance (libSQL has no 'metric=hamming').
    const settings = [`metric=${index.metric === 'hamming' ? 'cosine' : index.metric}`, `max_neighbors=${index.settings.maxNeighbors}`, `compress_neighbors=${index.settings.compressNeighbors}`];
    return [
      `CREATE INDEX ${escape(index.name)} ON ${escapeTable(index.table, escape)} (libsql_vector_idx(${escape(index.column)}, ${settings.map((s) => `'${s}'`).join(', ')}))`,
    ];
  },
  afterTableRebuild(index, escape, existing) {
    // DROP TABLE drops the index with it; TypeORM's copy of the table does not bring it back.
    return existing ? [existing.definition] : libsqlDdl.createIndex(index, escape);
  },
  dropIndex(index, escape) {
    return [`DROP INDEX ${escape(index.name)}`];
  },
  // F32_BLOB(N) does not check N: TypeORM's table copy would keep the old vectors as they are.
  prepareDimensionCopy: sqliteDimensionChange,
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
