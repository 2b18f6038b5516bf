import type { DataSource, DataSourceOptions } from 'typeorm';
import { parsePgvectorText, toPgvectorText } from '../codecs';
import { VectorValueError } from '../errors';
import { postgresIndexes } from './postgres-index';
import type { ConnectionSetup, VectorDialect, VectorMetric } from './dialect';

const OPERATORS: Record<VectorMetric, string> = { l2: '<->', cosine: '<=>', inner_product: '<#>', l1: '<+>' };

/**
 * PostgreSQL with pgvector 0.8: `vector(N)` columns, text-encoded parameters, the `<->`, `<=>`,
 * `<#>` (negative inner product) and `<+>` operators.
 *
 * @example
 * postgresDialect.distanceSql('cosine', '"doc"."embedding"', 'CAST($1 AS vector)');
 * // ("doc"."embedding" <=> CAST($1 AS vector))
 */
export const postgresDialect: VectorDialect = {
  name: 'PostgreSQL (pgvector)',
  maxDimensions: 16000,
  metrics: ['l2', 'cosine', 'inner_product', 'l1'],
  columnType: (dimensions) => ({ type: 'vector', length: dimensions }),
  encode: toPgvectorText,
  decode(raw, subject) {
    if (raw instanceof Float32Array) return raw;
    if (typeof raw === 'string') return parsePgvectorText(raw, subject);
    if (Array.isArray(raw)) return Float32Array.from(raw as number[]);
    throw new VectorValueError(`${subject} returned a ${typeof raw} instead of pgvector text; is the column of type vector?`);
  },
  parameterSql: (placeholder) => `CAST(${placeholder} AS vector)`,
  distanceSql: (metric, columnSql, vectorSql) => `(${columnSql} ${OPERATORS[metric]} ${vectorSql})`,
  setUpConnection: parseVectorsInDriver,
  indexes: postgresIndexes,
  installVectorType: createExtensionOnConnect,
  declaredColumnTypes: (table) => ({
    sql:
      'SELECT a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type FROM pg_catalog.pg_attribute a ' +
      'JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ' +
      'WHERE n.nspname = COALESCE($1::text, current_schema()) AND c.relname = $2 AND a.attnum > 0 AND NOT a.attisdropped',
    parameters: [table.schema ?? null, table.tableName],
  }),
};

type TypeParser = (text: string) => unknown;
interface PgTypes {
  getTypeParser(oid: number, format?: string): TypeParser;
}

/**
 * Makes the pg driver parse `vector` values itself (into Float32Array). TypeORM's PostgreSQL driver
 * turns vector text into `number[]` and then skips column transformers, so without this the
 * `as: 'float32array'` option and float32 rounding would be lost on PostgreSQL.
 */
function parseVectorsInDriver(options: DataSourceOptions): ConnectionSetup {
  const vectorOids = new Set<number>();
  const extra = (options as { extra?: Record<string, unknown> }).extra ?? {};
  const fallback = (extra.types as PgTypes | undefined) ?? (require('pg') as { types: PgTypes }).types;
  const types: PgTypes = {
    getTypeParser: (oid, format) =>
      vectorOids.has(oid) ? (text: string) => parsePgvectorText(text, 'A vector value') : fallback.getTypeParser(oid, format),
  };
  return {
    options: { ...options, extra: { ...extra, types } } as DataSourceOptions,
    async afterInitialize(dataSource: DataSource) {
      const rows: Array<{ oid: number | string }> = await dataSource.query(`SELECT oid FROM pg_type WHERE typname = 'vector'`);
      for (const row of rows) vectorOids.add(Number(row.oid));
    },
  };
}

/**
 * What TypeORM 0.3.27+ and 1.x do on connect when entities have vector columns: `CREATE EXTENSION
 * IF NOT EXISTS "vector"`, unless `installExtensions: false`; a failure (no privilege) is logged as
 * a warning, as TypeORM does, and the extension must then be installed by hand.
 */
async function createExtensionOnConnect(dataSource: DataSource): Promise<void> {
  if ((dataSource.options as { installExtensions?: boolean }).installExtensions === false) return;
  try {
    await dataSource.query('CREATE EXTENSION IF NOT EXISTS "vector"');
  } catch (error) {
    dataSource.logger.log(
      'warn',
      `typeorm-vector could not run CREATE EXTENSION IF NOT EXISTS "vector" (${error instanceof Error ? error.message : String(error)}); install pgvector in this database as a superuser.`,
    );
  }
}
