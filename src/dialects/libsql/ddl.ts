import { escapeTable, type EscapeIdentifier } from '../../vocabulary';
import type { ColumnDimensionChange, VectorDdl } from '../dialect';

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
  afterTableRebuild(index, escape, existing) {
    // DROP TABLE drops the index with it; TypeORM's copy of the table does not bring it back.
    return existing ? [existing.definition] : libsqlDdl.createIndex(index, escape);
  },
  dropIndex(index, escape) {
    return [`DROP INDEX ${escape(index.name)}`];
  },
  prepareDimensionCopy(change, escape) {
    if (change.to === undefined) return [];
    // F32_BLOB(N) does not check N: TypeORM's table copy would keep the old vectors as they are.
    if (change.nullable) return [`UPDATE ${escapeTable(change.table, escape)} SET ${escape(change.column)} = NULL WHERE ${otherDimensions(change, escape)}`];
    return [libsqlDimensionGuard(change, escape)];
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

/** The rows whose vector is not a float32 BLOB of `change.to` dimensions (4 bytes each). */
function otherDimensions(change: ColumnDimensionChange, escape: EscapeIdentifier): string {
  const column = escape(change.column);
  return `${column} IS NOT NULL AND (typeof(${column}) <> 'blob' OR length(${column}) <> ${4 * change.to!})`;
}

/**
 * A SELECT that fails, naming up to ten rows by primary key (else rowid), when a vector of the
 * column does not have `change.to` dimensions. SQLite has no RAISE outside triggers: the message is
 * made the path of a `json_extract`, which fails with it (`bad JSON path: '<message>'`).
 */
function libsqlDimensionGuard(change: ColumnDimensionChange, escape: EscapeIdentifier): string {
  const table = escapeTable(change.table, escape);
  const other = otherDimensions(change, escape);
  const keys = change.primaryColumns.length ? change.primaryColumns.map(escape).join(` || '/' || `) : 'rowid';
  const keyName = change.primaryColumns.length ? change.primaryColumns.join('/') : 'rowid';
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const message =
    `${literal(`${change.table}.${change.column} has `)} || n || ${literal(` rows whose vectors do not have ${change.to} dimensions (${keyName} `)} || keys || ` +
    `CASE WHEN n > 10 THEN ', ...' ELSE '' END || '); re-embed them, delete them or set them to NULL, then run this again.'`;
  return (
    `SELECT json_extract('{}', ${message}) FROM (SELECT count(*) AS n, ` +
    `(SELECT group_concat(k, ', ') FROM (SELECT ${keys} AS k FROM ${table} WHERE ${other} LIMIT 10)) AS keys FROM ${table} WHERE ${other}) WHERE n > 0`
  );
}
