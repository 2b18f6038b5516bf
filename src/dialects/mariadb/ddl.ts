import { escapeTable, type EscapeIdentifier, type VectorMetric } from '../../vocabulary';
import type { ColumnDimensionChange, VectorDdl } from '../dialect';

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
  alterColumnDimensions(change, escape) {
    if (change.to === undefined) return [];
    const table = escapeTable(change.table, escape);
    const column = escape(change.column);
    const modify = `ALTER TABLE ${table} MODIFY ${column} VECTOR(${change.to}) ${change.nullable ? 'NULL' : 'NOT NULL'}`;
    // MariaDB 11.8 pads a shorter vector with zeros and refuses a longer one only in strict mode:
    // the old vectors are cleared (nullable) or a guard refuses them, before MODIFY sees any.
    if (change.nullable) return [`UPDATE ${table} SET ${column} = NULL WHERE ${otherDimensions(change, escape)}`, modify];
    return [mariadbDimensionGuard(change, escape), modify];
  },
};

/** The rows whose vector (float32, 4 bytes a dimension) does not have `change.to` dimensions. */
function otherDimensions(change: ColumnDimensionChange, escape: EscapeIdentifier): string {
  const column = escape(change.column);
  return `${column} IS NOT NULL AND LENGTH(${column}) <> ${4 * change.to!}`;
}

/**
 * An anonymous block that signals, naming up to ten rows by primary key, when a vector of the
 * column does not have `change.to` dimensions.
 */
function mariadbDimensionGuard(change: ColumnDimensionChange, escape: EscapeIdentifier): string {
  const table = escapeTable(change.table, escape);
  const literal = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
  const keys = change.primaryColumns.length ? `CONCAT_WS('/', ${change.primaryColumns.map(escape).join(', ')})` : "''";
  const keyName = change.primaryColumns.length ? change.primaryColumns.join('/') : 'no primary key';
  return (
    `BEGIN NOT ATOMIC DECLARE n BIGINT; DECLARE k TEXT; DECLARE message VARCHAR(512); ` +
    `SELECT COUNT(*), SUBSTRING_INDEX(GROUP_CONCAT(${keys} SEPARATOR ', '), ', ', 10) INTO n, k FROM ${table} WHERE ${otherDimensions(change, escape)}; ` +
    `IF n > 0 THEN SET message = CONCAT(${literal(`${change.table}.${change.column} has `)}, n, ${literal(` rows whose vectors do not have ${change.to} dimensions (${keyName} `)}, k, IF(n > 10, ', ...', ''), ` +
    `'); re-embed them, delete them or set them to NULL, then run this again.'); SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = message; END IF; END`
  );
}
