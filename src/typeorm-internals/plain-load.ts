import type { SelectQueryBuilder } from 'typeorm';

/**
 * Whether TypeORM's `getRawAndEntities` on `qb` would do no more than make one entity of its main
 * alias from each raw row: no joined entity, no `loadRelationIdAndMap` or `loadRelationCountAndMap`,
 * no result cache (`cache()`), no optimistic lock check after loading.
 *
 * Touch points: `QueryBuilder#expressionMap.aliases` (`Alias#hasMetadata`), `#relationIdAttributes`,
 * `#relationCountAttributes` (TypeORM 0.3 only), `#cache`, `#lockMode`.
 *
 * @example
 * loadsRowsPlainly(repo.createQueryBuilder('doc').where('doc.lang = :lang', { lang: 'en' })); // true
 * loadsRowsPlainly(repo.createQueryBuilder('doc').leftJoinAndSelect('doc.author', 'author')); // false
 */
export function loadsRowsPlainly(qb: SelectQueryBuilder<any>): boolean {
  const map = qb.expressionMap as typeof qb.expressionMap & { relationCountAttributes?: readonly unknown[] };
  return (
    map.aliases.filter((alias) => alias.hasMetadata).length === 1 &&
    map.relationIdAttributes.length === 0 &&
    (map.relationCountAttributes?.length ?? 0) === 0 &&
    !map.cache &&
    map.lockMode !== 'optimistic'
  );
}
