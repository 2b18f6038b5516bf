import type { VectorValueShape } from '../codecs';
import type { VectorElementType } from '../vocabulary';

/** What `@VectorColumn` recorded about one property. */
export interface VectorColumnSpec {
  /** Number of dimensions every stored vector has. */
  readonly dimensions: number;
  /** Element type. */
  readonly type: VectorElementType;
  /** Whether NULL may be stored. */
  readonly nullable: boolean;
  /** Shape of decoded values. */
  readonly as: VectorValueShape;
  /** `Entity.property`, for error messages. */
  readonly subject: string;
  /** Whether a backend that stores vectors as unchecked BLOBs gets a CHECK constraint of their size. */
  readonly sizeCheck: boolean;
}

const specsByTarget = new WeakMap<Function, Map<string, VectorColumnSpec>>();

/**
 * Records a vector column declared on `target.property`.
 *
 * @example
 * registerVectorColumn(Doc, 'embedding', { dimensions: 3, type: 'float32', nullable: false, as: 'array', subject: 'Doc.embedding', sizeCheck: false });
 */
export function registerVectorColumn(target: Function, property: string, spec: VectorColumnSpec): void {
  let specs = specsByTarget.get(target);
  if (!specs) specsByTarget.set(target, (specs = new Map()));
  specs.set(property, spec);
}

/**
 * The vector column declared on `target.property` (or on one of its parent classes), if any.
 *
 * @example
 * findVectorColumn(Doc, 'embedding')?.dimensions; // 3
 */
export function findVectorColumn(target: Function | string, property: string): VectorColumnSpec | undefined {
  if (typeof target !== 'function') return undefined;
  for (let current: unknown = target; typeof current === 'function'; current = Object.getPrototypeOf(current)) {
    const spec = specsByTarget.get(current as Function)?.get(property);
    if (spec) return spec;
  }
  return undefined;
}
