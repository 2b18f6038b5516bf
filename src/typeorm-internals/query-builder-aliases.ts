import type { DataSource, EntityMetadata, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { DriverUtils } from 'typeorm/driver/DriverUtils';

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

/**
 * Puts the WHERE a query builder has so far in one pair of parentheses, so that conditions ANDed
 * after it apply to all of it (`x = 0 OR x = 1` would otherwise bind only its last term).
 *
 * Touch points: `QueryBuilder#expressionMap.wheres` and the protected
 * `QueryBuilder#createWhereClausesExpression(clauses)`, which renders them.
 *
 * @example
 * filter(qb); isolateWheres(qb); qb.andWhere('entity.category = :c'); // WHERE (a OR b) AND entity.category = :c
 */
export function isolateWheres(qb: SelectQueryBuilder<any>): void {
  const map = qb.expressionMap;
  if (!map.wheres.length) return;
  const render = (qb as unknown as { createWhereClausesExpression(clauses: unknown[]): string }).createWhereClausesExpression;
  map.wheres = [{ type: 'simple', condition: `(${render.call(qb, map.wheres)})` }];
}

/**
 * The key under which a raw result row holds `alias`'s column `databaseName` (`entity_id`), as the
 * query builder names its selections (shortened to the driver's longest alias).
 *
 * Touch point: `DriverUtils.buildAlias(driver, undefined, alias, databaseName)`, the name
 * `SelectQueryBuilder` gives each entity column it selects.
 *
 * @example
 * rawColumnKey(dataSource, 'entity', 'id'); // 'entity_id'
 */
export function rawColumnKey(dataSource: DataSource, alias: string, databaseName: string): string {
  return DriverUtils.buildAlias(dataSource.driver, undefined, alias, databaseName);
}
