import { tableParts, type VectorMetric } from '../../vocabulary';
import type { CatalogVectorIndex, VectorIntrospection } from '../dialect';
import { sqliteIntrospection } from '../shared/sqlite-catalog';

/** Every libSQL vector index of the database, as rows `{ name, definition }`. */
const VECTOR_INDEXES = "SELECT name, sql AS definition FROM sqlite_master WHERE type = 'index' AND sql LIKE '%libsql_vector_idx%'";
const INDEX_CALL = /libsql_vector_idx\s*\(\s*(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_]*))\s*((?:,\s*'[^']*'\s*)*)\)/i;

/**
 * libSQL's catalog queries: `sqlite_master` for indexes (their `CREATE INDEX ... libsql_vector_idx(...)`
 * text gives column and metric) and PRAGMA table_info for columns (`F32_BLOB(N)`).
 *
 * @example
 * libsqlIntrospection.readVectorIndexes!([{ name: 'i', definition: "CREATE INDEX i ON t(libsql_vector_idx(e, 'metric=l2'))" }]);
 * // [{ name: 'i', definition: '...', column: 'e', kind: 'diskann', metric: 'l2' }]
 */
export const libsqlIntrospection: VectorIntrospection = {
  ...sqliteIntrospection('index'),
  vectorIndexesOnTable: (table) => ({ sql: `${VECTOR_INDEXES} AND tbl_name = ?`, parameters: [tableParts(table).name] }),
  vectorIndexesInDatabase: { sql: VECTOR_INDEXES, parameters: [] },
  readVectorIndexes: (rows) => rows.map((row) => parseVectorIndex(String(row.name), String(row.definition ?? ''))),
};

/** Reads the column and metric of a `CREATE INDEX ... (libsql_vector_idx(col, 'metric=...'))` statement. */
function parseVectorIndex(name: string, definition: string): CatalogVectorIndex {
  const match = INDEX_CALL.exec(definition);
  if (!match) return { name, definition };
  const column = match[1]?.replace(/""/g, '"') ?? match[2] ?? match[3] ?? match[4]!;
  const metric = /'\s*metric\s*=\s*([a-z0-9_]+)\s*'/i.exec(match[5] ?? '')?.[1]?.toLowerCase();
  // libSQL's default metric is cosine; 'cos' is its short spelling.
  const normalized: VectorMetric | undefined = metric === undefined || metric === 'cos' || metric === 'cosine' ? 'cosine' : metric === 'l2' ? 'l2' : undefined;
  return { name, definition, column, kind: 'diskann', metric: normalized };
}
