import type { DataSource, QueryRunner } from 'typeorm';
import type { VectorDialect } from '../dialects/dialect';
import { resolveDialect } from '../dialects/resolve';
import {
  checkIndexDimensions,
  indexSupport,
  resolveIndexDefinition,
  type EscapeIdentifier,
  type VectorIndexDefinition,
  type VectorIndexRequest,
} from '../dialects/vector-index';
import { VectorConfigurationError, VectorMigrationError } from '../errors';
import { queryRows, runStatements } from './run-statements';

/** The statements that create and drop one vector index. */
export interface VectorIndexSql {
  up: string[];
  down: string[];
}

/**
 * The SQL `createVectorIndex` and `dropVectorIndex` run for `request` on `dataSource`'s backend,
 * without touching the database (for review, or to paste into a migration).
 *
 * @example
 * vectorIndexSql(dataSource, { table: 'document', column: 'embedding', metric: 'cosine' });
 * // { up: ['CREATE INDEX "document_embedding_hnsw_cosine" ON "document" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64)'],
 * //   down: ['DROP INDEX "document_embedding_hnsw_cosine"'] }
 */
export function vectorIndexSql(dataSource: DataSource, request: VectorIndexRequest): VectorIndexSql {
  const dialect = resolveDialect(dataSource);
  const definition = resolveIndexDefinition(dialect, request);
  return definitionSql(dialect, definition, escapeOf(dataSource));
}

/**
 * Creates a vector index in a migration's `up`. PostgreSQL: `hnsw` (m, efConstruction) or
 * `ivfflat` (lists) with the operator class of the metric; MariaDB: `CREATE VECTOR INDEX ... M=16
 * DISTANCE=...`; libSQL: `libsql_vector_idx(...)`; SQLite: a `vec0` virtual table kept in step by
 * triggers. Every option is validated and the column checked (exists, dimensions within the index
 * limit, NOT NULL where required) before anything is written.
 *
 * @example
 * async up(queryRunner: QueryRunner) {
 *   await createVectorIndex(queryRunner, { table: 'document', column: 'embedding', metric: 'cosine', m: 16, efConstruction: 64 });
 * }
 */
export async function createVectorIndex(queryRunner: QueryRunner, request: VectorIndexRequest): Promise<void> {
  const dialect = resolveDialect(queryRunner.connection);
  let definition = resolveIndexDefinition(dialect, request);
  definition = await checkColumn(queryRunner, dialect, definition);
  if (definition.settings.concurrently && queryRunner.isTransactionActive) {
    throw new VectorConfigurationError(
      `Index '${definition.name}' uses concurrently: true but the migration runs in a transaction; add \`transaction = false\` to the migration class or drop concurrently.`,
    );
  }
  const { up } = definitionSql(dialect, definition, escapeOf(queryRunner.connection));
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
  const dialect = resolveDialect(queryRunner.connection);
  const definition = resolveIndexDefinition(dialect, request);
  if (definition.settings.concurrently && queryRunner.isTransactionActive) {
    throw new VectorConfigurationError(
      `Index '${definition.name}' uses concurrently: true but the migration runs in a transaction; add \`transaction = false\` to the migration class or drop concurrently.`,
    );
  }
  const support = indexSupport(dialect);
  await runStatements(queryRunner, support.dropIndexSql(definition, escapeOf(queryRunner.connection)), `Dropping vector index '${definition.name}'`, 'check that it exists (pass the same options as to createVectorIndex)');
}

/**
 * Whether the index of `definition` exists in the database.
 *
 * @example
 * await vectorIndexExists(queryRunner, definition); // true
 */
export async function vectorIndexExists(queryRunner: QueryRunner, definition: VectorIndexDefinition): Promise<boolean> {
  const dialect = resolveDialect(queryRunner.connection);
  const { sql, parameters } = indexSupport(dialect).indexExistsQuery(definition, escapeOf(queryRunner.connection));
  return (await queryRows(queryRunner, sql, parameters)).length > 0;
}

/**
 * Create and drop statements of a validated definition (the dimensions checked when the kind needs them).
 *
 * @example
 * definitionSql(postgresDialect, resolveIndexDefinition(postgresDialect, request), escape).down; // ['DROP INDEX "document_embedding_hnsw_cosine"']
 */
export function definitionSql(dialect: VectorDialect, definition: VectorIndexDefinition, escape: EscapeIdentifier): VectorIndexSql {
  const support = indexSupport(dialect);
  if (support.kinds[definition.kind]?.requiresDimensions && definition.dimensions === undefined) {
    throw new VectorConfigurationError(
      `A ${dialect.name} '${definition.kind}' index needs the vector size and ${definition.table}.${definition.column} does not record it; pass dimensions: N (the @VectorColumn size).`,
    );
  }
  return { up: support.createIndexSql(definition, escape), down: support.dropIndexSql(definition, escape) };
}

async function checkColumn(queryRunner: QueryRunner, dialect: VectorDialect, definition: VectorIndexDefinition): Promise<VectorIndexDefinition> {
  const support = indexSupport(dialect);
  const escape = escapeOf(queryRunner.connection);
  const subject = `${definition.table}.${definition.column}`;
  const { sql, parameters } = support.columnQuery(definition.table, definition.column, escape);
  const info = support.readColumn(await queryRows(queryRunner, sql, parameters));
  if (!info) {
    throw new VectorMigrationError(`Column ${subject} does not exist; create the table and its vector column before the index (createVectorIndex after CREATE TABLE in up()).`);
  }
  if (info.nullable && support.requiresNotNull) {
    throw new VectorMigrationError(
      `Column ${subject} is nullable but ${support.requiresNotNull}; declare it NOT NULL (@VectorColumn(N) without nullable: true) before creating the index.`,
    );
  }
  if (info.dimensions !== undefined) {
    if (definition.dimensions !== undefined && definition.dimensions !== info.dimensions) {
      throw new VectorConfigurationError(`dimensions ${definition.dimensions} does not match column ${subject}, which has ${info.dimensions}; omit dimensions or pass ${info.dimensions}.`);
    }
    checkIndexDimensions(dialect, definition.kind, info.dimensions, subject);
    return { ...definition, dimensions: info.dimensions };
  }
  return definition;
}

function escapeOf(dataSource: DataSource): EscapeIdentifier {
  return (identifier) => dataSource.driver.escape(identifier);
}
