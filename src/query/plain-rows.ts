import type { DataSource, EntityMetadata, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { rawColumnKey } from '../typeorm-internals';
import { loadsAreListened, type BinaryVectorSelection } from './binary-vector-reads';

/** One column of a plain entity: where its value is in a raw row, and how it is hydrated. */
interface PlainColumn {
  readonly column: ColumnMetadata;
  readonly key: string;
  readonly hydrate: (raw: unknown) => unknown;
}

/**
 * How a search reads an entity TypeORM would load from one raw row with nothing else to do: its
 * columns, each hydrated as TypeORM hydrates it (the driver's `prepareHydratedValue`, which applies
 * the column's transformer; a binary-read vector through its own decoder).
 */
export interface PlainEntityRows {
  /** Entities from raw rows of the search's ordered query, one per row, in order. */
  entities(raw: ReadonlyArray<Record<string, unknown>>): ObjectLiteral[];
  /** The SQL of the search's ordered queries whose only parameter is the query vector, by shape: built once, reused. */
  readonly statements: Map<string, string>;
}

/**
 * By entity: the binary selection (`binaryVectorReads` makes one per entity and keeps it) the
 * reading was made for, and the reading, or undefined for an entity whose shape rules one out.
 */
const byMetadata = new WeakMap<EntityMetadata, { readonly binary: BinaryVectorSelection | undefined; readonly rows: PlainEntityRows | undefined }>();

/**
 * The plain reading of `metadata`'s entities, or undefined where TypeORM's own entity loading does
 * more than set columns from one row: an entity with inheritance (a discriminator, child
 * entities), embedded entities, `@RelationId`, `@RelationCount` or `@VirtualColumn` properties;
 * anything listening to loads (`@AfterLoad`, a subscriber's `afterLoad`); or a DataSource that
 * caches every query (`cache.alwaysEnabled`). Made once per entity and binary selection; the
 * listeners and the cache option, which can change at run time, are checked on every call.
 *
 * @example
 * const rows = plainEntityRows(repo.metadata, dataSource, alias, selection);
 * rows?.entities(raw); // [Doc { id: 1, embedding: [...] }, ...]
 */
export function plainEntityRows(metadata: EntityMetadata, dataSource: DataSource, alias: string, binary: BinaryVectorSelection | undefined): PlainEntityRows | undefined {
  const cache = dataSource.options.cache;
  if (loadsAreListened(metadata, dataSource) || (typeof cache === 'object' && cache.alwaysEnabled === true)) return undefined;
  const known = byMetadata.get(metadata);
  if (known && known.binary === binary) return known.rows;
  const rows = loadsFromOneRow(metadata) ? readingOf(metadata, dataSource, alias, binary) : undefined;
  byMetadata.set(metadata, { binary, rows });
  return rows;
}

/** Whether the entity's shape lets TypeORM load it from one row by setting its columns: fixed once its metadata is built. */
function loadsFromOneRow(metadata: EntityMetadata): boolean {
  return (
    metadata.childEntityMetadatas.length === 0 &&
    metadata.discriminatorColumn === undefined &&
    metadata.embeddeds.length === 0 &&
    metadata.relationIds.length === 0 &&
    // @RelationCount exists on TypeORM 0.3 only.
    ((metadata as { relationCounts?: readonly unknown[] }).relationCounts?.length ?? 0) === 0 &&
    !metadata.columns.some((column) => column.isVirtualProperty)
  );
}

function readingOf(metadata: EntityMetadata, dataSource: DataSource, alias: string, binary: BinaryVectorSelection | undefined): PlainEntityRows {
  const driver = dataSource.driver;
  const columns: PlainColumn[] = metadata.columns
    .filter((column) => !column.isVirtual)
    .map((column) => {
      const read = binary?.reads.find((candidate) => candidate.column === column);
      return read
        ? { column, key: read.alias, hydrate: read.hydrate }
        : { column, key: rawColumnKey(dataSource, alias, column.databaseName), hydrate: (raw: unknown) => driver.prepareHydratedValue(raw, column) };
    });
  const rows: PlainEntityRows = {
    statements: new Map(),
    entities: (raw) =>
      raw.map((row) => {
        const entity = metadata.create(undefined, { fromDeserializer: true }) as ObjectLiteral;
        for (const { column, key, hydrate } of columns) {
          const value = row[key];
          // As TypeORM: a column the query did not select is left unset.
          if (value !== undefined) column.setEntityValue(entity, hydrate(value));
        }
        return entity;
      }),
  };
  return rows;
}
