import type { QueryRunner, SelectQueryBuilder } from 'typeorm';
import { queryRunnerOf } from './query-builder-aliases';

/**
 * What `explainNearestQuery` reads from a query builder besides its SQL.
 *
 * @example
 * const { orderBy, limit }: SelectQueryShape = selectQueryShape(qb); // orderBy[0].order === 'ASC'
 */
export interface SelectQueryShape {
  /** ORDER BY terms in order, each as given to `orderBy`/`addOrderBy` (a select alias, a property path or SQL). */
  readonly orderBy: ReadonlyArray<{ readonly expression: string; readonly order: 'ASC' | 'DESC' }>;
  /** Selections with their aliases (`addSelect(sql, alias)`), to resolve an ORDER BY by alias. */
  readonly selects: ReadonlyArray<{ readonly selection: string; readonly alias: string | undefined }>;
  /** `limit(n)`, else `take(n)`, else undefined. */
  readonly limit: number | undefined;
  /** Whether the query has a WHERE condition of its own (`where`, `andWhere`, find options). */
  readonly filtered: boolean;
  /** The query runner set with `setQueryRunner` (or the `createQueryBuilder(alias, runner)` argument). */
  readonly queryRunner: QueryRunner | undefined;
}

/**
 * The ORDER BY, selections, limit, WHERE presence and query runner of a SELECT query builder.
 *
 * Touch points: `QueryBuilder#expressionMap.allOrderBys` (values `'ASC' | 'DESC' | { order, nulls }`),
 * `#selects` (`{ selection, aliasName }`), `#limit`, `#take`, `#wheres`; the query runner through
 * `queryRunnerOf`.
 *
 * @example
 * selectQueryShape(repo.createQueryBuilder('doc').orderByCosine('doc.embedding', v).limit(5)).limit; // 5
 */
export function selectQueryShape(qb: SelectQueryBuilder<any>): SelectQueryShape {
  const map = qb.expressionMap;
  const orderBy = Object.entries(map.allOrderBys).map(([expression, value]) => {
    const order = typeof value === 'string' ? value : value.order;
    return { expression, order: String(order).toUpperCase() === 'DESC' ? ('DESC' as const) : ('ASC' as const) };
  });
  return {
    orderBy,
    selects: map.selects.map((select) => ({ selection: select.selection, alias: select.aliasName })),
    limit: map.limit ?? map.take,
    filtered: map.wheres.length > 0,
    queryRunner: queryRunnerOf(qb),
  };
}
