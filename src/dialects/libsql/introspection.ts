import { tableParts, type VectorMetric } from '../../vocabulary';
import type { CatalogVectorIndex, VectorIntrospection } from '../dialect';
import { sqliteIntrospection } from '../shared/sqlite-catalog';

/** Every libSQL vector index of the database, as rows `{ name, definition }`. */
const VECTOR_INDEXES =
  "SELECT name, sql AS definition, (SELECT json_group_object(c.name, c.type) FROM pragma_table_info(m.tbl_name) c) AS column_types FROM sqlite_master m WHERE type = 'index' AND sql LIKE '%libsql_vector_idx%'";
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
  readVectorIndexes: (rows) => rows.map((row) => parseVectorIndex(String(row.name), String(row.definition ?? ''), columnTypes(row.column_types))),
};

/** libSQL's index parameter names by `@VectorIndex` option name. */
const OPTION_NAMES: Readonly<Record<string, string>> = { max_neighbors: 'maxNeighbors', compress_neighbors: 'compressNeighbors' };

/** The table's column types by name, from the listing's JSON (empty when the row has none). */
function columnTypes(raw: unknown): Record<string, string> {
  if (typeof raw !== 'string') return {};
  const parsed: unknown = JSON.parse(raw);
  return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
}

/**
 * Reads the column, metric and settings of a `CREATE INDEX ... (libsql_vector_idx(col, 'metric=...', ...))`
 * statement; a cosine index of an `F1BIT_BLOB` column orders by Hamming distance.
 */
function parseVectorIndex(name: string, definition: string, types: Readonly<Record<string, string>> = {}): CatalogVectorIndex {
  const match = INDEX_CALL.exec(definition);
  if (!match) return { name, definition };
  const column = match[1]?.replace(/""/g, '"') ?? match[2] ?? match[3] ?? match[4]!;
  const parameters = [...(match[5] ?? '').matchAll(/'\s*([a-z_]+)\s*=\s*([^']*?)\s*'/gi)].map(([, key, value]) => [key!.toLowerCase(), value!.toLowerCase()] as const);
  const metric = parameters.find(([key]) => key === 'metric')?.[1];
  // libSQL's default metric is cosine; 'cos' is its short spelling.
  const cosine: VectorMetric = /^F1BIT_BLOB\b/i.test(types[column] ?? '') ? 'hamming' : 'cosine';
  const normalized: VectorMetric | undefined = metric === undefined || metric === 'cos' || metric === 'cosine' ? cosine : metric === 'l2' ? 'l2' : undefined;
  if (!normalized) return { name, definition, column, kind: 'diskann' };
  // An unset max_neighbors is libSQL's default for the column's dimensions (libsqlDdl.existingIndex.settingDefault);
  // unset compress_neighbors stores neighbours as the column's own float32.
  const settings: Record<string, number | string | undefined> = { maxNeighbors: undefined, compressNeighbors: 'float32' };
  for (const [key, value] of parameters) {
    if (key === 'metric' || key === 'type') continue;
    const option = OPTION_NAMES[key] ?? key;
    settings[option] = /^\d+$/.test(value) ? Number(value) : value;
  }
  return { name, definition, column, kind: 'diskann', metric: normalized, meaning: { kind: 'diskann', column, metric: normalized, settings } };
}
