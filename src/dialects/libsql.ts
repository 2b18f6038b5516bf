import type { DataSourceOptions } from 'typeorm';
import { decodeFloat32Blob, encodeFloat32Blob } from '../codecs';
import { LibsqlDriver } from '../connection/libsql/libsql-driver';
import { libsqlConnectionOf } from '../connection/libsql/libsql-options';
import { VectorConfigurationError, VectorValueError } from '../errors';
import type { ConnectionSetup, NamedVectorIndex, VectorDialect, VectorMetric } from './dialect';
import { LIBSQL_DEFAULT_COMPRESS_NEIGHBORS, LIBSQL_DEFAULT_MAX_NEIGHBORS, libsqlIndexes } from './libsql-index';

const FUNCTIONS: Partial<Record<VectorMetric, string>> = { l2: 'vector_distance_l2', cosine: 'vector_distance_cos' };
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The `libsql_vector_idx` settings typeorm-vector uses unless told otherwise. libSQL's own
 * defaults (8-bit compressed neighbours, few of them) found 60% of the true 10 nearest neighbours
 * on 20,000 x 128 clustered vectors; 64 uncompressed neighbours found 99.6% at about half the
 * exact-scan latency. The cost is a larger index (each node stores 64 float32 neighbour vectors).
 *
 * @example
 * LIBSQL_INDEX_DEFAULTS.max_neighbors; // 64
 */
export const LIBSQL_INDEX_DEFAULTS: Readonly<Record<string, string | number>> = Object.freeze({
  max_neighbors: LIBSQL_DEFAULT_MAX_NEIGHBORS,
  compress_neighbors: LIBSQL_DEFAULT_COMPRESS_NEIGHBORS,
});

/**
 * The quoted settings list of a `libsql_vector_idx(column, ...)` call: the metric, then
 * `LIBSQL_INDEX_DEFAULTS` overridden by `overrides` (keys and values are validated, never raw SQL).
 *
 * @example
 * libsqlVectorIndexSettings('l2'); // "'metric=l2', 'max_neighbors=64', 'compress_neighbors=float32'"
 * libsqlVectorIndexSettings('cosine', { max_neighbors: 32 }); // "'metric=cosine', 'max_neighbors=32', 'compress_neighbors=float32'"
 */
export function libsqlVectorIndexSettings(metric: VectorMetric, overrides: Readonly<Record<string, string | number>> = {}): string {
  if (!FUNCTIONS[metric]) {
    throw new VectorConfigurationError(`libSQL vector indexes have no '${String(metric)}' metric; use 'l2' or 'cosine'.`);
  }
  const settings = { ...LIBSQL_INDEX_DEFAULTS, ...overrides };
  const parts = [`metric=${metric}`];
  for (const [key, value] of Object.entries(settings)) {
    if (!IDENTIFIER.test(key) || key === 'metric' || !/^[A-Za-z0-9_.]+$/.test(String(value))) {
      throw new VectorConfigurationError(
        `libSQL index setting ${JSON.stringify(key)}=${JSON.stringify(value)} is not a plain name=value pair; use e.g. { max_neighbors: 64 } (pass the metric separately).`,
      );
    }
    parts.push(`${key}=${value}`);
  }
  return parts.map((part) => `'${part}'`).join(', ');
}

/**
 * libSQL (Turso, sqld, local files) through `@libsql/client`: `F32_BLOB(N)` columns, vectors bound
 * as float32 BLOBs read with `vector32(?)`, `vector_distance_l2` and `vector_distance_cos`, and
 * `libsql_vector_idx` indexes queried with `vector_top_k`. No inner product or L1 distance.
 *
 * @example
 * libsqlDialect.distanceSql('cosine', '"doc"."embedding"', libsqlDialect.parameterSql('?'));
 * // vector_distance_cos("doc"."embedding", vector32(?))
 */
export const libsqlDialect: VectorDialect = {
  name: 'libSQL',
  maxDimensions: 65536,
  metrics: ['l2', 'cosine'],
  columnType: (dimensions) => ({ type: 'F32_BLOB' as never, length: dimensions }),
  encode: encodeFloat32Blob,
  decode(raw, subject) {
    if (raw instanceof Uint8Array) return decodeFloat32Blob(raw, subject);
    if (raw instanceof ArrayBuffer) return decodeFloat32Blob(new Uint8Array(raw), subject);
    throw new VectorValueError(`${subject} returned a ${typeof raw} instead of a float32 BLOB; is the column of type F32_BLOB?`);
  },
  parameterSql: (placeholder) => `vector32(${placeholder})`,
  distanceSql: (metric, columnSql, vectorSql) => `${FUNCTIONS[metric]!}(${columnSql}, ${vectorSql})`,
  setUpConnection: installLibsqlDriver,
  nearestIndex: {
    async listIndexes(query, table) {
      const rows: Array<{ name: string; sql: string | null }> = await query(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql LIKE '%libsql_vector_idx%'`,
        [table],
      );
      return rows.flatMap((row) => parseVectorIndex(row.name, row.sql ?? ''));
    },
    candidatesSql(rowSql, index, vectorSql, kSql) {
      if (!IDENTIFIER.test(index)) {
        throw new VectorConfigurationError(`Index name ${JSON.stringify(index)} is not a plain identifier; use letters, digits and underscores.`);
      }
      return `${rowSql} IN (SELECT id FROM vector_top_k('${index}', ${vectorSql}, ${kSql}))`;
    },
    rowIdSql: (alias) => `${alias}.rowid`,
  },
  indexes: libsqlIndexes,
};

function installLibsqlDriver(options: DataSourceOptions): ConnectionSetup {
  const connection = libsqlConnectionOf(options as { driver?: unknown });
  if (!connection) {
    throw new VectorConfigurationError('These DataSource options were not made by libsql(); spread libsql({ url }) into them.');
  }
  return { options, createDriver: (dataSource) => new LibsqlDriver(dataSource, connection) };
}

const INDEX_CALL = /libsql_vector_idx\s*\(\s*(?:"((?:[^"]|"")+)"|`([^`]+)`|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_]*))\s*((?:,\s*'[^']*'\s*)*)\)/i;

/** Reads the column and metric of a `CREATE INDEX ... (libsql_vector_idx(col, 'metric=...'))` statement. */
function parseVectorIndex(name: string, sql: string): NamedVectorIndex[] {
  const match = INDEX_CALL.exec(sql);
  if (!match) return [];
  const column = match[1]?.replace(/""/g, '"') ?? match[2] ?? match[3] ?? match[4]!;
  const metric = /'\s*metric\s*=\s*([a-z0-9_]+)\s*'/i.exec(match[5] ?? '')?.[1]?.toLowerCase();
  // libSQL's default metric is cosine; 'cos' is its short spelling.
  const normalized: VectorMetric | undefined = metric === undefined || metric === 'cos' || metric === 'cosine' ? 'cosine' : metric === 'l2' ? 'l2' : undefined;
  return normalized ? [{ name, column, metric: normalized }] : [];
}
