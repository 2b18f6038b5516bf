import type { DataSource, QueryRunner } from 'typeorm';
import { checkIndexDimensions, dialectOf, indexSupport, resolveIndexDefinition, type VectorDialect } from '../dialects';
import { VectorConfigurationError, VectorMigrationError } from '../errors';
import { dataSourceOf, escapeIdentifier } from '../typeorm-internals';
import type { EscapeIdentifier, VectorIndexDefinition, VectorIndexRequest } from '../vocabulary';
import { checkColumnElementType, entityElementType, withElementType, type ElementTypeSource } from './index-element-type';
import { queryRows, runStatements } from './run-statements';

/**
 * The statements that create and drop one vector index.
 *
 * @example
 * const { up, down }: VectorIndexSql = vectorIndexSql(dataSource, { table: 'document', column: 'embedding', metric: 'l2' });
 */
export interface VectorIndexSql {
  up: string[];
  down: string[];
}

/**
 * The SQL `createVectorIndex` and `dropVectorIndex` run for `request` on `dataSource`'s backend,
 * without touching the database (for review, or to paste into a migration). Without
 * `elementType`, the one the entity's `@VectorColumn` declares for that column is used.
 *
 * @example
 * vectorIndexSql(dataSource, { table: 'document', column: 'embedding', metric: 'cosine' });
 * // { up: ['CREATE INDEX "document_embedding_hnsw_cosine" ON "document" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64)'],
 * //   down: ['DROP INDEX "document_embedding_hnsw_cosine"'] }
 */
export function vectorIndexSql(dataSource: DataSource, request: VectorIndexRequest): VectorIndexSql {
  const dialect = dialectOf(dataSource);
  const declared = typeof request === 'object' && request !== null && request.elementType === undefined ? entityElementType(dataSource, String(request.table), String(request.column)) : undefined;
  return definitionSql(dialect, resolveIndexDefinition(dialect, declared ? { ...request, elementType: declared } : request), escapeOf(dataSource));
}

/**
 * Creates a vector index in a migration's `up`. PostgreSQL: `hnsw` (m, efConstruction) or
 * `ivfflat` (lists) with the operator class of the metric; MariaDB: `CREATE VECTOR INDEX ... M=16
 * DISTANCE=...`; libSQL: `libsql_vector_idx(...)`; SQLite: a `vec0` virtual table kept in step by
 * triggers. Every option is validated and the column checked (exists, dimensions within the index
 * limit, NOT NULL where required; filter columns exist and are NOT NULL) before anything is written.
 * Without `elementType`, the element type (and so the operator class: `halfvec_cosine_ops`,
 * `bit_hamming_ops`, ...) is the one the entity's `@VectorColumn` declares, else the one the
 * column's database type says (`halfvec`, `bit`, `sparsevec`); a given `elementType` the column's
 * type contradicts is refused.
 *
 * @example
 * async up(queryRunner: QueryRunner) {
 *   await createVectorIndex(queryRunner, { table: 'document', column: 'embedding', metric: 'cosine', m: 16, efConstruction: 64 });
 * }
 *
 * @example
 * // SQLite: a vec0 table that also holds tenant_id (its partition key) and category, for filters inside the KNN query.
 * await createVectorIndex(queryRunner, {
 *   table: 'chunk', column: 'embedding', metric: 'cosine', dimensions: 384,
 *   filterColumns: [{ column: 'tenant_id', type: 'integer' }, { column: 'category', type: 'varchar' }], partitionKey: 'tenant_id',
 * });
 */
export async function createVectorIndex(queryRunner: QueryRunner, request: VectorIndexRequest): Promise<void> {
  const dataSource = dataSourceOf(queryRunner);
  const dialect = dialectOf(dataSource);
  const typed = await withElementType(dataSource, dialect, request, escapeOf(dataSource), queryRunner);
  const resolved = resolveIndexDefinition(dialect, typed.request);
  refuseConcurrentlyInTransaction(queryRunner, resolved);
  const definition = await checkColumn(queryRunner, dialect, resolved, typed.source);
  const { up } = definitionSql(dialect, definition, escapeOf(dataSource));
  await runStatements(queryRunner, up, `Creating vector index '${definition.name}'`, 'check the table, the column and the index options');
}

/**
 * Drops exactly what `createVectorIndex` made with the same options (for `vec0`, its triggers and
 * virtual table), in a migration's `down`.
 *
 * @example
 * async down(queryRunner: QueryRunner) {
 *   await dropVectorIndex(queryRunner, { table: 'document', column: 'embedding', metric: 'cosine' });
 * }
 */
export async function dropVectorIndex(queryRunner: QueryRunner, request: VectorIndexRequest): Promise<void> {
  const dataSource = dataSourceOf(queryRunner);
  const dialect = dialectOf(dataSource);
  const definition = resolveIndexDefinition(dialect, (await withElementType(dataSource, dialect, request, escapeOf(dataSource), queryRunner)).request);
  refuseConcurrentlyInTransaction(queryRunner, definition);
  const { ddl } = indexSupport(dialect);
  await runStatements(queryRunner, ddl.dropIndex(definition, escapeOf(dataSource)), `Dropping vector index '${definition.name}'`, 'check that it exists (pass the same options as to createVectorIndex)');
}

/**
 * Create and drop statements of a validated definition (the dimensions checked when the kind needs them).
 *
 * @example
 * definitionSql(postgresDialect, resolveIndexDefinition(postgresDialect, request), escape).down; // ['DROP INDEX "document_embedding_hnsw_cosine"']
 */
export function definitionSql(dialect: VectorDialect, definition: VectorIndexDefinition, escape: EscapeIdentifier): VectorIndexSql {
  const { capabilities, ddl } = indexSupport(dialect);
  if (capabilities.kinds[definition.kind]?.requiresDimensions && definition.dimensions === undefined) {
    throw new VectorConfigurationError(
      `A ${dialect.capabilities.name} '${definition.kind}' index needs the vector size and ${definition.table}.${definition.column} does not record it; pass dimensions: N (the @VectorColumn size).`,
    );
  }
  return { up: ddl.createIndex(definition, escape), down: ddl.dropIndex(definition, escape) };
}

/** CREATE/DROP INDEX CONCURRENTLY cannot run inside a transaction block (PostgreSQL). */
function refuseConcurrentlyInTransaction(queryRunner: QueryRunner, definition: VectorIndexDefinition): void {
  if (definition.settings.concurrently && queryRunner.isTransactionActive) {
    throw new VectorConfigurationError(
      `Index '${definition.name}' uses concurrently: true but the migration runs in a transaction; add \`transaction = false\` to the migration class or drop concurrently.`,
    );
  }
}

async function checkColumn(queryRunner: QueryRunner, dialect: VectorDialect, definition: VectorIndexDefinition, typeSource: ElementTypeSource): Promise<VectorIndexDefinition> {
  const { capabilities } = indexSupport(dialect);
  const { introspection } = dialect;
  if (!introspection.column || !introspection.readColumn) return definition;
  const subject = `${definition.table}.${definition.column}`;
  const { sql, parameters } = introspection.column(definition.table, definition.column, escapeOf(dataSourceOf(queryRunner)));
  const info = introspection.readColumn(await queryRows(queryRunner, sql, parameters));
  if (!info) {
    throw new VectorMigrationError(`Column ${subject} does not exist; create the table and its vector column before the index (createVectorIndex after CREATE TABLE in up()).`);
  }
  checkColumnElementType(dialect, info, definition.elementType, typeSource, subject);
  if (info.nullable && capabilities.requiresNotNull) {
    throw new VectorMigrationError(
      `Column ${subject} is nullable but ${capabilities.requiresNotNull}; declare it NOT NULL (@VectorColumn(N) without nullable: true) before creating the index.`,
    );
  }
  for (const { column } of definition.filterColumns) {
    const query = introspection.column(definition.table, column, escapeOf(dataSourceOf(queryRunner)));
    const filterInfo = introspection.readColumn(await queryRows(queryRunner, query.sql, query.parameters));
    if (!filterInfo) {
      throw new VectorMigrationError(`Filter column ${definition.table}.${column} does not exist; create it before the index, or leave it out of filterColumns.`);
    }
    if (filterInfo.nullable) {
      throw new VectorMigrationError(`Filter column ${definition.table}.${column} is nullable, and a vector index's filter columns must be NOT NULL; declare it NOT NULL or leave it out of filterColumns.`);
    }
  }
  if (info.dimensions === undefined) return definition;
  if (definition.dimensions !== undefined && definition.dimensions !== info.dimensions) {
    throw new VectorConfigurationError(`dimensions ${definition.dimensions} does not match column ${subject}, which has ${info.dimensions}; omit dimensions or pass ${info.dimensions}.`);
  }
  checkIndexDimensions(dialect, definition.kind, info.dimensions, subject, definition.elementType, definition.storage);
  return { ...definition, dimensions: info.dimensions };
}

/**
 * The identifier quoting of a DataSource's driver, as the dialects' DDL and catalog queries take it,
 * with the quote character doubled inside names on every TypeORM line.
 *
 * @example
 * escapeOf(dataSource)('embedding'); // '"embedding"' on PostgreSQL, '`embedding`' on MariaDB
 */
export function escapeOf(dataSource: DataSource): EscapeIdentifier {
  return escapeIdentifier(dataSource);
}
