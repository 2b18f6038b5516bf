import type { VectorIndexKind, VectorIndexStorage, VectorIndexTuning, VectorMetric } from '../vocabulary';

/** What `@VectorIndex` recorded about one property. */
export interface VectorIndexSpec extends VectorIndexTuning {
  readonly metric: VectorMetric;
  readonly kind?: VectorIndexKind;
  readonly name?: string;
  /** How the index stores a float32 column (`'halfvec'`). */
  readonly storage?: VectorIndexStorage;
  /** Entity properties copied into the index (vec0), resolved against the entity when the DataSource starts. */
  readonly filterColumns?: readonly string[];
  /** The one of `filterColumns` that is the index's partition key. */
  readonly partitionKey?: string;
  /** Queries on this column in another metric throw instead of logging a warning. */
  readonly strict: boolean;
  /** `Entity.property`, for error messages. */
  readonly subject: string;
}

const specsByTarget = new WeakMap<Function, Map<string, VectorIndexSpec[]>>();

/**
 * Records a vector index declared on `target.property`.
 *
 * @example
 * registerVectorIndex(Doc, 'embedding', { metric: 'cosine', strict: false, subject: 'Doc.embedding' });
 */
export function registerVectorIndex(target: Function, property: string, spec: VectorIndexSpec): void {
  let specs = specsByTarget.get(target);
  if (!specs) specsByTarget.set(target, (specs = new Map()));
  specs.set(property, [...(specs.get(property) ?? []), spec]);
}

/**
 * The vector indexes declared on `target.property` and on the same property of its parent classes.
 *
 * @example
 * findVectorIndexes(Doc, 'embedding'); // [{ metric: 'cosine', ... }]
 */
export function findVectorIndexes(target: Function | string, property: string): VectorIndexSpec[] {
  if (typeof target !== 'function') return [];
  const found: VectorIndexSpec[] = [];
  for (let current: unknown = target; typeof current === 'function'; current = Object.getPrototypeOf(current)) {
    found.push(...(specsByTarget.get(current as Function)?.get(property) ?? []));
  }
  return found;
}
