import type { QueryRunner } from 'typeorm';
import { dialectOf, type VectorDialect } from '../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { dataSourceOf } from '../typeorm-internals';
import { isPlainIdentifier, type TablePartition } from '../vocabulary';
import { runStatements } from './run-statements';
import { escapeOf } from './vector-index-helpers';

/**
 * Adds a partition to a table partitioned by its tenant column (PostgreSQL `PARTITION BY LIST` or
 * `HASH`), in a migration. The server builds every index of the parent on it, the vector index
 * that `@VectorIndex` or `createVectorIndex` made on the parent included, so a search filtered on
 * the tenant is pruned to this partition and reads its own ANN index. TypeORM's entity metadata
 * knows the parent only, so `migration:generate` stays clean. Bounds are checked before any SQL:
 * integer or string `values`, or `modulus` > `remainder` >= 0, or `default: true`.
 *
 * @example
 * async up(queryRunner: QueryRunner) {
 *   await addTablePartition(queryRunner, { table: 'tenant_doc', partition: 'tenant_doc_42', values: [42] });
 *   // CREATE TABLE "tenant_doc_42" PARTITION OF "tenant_doc" FOR VALUES IN (42)
 * }
 */
export async function addTablePartition(queryRunner: QueryRunner, partition: TablePartition): Promise<void> {
  const { ddl, escape } = checkPartition(queryRunner, partition, 'addTablePartition');
  await runStatements(queryRunner, ddl.add(partition, escape), `Adding partition '${partition.partition}'`, `check that ${partition.table} is partitioned by the tenant column and that no partition covers these values yet`);
}

/**
 * Drops a partition `addTablePartition` added, with its rows and its indexes, in a migration's `down`.
 *
 * @example
 * async down(queryRunner: QueryRunner) {
 *   await dropTablePartition(queryRunner, { table: 'tenant_doc', partition: 'tenant_doc_42', values: [42] });
 * }
 */
export async function dropTablePartition(queryRunner: QueryRunner, partition: TablePartition): Promise<void> {
  const { ddl, escape } = checkPartition(queryRunner, partition, 'dropTablePartition');
  await runStatements(queryRunner, ddl.drop(partition, escape), `Dropping partition '${partition.partition}'`, 'check the partition name');
}

function checkPartition(queryRunner: QueryRunner, partition: TablePartition, caller: string): { ddl: NonNullable<NonNullable<VectorDialect['ddl']>['partitions']>; escape: (name: string) => string } {
  const dataSource = dataSourceOf(queryRunner);
  const dialect = dialectOf(dataSource);
  const ddl = dialect.ddl?.partitions;
  if (!ddl) {
    throw new UnsupportedVectorFeatureError(
      `${caller} needs native table partitions, which ${dialect.capabilities.name} does not have; on SQLite use a vec0 index with partitionKey, on libSQL one database per tenant.`,
    );
  }
  if (typeof partition !== 'object' || partition === null) throw new VectorConfigurationError(`${caller} got ${String(partition)}; pass e.g. { table: 'tenant_doc', partition: 'tenant_doc_42', values: [42] }.`);
  const known = ['table', 'partition', 'values', 'modulus', 'remainder', 'default'];
  const unknown = Object.keys(partition).find((key) => !known.includes(key));
  if (unknown !== undefined) throw new VectorConfigurationError(`${caller} has no option '${unknown}'; use ${known.join(', ')}.`);
  const table = partition.table;
  if (typeof table !== 'string' || !table.split('.').every(isPlainIdentifier) || table.split('.').length > 2) {
    throw new VectorConfigurationError(`${caller} table ${JSON.stringify(table)} is not a table name; pass e.g. table: 'tenant_doc' or 'app.tenant_doc'.`);
  }
  if (!isPlainIdentifier(partition.partition)) {
    throw new VectorConfigurationError(`${caller} partition ${JSON.stringify(partition.partition)} is not a plain table name; pass e.g. partition: 'tenant_doc_42'.`);
  }
  const kinds = [partition.values !== undefined, partition.modulus !== undefined || partition.remainder !== undefined, partition.default !== undefined].filter(Boolean).length;
  if (kinds !== 1) throw new VectorConfigurationError(`${caller} needs exactly one of values, modulus with remainder, or default: true; pass e.g. values: [42].`);
  if (partition.values !== undefined) {
    const bad = Array.isArray(partition.values) && partition.values.length ? partition.values.find((v) => !(Number.isSafeInteger(v) || typeof v === 'string')) : partition.values;
    if (bad !== undefined) throw new VectorConfigurationError(`${caller} values ${JSON.stringify(partition.values)} must be a non-empty list of integers or strings; pass e.g. values: [42].`);
  } else if (partition.default !== undefined) {
    const value: unknown = partition.default;
    if (value !== true) throw new VectorConfigurationError(`${caller} default ${JSON.stringify(value)} must be true; pass default: true or values.`);
  } else {
    const { modulus, remainder } = partition;
    if (!Number.isSafeInteger(modulus) || modulus! < 1 || !Number.isSafeInteger(remainder) || remainder! < 0 || remainder! >= modulus!) {
      throw new VectorConfigurationError(`${caller} modulus ${String(modulus)} and remainder ${String(remainder)} must be integers with 0 <= remainder < modulus; pass e.g. modulus: 4, remainder: 0.`);
    }
  }
  return { ddl, escape: escapeOf(dataSource) };
}
