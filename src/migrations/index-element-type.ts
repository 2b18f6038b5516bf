import type { DataSource, QueryRunner } from 'typeorm';
import { findVectorColumn } from '../column/vector-column-registry';
import { checkIndexTarget, elementTypeOfColumnType, type VectorColumnInfo, type VectorDialect } from '../dialects';
import { VectorConfigurationError } from '../errors';
import { tableParts, type EscapeIdentifier, type VectorElementType, type VectorIndexRequest } from '../vocabulary';
import { queryRows } from './run-statements';

/** Where an index request's element type came from, for the message when the column disagrees. */
export type ElementTypeSource = 'given' | 'entity' | 'column' | 'default';

/**
 * The element type of `table.column` as an entity of `dataSource` declares it with
 * `@VectorColumn(N, { type })`, or undefined when no entity maps that column.
 *
 * @example
 * entityElementType(dataSource, 'doc', 'half'); // 'float16'
 */
export function entityElementType(dataSource: DataSource, table: string, column: string): VectorElementType | undefined {
  const bare = tableParts(table).name;
  for (const entity of dataSource.entityMetadatas) {
    if (entity.tablePath !== table && entity.tableName !== bare) continue;
    const found = entity.columns.find((c) => c.databaseName === column);
    const spec = found ? findVectorColumn(found.target, found.propertyName) : undefined;
    if (spec) return spec.type;
  }
  return undefined;
}

/**
 * The element type of the column in the database, where its type says it (`halfvec` is float16; a
 * SQLite `BLOB` says nothing), or undefined.
 *
 * @example
 * await columnElementType(queryRunner, postgresDialect, 'doc', 'hash', escape); // 'bit'
 */
export async function columnElementType(queryRunner: QueryRunner, dialect: VectorDialect, table: string, column: string, escape: EscapeIdentifier): Promise<VectorElementType | undefined> {
  const { introspection } = dialect;
  if (!introspection.column || !introspection.readColumn) return undefined;
  const { sql, parameters } = introspection.column(table, column, escape);
  const info = introspection.readColumn(await queryRows(queryRunner, sql, parameters));
  return info?.type === undefined ? undefined : elementTypeOfColumnType(dialect, info.type);
}

/**
 * `request` with its element type filled in when it names none: the one its entity's
 * `@VectorColumn` declares, else (with a query runner) the one the column's database type says,
 * else float32. Only a catalog read runs, and only after the table and column are validated.
 *
 * @example
 * const { request: full, source } = await withElementType(dataSource, postgresDialect, { table: 'doc', column: 'hash', metric: 'hamming' }, escape, queryRunner);
 * // full.elementType === 'bit'
 */
export async function withElementType(
  dataSource: DataSource,
  dialect: VectorDialect,
  request: VectorIndexRequest,
  escape: EscapeIdentifier,
  queryRunner?: QueryRunner,
): Promise<{ request: VectorIndexRequest; source: ElementTypeSource }> {
  if (typeof request === 'object' && request !== null && request.elementType !== undefined) return { request, source: 'given' };
  const { table, column } = checkIndexTarget(dialect, request);
  const declared = entityElementType(dataSource, table, column);
  if (declared) return { request: { ...request, elementType: declared }, source: 'entity' };
  const stored = queryRunner ? await columnElementType(queryRunner, dialect, table, column, escape) : undefined;
  return stored ? { request: { ...request, elementType: stored }, source: 'column' } : { request, source: 'default' };
}

/**
 * Throws when the column's database type holds another element type than the index asks for (an
 * operator class of the wrong type would fail inside the database with a cryptic error).
 *
 * @example
 * checkColumnElementType(postgresDialect, info, 'float32', 'given', 'doc.half'); // throws: doc.half is halfvec (float16 vectors) ...
 */
export function checkColumnElementType(dialect: VectorDialect, info: VectorColumnInfo, elementType: VectorElementType, source: ElementTypeSource, subject: string): void {
  const stored = info.type === undefined ? undefined : elementTypeOfColumnType(dialect, info.type);
  if (stored === undefined || stored === elementType) return;
  const asked = { given: `elementType is '${elementType}'`, entity: `its @VectorColumn says type '${elementType}'`, column: `elementType is '${elementType}'`, default: `no elementType was given (float32 assumed)` }[source];
  throw new VectorConfigurationError(`Column ${subject} is ${info.type} (${stored} vectors) but ${asked}; pass elementType: '${stored}' or change the column's type first.`);
}
