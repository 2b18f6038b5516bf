import type { DataSource, EntityMetadata } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { indexSupport, resolveIndexDefinition, type VectorDialect } from '../dialects';
import { VectorConfigurationError } from '../errors';
import { registerUnsynchronizedIndex } from '../typeorm-internals';
import type { FilterColumnRules, IndexedFilterColumn, VectorIndexDefinition, VectorIndexFilterColumn } from '../vocabulary';
import { findVectorColumn } from './vector-column-registry';
import { findVectorIndexes, type VectorIndexSpec } from './vector-index-registry';

/** A `@VectorIndex` resolved for one DataSource's backend. */
export interface AttachedVectorIndex {
  readonly definition: VectorIndexDefinition;
  readonly entity: EntityMetadata;
  readonly column: ColumnMetadata;
  readonly strict: boolean;
  /** Whether the `@VectorIndex` names the index itself (`name:`); an unnamed one may adopt an existing index's name. */
  readonly named: boolean;
  /** The index's filter columns by entity property (`{ tenantId: { column: 'tenant_id', type: 'integer', partitionKey: true } }`); empty without `filterColumns`. */
  readonly filterColumns: Readonly<Record<string, IndexedFilterColumn>>;
}

const attachedByEntity = new WeakMap<EntityMetadata, AttachedVectorIndex[]>();

/**
 * Resolves every `@VectorIndex` of `dataSource`'s entities for `dialect`, validating its options
 * against the backend at start-up. `registerVectorIndexes` then tells TypeORM about them.
 *
 * @example
 * attachVectorIndexes(dataSource, dialectOf(dataSource)); // called by VectorDataSource while it initializes
 */
export function attachVectorIndexes(dataSource: DataSource, dialect: VectorDialect): void {
  for (const entity of dataSource.entityMetadatas) {
    const attached: AttachedVectorIndex[] = [];
    for (const column of entity.columns) {
      const specs = findVectorIndexes(column.target, column.propertyName);
      if (!specs.length) continue;
      const vectorSpec = findVectorColumn(column.target, column.propertyName);
      if (!vectorSpec) {
        throw new VectorConfigurationError(`@VectorIndex on ${specs[0]!.subject} is not on a @VectorColumn; add @VectorColumn(N) to the property.`);
      }
      const { capabilities } = indexSupport(dialect);
      for (const spec of specs) {
        const { subject, strict, filterColumns: filterProperties, partitionKey: partitionProperty, ...request } = spec;
        // Where the kind holds no filter columns, resolveIndexDefinition refuses filterColumns itself.
        const rules = capabilities.kinds[spec.kind ?? capabilities.defaultKind]?.filterColumns;
        const filters = rules ? filterColumnsOf(dataSource, entity, spec, rules) : [];
        const definition = resolveIndexDefinition(dialect, {
          ...request,
          table: entity.tablePath,
          column: column.databaseName,
          dimensions: vectorSpec.dimensions,
          elementType: vectorSpec.type,
          ...(filterProperties ? { filterColumns: filters.map((f) => f.request) } : {}),
          ...(partitionProperty !== undefined ? { partitionKey: filters.find((f) => f.property === partitionProperty)?.request.column ?? partitionProperty } : {}),
        });
        if (vectorSpec.nullable && capabilities.requiresNotNull) {
          throw new VectorConfigurationError(
            `@VectorIndex on ${subject} needs a NOT NULL column because ${capabilities.requiresNotNull}; remove nullable: true from its @VectorColumn.`,
          );
        }
        const filterColumns = Object.fromEntries(
          filters.map(({ property, request: { column: name } }, i) => [property, { column: name, type: definition.filterColumns[i]!.type, partitionKey: name === definition.partitionKey }]),
        );
        attached.push({ definition, entity, column, strict, named: request.name !== undefined, filterColumns });
      }
    }
    const max = dialect.capabilities.indexes?.maxIndexesPerTable;
    if (max !== undefined && attached.length > max) {
      throw new VectorConfigurationError(
        `${entity.name} declares ${attached.length} @VectorIndex but ${dialect.capabilities.name} allows ${max} vector index per table; keep one @VectorIndex on ${entity.name}.`,
      );
    }
    attachedByEntity.set(entity, attached);
  }
}

/**
 * For the attached indexes the database lists as table indexes, registers a TypeORM index with
 * `synchronize: false` under the same name, so TypeORM's schema diff neither drops nor recreates it.
 * Run after `adoptVectorIndexName`, so the registered name is the one in the database.
 *
 * @example
 * registerVectorIndexes(dataSource, dialectOf(dataSource));
 */
export function registerVectorIndexes(dataSource: DataSource, dialect: VectorDialect): void {
  const { capabilities } = dialect.capabilities.indexes ? indexSupport(dialect) : { capabilities: undefined };
  if (!capabilities) return;
  for (const entity of dataSource.entityMetadatas) {
    for (const { definition, column } of vectorIndexesOf(entity)) {
      if (capabilities.kinds[definition.kind]?.isTableIndex) registerUnsynchronizedIndex(dataSource, entity, column, definition.name);
    }
  }
}

/**
 * Gives an unnamed `@VectorIndex` the name of an existing index that means the same (found by the
 * connection layer in the catalog), so that nothing is rebuilt and queries that name the index
 * (libSQL's `vector_top_k`, vec0) read the existing one.
 *
 * @example
 * adoptVectorIndexName(attached, 'items_hnsw');
 */
export function adoptVectorIndexName(index: AttachedVectorIndex, name: string): void {
  const list = attachedByEntity.get(index.entity);
  const at = list?.indexOf(index) ?? -1;
  if (!list || at < 0) return;
  list[at] = { ...index, definition: { ...index.definition, name } };
}

/** TypeORM column types that normalise to text but hold an encoding of the property's value. */
const ENCODED_TYPES = ['simple-json', 'simple-array'];

/**
 * The columns of a `@VectorIndex`'s `filterColumns` properties, each with its SQL type as the driver
 * declares it: plain stored columns (not relations, vectors, virtual or transformed columns), NOT
 * NULL and without a collation (vec0 compares text bytewise and refuses NULL).
 */
function filterColumnsOf(dataSource: DataSource, entity: EntityMetadata, spec: VectorIndexSpec, rules: FilterColumnRules): Array<{ property: string; request: VectorIndexFilterColumn }> {
  return (spec.filterColumns ?? []).map((property) => {
    const refuse = (why: string, fix: string) => new VectorConfigurationError(`@VectorIndex on ${spec.subject} lists '${property}' in filterColumns, but ${why}; ${fix}.`);
    const removeIt = 'remove it from filterColumns';
    if (entity.findRelationWithPropertyPath(property)) throw refuse(`${entity.name}.${property} is a relation`, `list its foreign key column's property instead (e.g. @Column() ${property}Id)`);
    const column = entity.columns.find((c) => c.propertyPath === property);
    if (!column) throw refuse(`${entity.name} has no column property '${property}'`, 'list the entity property names of plain columns');
    if (findVectorColumn(column.target, column.propertyName)) throw refuse('it is a vector column', removeIt);
    if (column.isVirtual || column.isVirtualProperty) throw refuse('it is not a stored column', removeIt);
    if (column.transformer) throw refuse('it has a transformer, so the index would hold the transformed value', `${removeIt} or drop the transformer`);
    if (typeof column.type === 'string' && ENCODED_TYPES.includes(column.type)) throw refuse(`its type '${column.type}' is stored encoded`, removeIt);
    if (column.isNullable) throw refuse(`it is nullable and ${rules.requiresNotNull}`, `make it NOT NULL (remove nullable: true) or ${removeIt}`);
    if (column.collation) throw refuse(`its collation ${column.collation} is not the bytewise order the index compares text in`, `remove the collation or ${removeIt}`);
    return { property, request: { column: column.databaseName, type: dataSource.driver.normalizeType(column) } };
  });
}

/**
 * The vector indexes declared on an entity, as attached for its DataSource's backend.
 *
 * @example
 * vectorIndexesOf(dataSource.getMetadata(Doc)).map((i) => i.definition.name); // ['doc_embedding_hnsw_cosine']
 */
export function vectorIndexesOf(entity: EntityMetadata): readonly AttachedVectorIndex[] {
  return attachedByEntity.get(entity) ?? [];
}
