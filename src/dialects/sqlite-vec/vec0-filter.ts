import type { FindOperator } from 'typeorm';
import { isFindOperator } from '../../typeorm-internals';
import type { EscapeIdentifier, IndexedFilterColumn, ParameterizedSql } from '../../vocabulary';

/** SQL comparison of each FindOperator type vec0 evaluates on a metadata column itself. */
const COMPARISONS: Readonly<Record<string, string>> = {
  equal: '=',
  lessThan: '<',
  lessThanOrEqual: '<=',
  moreThan: '>',
  moreThanOrEqual: '>=',
};

/**
 * Translates a TypeORM find-style `where` into constraints sqlite-vec evaluates inside a vec0 KNN
 * query (`... WHERE embedding MATCH ? AND k = ? AND <sql>`), so the `k` rows it returns are the
 * `k` nearest rows that pass them, not the `k` nearest rows filtered afterwards. Pure: reads no
 * database and escapes every column with `escape`; values travel as positional `?` parameters, in
 * order. `columns` are the index's filter columns by entity property (`AttachedVectorIndex.filterColumns`).
 *
 * Pushed: plain values and `Equal` (`=`), `Not` of a plain value or of `Equal` (`!=`),
 * `LessThan`/`LessThanOrEqual`/`MoreThan`/`MoreThanOrEqual` (`<` `<=` `>` `>=`), `Between`
 * (`>= ? AND <= ?`), `In` (`IN (?, ...)`, non-empty, integer and text metadata columns). Boolean
 * columns take only `=` and `!=`. sqlite-vec 0.1.9 refuses or mis-evaluates everything else, so
 * the result is `undefined` (filter outside the index instead) when `where` is an array (OR), names
 * a property that is not a filter column, or uses another operator, `In` on the partition key (vec0
 * runs one KNN per value and returns up to `k` rows each), `Not(In(...))`, `null`/`undefined`, or
 * a value of another type than the column's: an integer column takes safe integers and bigints,
 * a float column finite numbers, a text column strings, a boolean column booleans (bound as 1/0).
 * vec0 truncates `n < 3.5` on an integer column to `n < 3` and matches `n = NULL` as `n = 0`;
 * refusing those keeps the rows exactly those of the filter. An empty `where` gives `sql: ''`.
 *
 * @example
 * vec0FilterSql({ tenantId: 7, category: In(['news', 'blog']), score: MoreThan(0.5) }, {
 *   tenantId: { column: 'tenant_id', type: 'integer', partitionKey: true },
 *   category: { column: 'category', type: 'text', partitionKey: false },
 *   score: { column: 'score', type: 'float', partitionKey: false },
 * }, (name) => `"${name}"`);
 * // { sql: '"tenant_id" = ? AND "category" IN (?, ?) AND "score" > ?', parameters: [7, 'news', 'blog', 0.5] }
 */
export function vec0FilterSql(where: unknown, columns: Readonly<Record<string, IndexedFilterColumn>>, escape: EscapeIdentifier): ParameterizedSql | undefined {
  if (typeof where !== 'object' || where === null || Array.isArray(where) || isFindOperator(where)) return undefined;
  const conditions: string[] = [];
  const parameters: unknown[] = [];
  for (const [property, condition] of Object.entries(where)) {
    const column = Object.prototype.hasOwnProperty.call(columns, property) ? columns[property] : undefined;
    if (!column) return undefined;
    const pushed = columnCondition(condition, column);
    if (!pushed) return undefined;
    const name = escape(column.column);
    conditions.push(...pushed.map((part) => `${name} ${part.sql}`));
    parameters.push(...pushed.flatMap((part) => part.parameters));
  }
  return { sql: conditions.join(' AND '), parameters };
}

/** One column's constraints (`= ?`, `IN (?, ?)`, ...) without the column name, or undefined when vec0 cannot evaluate them exactly. */
function columnCondition(condition: unknown, column: IndexedFilterColumn): ParameterizedSql[] | undefined {
  if (!isFindOperator(condition)) return comparison('=', condition, column);
  const operator = condition as FindOperator<unknown>;
  // `value` unwraps nested operators; `child` tells them apart (Not(Equal(x)) from Not(x)).
  const { child } = operator;
  switch (operator.type) {
    case 'equal':
    case 'lessThan':
    case 'lessThanOrEqual':
    case 'moreThan':
    case 'moreThanOrEqual':
      return child ? undefined : comparison(COMPARISONS[operator.type]!, operator.value, column);
    case 'not':
      return child && child.type !== 'equal' ? undefined : comparison('!=', operator.value, column);
    case 'between': {
      const bounds = operator.value;
      if (child || !Array.isArray(bounds) || bounds.length !== 2) return undefined;
      const low = comparison('>=', bounds[0], column);
      const high = comparison('<=', bounds[1], column);
      return low && high ? [...low, ...high] : undefined;
    }
    case 'in': {
      const values = operator.value;
      if (child || column.partitionKey || !(column.type === 'integer' || column.type === 'text') || !Array.isArray(values) || values.length === 0) return undefined;
      const bound = values.map((value) => bindable(value, column));
      if (bound.some((value) => value === undefined)) return undefined;
      return [{ sql: `IN (${bound.map(() => '?').join(', ')})`, parameters: bound }];
    }
    default:
      return undefined;
  }
}

function comparison(operator: string, value: unknown, column: IndexedFilterColumn): ParameterizedSql[] | undefined {
  // vec0 refuses ordering comparisons on boolean metadata columns.
  if (column.type === 'boolean' && operator !== '=' && operator !== '!=') return undefined;
  const bound = bindable(value, column);
  return bound === undefined ? undefined : [{ sql: `${operator} ?`, parameters: [bound] }];
}

/** The parameter for `value` on `column`, or undefined when its type is not the column's (vec0 would compare it wrongly). */
function bindable(value: unknown, column: IndexedFilterColumn): unknown {
  switch (column.type) {
    case 'integer':
      return (typeof value === 'number' && Number.isSafeInteger(value)) || typeof value === 'bigint' ? value : undefined;
    case 'float':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'text':
      return typeof value === 'string' ? value : undefined;
    case 'boolean':
      return typeof value === 'boolean' ? (value ? 1 : 0) : undefined;
    default:
      return undefined;
  }
}
