import type { DataSource, EntityMetadata } from 'typeorm';
import { CheckMetadata } from 'typeorm/metadata/CheckMetadata';

/**
 * Adds CHECK constraint `name` with `expression` to an entity's metadata, as `@Check(name,
 * expression)` on the class would: `synchronize` and `migration:generate` create it with the table
 * and compare it by name afterwards. Idempotent per name (a second DataSource over the same entity
 * builds its own metadata, so nothing leaks between them).
 *
 * Touch point: `new CheckMetadata({ entityMetadata, args }).build(namingStrategy)` pushed into
 * `EntityMetadata#checks` after metadata building.
 *
 * @example
 * addCheckConstraint(dataSource, entity, 'CHK_doc_embedding_vector_bytes_16', '"embedding" IS NULL OR length("embedding") = 16');
 */
export function addCheckConstraint(dataSource: DataSource, entity: EntityMetadata, name: string, expression: string): void {
  if (entity.checks.some((check) => check.name === name)) return;
  const check = new CheckMetadata({ entityMetadata: entity, args: { target: entity.target, name, expression } });
  check.build(dataSource.namingStrategy);
  entity.checks.push(check);
}
