import { indexTuningOptionNames } from '../dialects';
import { VectorConfigurationError } from '../errors';
import { isVectorIndexKind, isVectorMetric, quotedList, VECTOR_INDEX_KINDS, VECTOR_METRICS, type VectorIndexKind, type VectorIndexTuning, type VectorMetric } from '../vocabulary';
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
}

/** The decorator's own options, then every backend's index tuning options (checked per backend at start-up). */
const OPTION_NAMES = new Set(['metric', 'kind', 'name', 'strict', ...indexTuningOptionNames()]);

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
    const { strict, ...rest } = options;
    registerVectorIndex(target, String(propertyKey), { ...rest, strict: strict ?? false, subject });
  };
}
