import type { EntityMetadata, QueryRunner, SelectQueryBuilder } from 'typeorm';

/** An alias of a query builder that stands for an entity. */
export interface EntityAlias {
  name: string;
  metadata: EntityMetadata;
}

/**
 * The entity aliases of a query builder (`createQueryBuilder('doc')`, joined entities).
 *
 * Touch point: `QueryBuilder#expressionMap.aliases` (`Alias#name`, `#hasMetadata`, `#metadata`).
 *
 * @example
 * entityAliases(repo.createQueryBuilder('doc')).map((a) => a.name); // ['doc']
 */
export function entityAliases(qb: SelectQueryBuilder<any>): EntityAlias[] {
  return qb.expressionMap.aliases.filter((alias) => alias.hasMetadata).map((alias) => ({ name: alias.name, metadata: alias.metadata }));
}

/**
 * The query runner a query builder was given (`createQueryBuilder(alias, runner)`,
 * `setQueryRunner`, or a transaction's manager), if any.
 *
 * Touch point: the protected `QueryBuilder#queryRunner`.
 *
 * @example
 * queryRunnerOf(manager.createQueryBuilder(Doc, 'doc'))?.isTransactionActive; // true inside manager.transaction(...)
 */
export function queryRunnerOf(qb: SelectQueryBuilder<any>): QueryRunner | undefined {
  return (qb as unknown as { queryRunner?: QueryRunner }).queryRunner;
}
