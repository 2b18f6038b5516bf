import type { EntityMetadata, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { findVectorColumn, type VectorColumnSpec } from '../column/vector-column-registry';
import { VectorConfigurationError } from '../errors';
import { entityAliases } from '../typeorm-internals';
import { PLAIN_IDENTIFIER_PATTERN } from '../vocabulary';

/** A vector column found through a query builder's alias metadata. */
export interface ResolvedVectorColumn {
  /** Escaped SQL reference, e.g. `"doc"."embedding_vec"`. */
  readonly sql: string;
  readonly spec: VectorColumnSpec;
  /** TypeORM's metadata of the column and of its entity. */
  readonly column: ColumnMetadata;
  readonly entity: EntityMetadata;
}

/** `alias.property`, where a property path may go through embedded entities (`meta.embedding`). */
const REFERENCE = new RegExp(`^(${PLAIN_IDENTIFIER_PATTERN})\\.(${PLAIN_IDENTIFIER_PATTERN}(?:\\.${PLAIN_IDENTIFIER_PATTERN})*)$`);

/**
 * Resolves `'alias.property'` through TypeORM metadata to an escaped column reference, so a
 * property whose database name differs works, and anything else (raw SQL, unknown names) is refused.
 *
 * @example
 * resolveVectorColumn(qb, 'doc.embedding').sql; // '"doc"."embedding"'
 */
export function resolveVectorColumn(qb: SelectQueryBuilder<any>, reference: unknown): ResolvedVectorColumn {
  const match = typeof reference === 'string' ? REFERENCE.exec(reference) : null;
  if (!match) {
    throw new VectorConfigurationError(
      `Column reference ${JSON.stringify(reference)} is not of the form 'alias.property'; pass e.g. 'doc.embedding'.`,
    );
  }
  const [, aliasName, property] = match as unknown as [string, string, string];
  const aliases = entityAliases(qb);
  const alias = aliases.find((candidate) => candidate.name === aliasName);
  if (!alias) {
    const known = aliases.map((a) => a.name);
    throw new VectorConfigurationError(
      `Unknown alias '${aliasName}' in ${JSON.stringify(reference)}; use one of the query's entity aliases: ${known.join(', ') || '(none)'}.`,
    );
  }
  const metadata = alias.metadata;
  const column = metadata.findColumnWithPropertyPath(property);
  const spec = column ? findVectorColumn(column.target, column.propertyName) : undefined;
  if (!column || !spec) {
    const vectorProperties = metadata.columns
      .filter((c) => findVectorColumn(c.target, c.propertyName))
      .map((c) => c.propertyPath);
    const what = column ? 'is not a @VectorColumn' : 'does not exist';
    throw new VectorConfigurationError(
      `Property '${property}' of alias '${aliasName}' (entity ${metadata.name}) ${what}; use one of its vector properties: ${vectorProperties.join(', ') || '(none)'}.`,
    );
  }
  return { sql: `${qb.escape(aliasName)}.${qb.escape(column.databaseName)}`, spec, column, entity: metadata };
}

const resolvedByEntity = new WeakMap<EntityMetadata, Map<string, ResolvedVectorColumn>>();

/**
 * `resolveVectorColumn` of `'alias.property'` on a query builder of `repository`, made once per
 * entity and reference and then reused, so a search does not build a query builder to resolve its
 * column. Bad references throw as `resolveVectorColumn` does, every time (they are not kept).
 *
 * @example
 * resolveRepositoryVectorColumn(repo, 'entity', 'embedding').sql; // '"entity"."embedding"'
 */
export function resolveRepositoryVectorColumn<Entity extends ObjectLiteral>(repository: Repository<Entity>, alias: string, property: unknown): ResolvedVectorColumn {
  const reference = `${alias}.${String(property)}`;
  let resolved = resolvedByEntity.get(repository.metadata);
  if (!resolved) resolvedByEntity.set(repository.metadata, (resolved = new Map()));
  const known = typeof property === 'string' ? resolved.get(reference) : undefined;
  if (known) return known;
  const column = resolveVectorColumn(repository.createQueryBuilder(alias), typeof property === 'string' ? reference : property);
  resolved.set(reference, column);
  return column;
}
