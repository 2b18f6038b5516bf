import { indexKindsWithFilterColumns, indexTuningOptionNames } from '../dialects';
import { VectorConfigurationError } from '../errors';
import {
  INDEX_STORAGE_TYPES,
  isVectorIndexKind,
  isVectorMetric,
  quotedList,
  VECTOR_INDEX_KINDS,
  VECTOR_METRICS,
  type VectorIndexKind,
  type VectorIndexStorage,
  type VectorIndexTuning,
  type VectorMetric,
} from '../vocabulary';
import { registerVectorIndex } from './vector-index-registry';

/**
 * Options of `@VectorIndex`.
 *
 * @example
 * @VectorIndex({ metric: 'cosine', m: 24, efConstruction: 128, strict: true })
 */
export interface VectorIndexOptions extends VectorIndexTuning {
  /** The metric the index serves (queries in another metric cannot use it). */
  metric: VectorMetric;
  /** Index kind; default: the backend's ANN index (`hnsw` on PostgreSQL and MariaDB, `diskann` on libSQL, `vec0` on SQLite). */
  kind?: VectorIndexKind;
  /** Index name; default `<table>_<column>_<kind>_<metric>`. */
  name?: string;
  /** Throw (instead of logging a warning) when a query orders this column by another metric. */
  strict?: boolean;
  /**
   * PostgreSQL: index a float32 `vector(N)` column as `halfvec`, an expression index on
   * `column::halfvec(N)` that takes up to 4,000 dimensions (a `vector` index takes 2,000) at half
   * the size; every query the library builds for this column and metric then orders by the same
   * expression, so the planner uses the index.
   */
  storage?: VectorIndexStorage;
  /**
   * sqlite-vec `vec0` only: entity properties copied into the vec0 table as metadata columns, so a
   * filter on them can run inside the KNN query (`... MATCH ? AND k = ? AND category = ?`) and fill
   * the limit. Each must be a NOT NULL column of SQL type integer, real/float, varchar/text or
   * boolean, without a transformer; at most 16 (the partition key not counted).
   */
  filterColumns?: string[];
  /**
   * sqlite-vec `vec0` only: one of `filterColumns` (an integer or text column) declared as vec0's
   * `partition key`, which shards the index by its value (best with hundreds of rows per value).
   */
  partitionKey?: string;
}

/** The decorator's own options (filter columns are part of the index definition, not tuning), then every backend's index tuning options (checked per backend at start-up). */
const OPTION_NAMES = new Set(['metric', 'kind', 'name', 'strict', 'storage', 'filterColumns', 'partitionKey', ...indexTuningOptionNames()]);

/**
 * Declares a vector index on a `@VectorColumn` property. `synchronize` creates it, and
 * `typeorm migration:generate` (on a `VectorDataSource`) writes it into the generated migration
 * once, with its `down`; later generates leave it alone. Backend-specific options are validated when
 * the DataSource starts (e.g. `lists` only for PostgreSQL `ivfflat`).
 *
 * @example
 * @Entity()
 * class Doc {
 *   @PrimaryGeneratedColumn() id!: number;
 *   @VectorColumn(384)
 *   @VectorIndex({ metric: 'cosine' }) // PostgreSQL: hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)
 *   embedding!: number[];
 * }
 *
 * @example
 * // PostgreSQL, 3,072 dimensions: hnsw (((embedding)::halfvec(3072)) halfvec_cosine_ops)
 * @VectorColumn(3072)
 * @VectorIndex({ metric: 'cosine', storage: 'halfvec' })
 * embedding!: number[];
 *
 * @example
 * // SQLite: vec0(embedding float[384] distance_metric=cosine, tenant_id integer partition key, category text)
 * @Entity()
 * class Chunk {
 *   @PrimaryGeneratedColumn() id!: number;
 *   @Column({ name: 'tenant_id' }) tenantId!: number;
 *   @Column() category!: string;
 *   @VectorColumn(384)
 *   @VectorIndex({ kind: 'vec0', metric: 'cosine', filterColumns: ['category', 'tenantId'], partitionKey: 'tenantId' })
 *   embedding!: number[];
 * }
 */
export function VectorIndex(options: VectorIndexOptions): PropertyDecorator {
  return (prototype: object, propertyKey: string | symbol) => {
    const target = prototype.constructor;
    const subject = `${target.name}.${String(propertyKey)}`;
    if (typeof options !== 'object' || options === null) {
      throw new VectorConfigurationError(`@VectorIndex on ${subject} has options ${String(options)}; pass an object such as { metric: 'cosine' }.`);
    }
    for (const key of Object.keys(options)) {
      if (!OPTION_NAMES.has(key)) {
        throw new VectorConfigurationError(`@VectorIndex on ${subject} has unknown option '${key}'; use ${[...OPTION_NAMES].join(', ')}.`);
      }
    }
    if (!isVectorMetric(options.metric)) {
      throw new VectorConfigurationError(`@VectorIndex on ${subject} has metric ${JSON.stringify(options.metric)}; use one of ${quotedList(VECTOR_METRICS)}.`);
    }
    if (options.kind !== undefined && !isVectorIndexKind(options.kind)) {
      throw new VectorConfigurationError(`@VectorIndex on ${subject} has kind ${JSON.stringify(options.kind)}; use one of ${quotedList(VECTOR_INDEX_KINDS)} or leave it out.`);
    }
    if (options.strict !== undefined && typeof options.strict !== 'boolean') {
      throw new VectorConfigurationError(`@VectorIndex on ${subject} has strict: ${JSON.stringify(options.strict)}; pass true or false.`);
    }
    if (options.concurrently !== undefined) {
      throw new VectorConfigurationError(
        `@VectorIndex on ${subject} has concurrently; generated migrations run in a transaction, where CREATE INDEX CONCURRENTLY fails, so create it with createVectorIndex(queryRunner, { ..., concurrently: true }) in a migration with transaction = false.`,
      );
    }
    if (options.storage !== undefined && !Object.keys(INDEX_STORAGE_TYPES).includes(options.storage)) {
      throw new VectorConfigurationError(`@VectorIndex on ${subject} has storage ${JSON.stringify(options.storage)}; use ${quotedList(Object.keys(INDEX_STORAGE_TYPES))} or leave it out.`);
    }
    checkFilterOptions(subject, options);
    const { strict, ...rest } = options;
    registerVectorIndex(target, String(propertyKey), { ...rest, strict: strict ?? false, subject });
  };
}

/** The shape of `filterColumns` and `partitionKey` (the entity's properties are checked when the DataSource starts). */
function checkFilterOptions(subject: string, options: VectorIndexOptions): void {
  const { filterColumns, partitionKey, kind } = options;
  if (filterColumns === undefined && partitionKey === undefined) return;
  const option = filterColumns === undefined ? 'partitionKey' : 'filterColumns';
  const holders = indexKindsWithFilterColumns();
  if (kind !== undefined && !holders.some((holder) => holder.kind === kind)) {
    throw new VectorConfigurationError(`@VectorIndex on ${subject} has ${option} but a '${kind}' index cannot hold filter columns; remove ${option} or use kind ${quotedList(holders.map((h) => h.kind))}.`);
  }
  if (filterColumns === undefined) {
    throw new VectorConfigurationError(`@VectorIndex on ${subject} has partitionKey ${JSON.stringify(partitionKey)} but no filterColumns; list it there too, e.g. filterColumns: [${JSON.stringify(partitionKey)}].`);
  }
  if (!Array.isArray(filterColumns) || filterColumns.length === 0 || !filterColumns.every((p) => typeof p === 'string' && p !== '')) {
    throw new VectorConfigurationError(`@VectorIndex on ${subject} has filterColumns ${JSON.stringify(filterColumns)}; pass a non-empty array of property names, e.g. filterColumns: ['category'].`);
  }
  const twice = filterColumns.find((property, i) => filterColumns.indexOf(property) !== i);
  if (twice !== undefined) throw new VectorConfigurationError(`@VectorIndex on ${subject} lists '${twice}' twice in filterColumns; list each property once.`);
  if (partitionKey !== undefined && (typeof partitionKey !== 'string' || !filterColumns.includes(partitionKey))) {
    throw new VectorConfigurationError(`@VectorIndex on ${subject} has partitionKey ${JSON.stringify(partitionKey)}, which is not in filterColumns; add it to filterColumns.`);
  }
}
