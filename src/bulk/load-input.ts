import type { Driver, EntityMetadata, ObjectLiteral, QueryRunner } from 'typeorm';
import type { RowPlan } from './row-plan';

/** Everything a bulk loader prepares its statements from: the rows, already planned (their properties checked). */
export interface LoadInput {
  readonly driver: Driver;
  readonly metadata: EntityMetadata;
  readonly plan: RowPlan;
  readonly rows: readonly ObjectLiteral[];
  /** The escaped table, e.g. `"public"."doc"`. */
  readonly tableSql: string;
  readonly escape: (identifier: string) => string;
  readonly batchSize: number;
}

/** A load with every row encoded: sends it on `runner` (inside the load's transaction), calling `progress` with the rows sent so far after each batch. */
export type PreparedLoad = (runner: QueryRunner, progress: (loaded: number) => void) => Promise<void>;

/** `rows` in consecutive slices of at most `size`, as [start, end) pairs. */
export function batches(total: number, size: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let start = 0; start < total; start += size) out.push([start, Math.min(total, start + size)]);
  return out;
}
