import type { DataSource, EntityMetadata, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { findVectorColumn } from '../column/vector-column-registry';
import { codecOf, type VectorDialect } from '../dialects';

/** One vector column a search selects in its database's binary form, under its own alias, and hydrates itself. */
export interface BinaryVectorRead {
  readonly column: ColumnMetadata;
  /** The alias of the selected binary value in each raw row. */
  readonly alias: string;
  /** SQL of the selection (on PostgreSQL, `vector_send` of the column). */
  readonly sql: string;
  /** The column's value from a raw row's binary value, as TypeORM would have hydrated it (the column's transformer applied). */
  hydrate(raw: unknown): unknown;
}

/**
 * How a search's own query selects an entity: `columns`, the property paths of its other columns
 * (alias included) that TypeORM selects itself, and `reads`, the vector columns selected in binary.
 */
export interface BinaryVectorSelection {
  readonly columns: readonly string[];
  readonly reads: readonly BinaryVectorRead[];
}

/**
 * The vector columns of `metadata` that a search's own query selects in the dialect's binary form
 * (`VectorCodec.binaryRead`: pgvector's `vector_send`): every column TypeORM would select by
 * default whose codec has one. None when anything listens to the entity's loads (`@AfterLoad`, a
 * subscriber's `afterLoad`): TypeORM calls them before the search sets these columns, so such an
 * entity keeps TypeORM's own (text) read and sees its vectors in the listener, as in any load.
 * Undefined when no column is read in binary. Made once per entity, dialect and alias.
 *
 * @example
 * const selection = binaryVectorReads(repo.metadata, dataSource, postgresDialect, 'entity', (name) => `"${name}"`);
 * selection?.columns; // ['entity.id', 'entity.title']
 * selection?.reads.map((read) => read.alias); // ['tv_binary_0']: the embedding, selected as vector_send(...)
 */
export function binaryVectorReads(metadata: EntityMetadata, dataSource: DataSource, dialect: VectorDialect, alias: string, escape: (name: string) => string): BinaryVectorSelection | undefined {
  if (loadsAreListened(metadata, dataSource)) return undefined;
  const known = selections.get(metadata);
  if (known && known.dialect === dialect && known.alias === alias) return known.selection;
  const selection = selectBinaryColumns(metadata, dataSource, dialect, alias, escape);
  selections.set(metadata, { dialect, alias, selection });
  return selection;
}

const selections = new WeakMap<EntityMetadata, { readonly dialect: VectorDialect; readonly alias: string; readonly selection: BinaryVectorSelection | undefined }>();

function selectBinaryColumns(metadata: EntityMetadata, dataSource: DataSource, dialect: VectorDialect, alias: string, escape: (name: string) => string): BinaryVectorSelection | undefined {
  const columns: string[] = [];
  const reads: BinaryVectorRead[] = [];
  for (const column of metadata.columns) {
    if (!column.isSelect) continue;
    const spec = findVectorColumn(column.target, column.propertyName);
    const binary = spec ? codecOf(dialect, spec.type).binaryRead : undefined;
    if (!binary) {
      columns.push(`${alias}.${column.propertyPath}`);
      continue;
    }
    reads.push({
      column,
      alias: `tv_binary_${reads.length}`,
      sql: binary.sql(`${escape(alias)}.${escape(column.databaseName)}`),
      // The column's transformer decodes the binary value (its codec reads both forms).
      hydrate: (raw) => dataSource.driver.prepareHydratedValue(raw, column),
    });
  }
  return reads.length ? { columns, reads } : undefined;
}

/**
 * Whether anything listens to `metadata`'s loads: an `@AfterLoad` of the entity or a child entity,
 * or a subscriber's `afterLoad`. TypeORM calls them while it loads, so a search that sets columns
 * itself leaves such an entity to TypeORM.
 *
 * @example
 * loadsAreListened(repo.metadata, dataSource); // true for an entity with an @AfterLoad method
 */
export function loadsAreListened(metadata: EntityMetadata, dataSource: DataSource): boolean {
  return [metadata, ...metadata.childEntityMetadatas].some((entity) => entity.afterLoadListeners.length > 0) || dataSource.subscribers.some((subscriber) => typeof subscriber.afterLoad === 'function');
}

/**
 * Replaces the entity selection of a fresh `qb` by `selection`: the same columns, the vector ones
 * in binary under their own aliases. Call before adding any other selection: it resets the select list.
 *
 * @example
 * selectBinaryVectors(repo.createQueryBuilder('entity'), selection);
 * // SELECT "entity"."id" AS "entity_id", vector_send(...) AS "tv_binary_0" FROM ...
 */
export function selectBinaryVectors<Entity extends ObjectLiteral>(qb: SelectQueryBuilder<Entity>, selection: BinaryVectorSelection | undefined): void {
  if (!selection) return;
  qb.select([...selection.columns]);
  for (const read of selection.reads) qb.addSelect(read.sql, read.alias);
}

/**
 * Sets the binary-read columns of `selection` on `entity` from `row`, its raw row.
 *
 * @example
 * hydrateBinaryVectors(entity, raw[0], selection); // entity.embedding is now [0.1, 0.2, ...]
 */
export function hydrateBinaryVectors<Entity extends ObjectLiteral>(entity: Entity, row: Record<string, unknown>, selection: BinaryVectorSelection | undefined): void {
  if (!selection) return;
  for (const read of selection.reads) read.column.setEntityValue(entity, read.hydrate(row[read.alias]));
}
