/**
 * One partition of a table partitioned by a tenant column (PostgreSQL `PARTITION BY LIST` or
 * `HASH`): its name and bounds. `values` for a LIST partition (integers or strings, written as
 * SQL literals), `modulus` and `remainder` for a HASH partition, or `default: true` for the LIST
 * partition that takes every other value.
 *
 * @example
 * const partition: TablePartition = { table: 'tenant_doc', partition: 'tenant_doc_42', values: [42] };
 */
export type TablePartition = { table: string; partition: string } & (
  | { values: ReadonlyArray<number | string>; modulus?: never; remainder?: never; default?: never }
  | { modulus: number; remainder: number; values?: never; default?: never }
  | { default: true; values?: never; modulus?: never; remainder?: never }
);
