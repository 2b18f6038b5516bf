import type { SelectQueryBuilder } from 'typeorm';
import { findVectorColumn } from '../column/vector-column-registry';
import type { VectorDialect } from '../dialects';
import { entityAliases, type SelectQueryShape } from '../typeorm-internals';
import type { VectorIndexStorage, VectorMetric } from '../vocabulary';
import { resolveVectorColumn, type ResolvedVectorColumn } from './vector-column-reference';

/**
 * The first ORDER BY term of a query, read as a distance to a vector column.
 *
 * @example
 * const order: DistanceOrder | undefined = distanceOrder(qb, dialect, selectQueryShape(qb)); // order?.metric === 'cosine'
 */
export interface DistanceOrder {
  readonly column: ResolvedVectorColumn;
  /** The alias of the column's entity in the query. */
  readonly alias: string;
  /** The metric whose distance the term is, as the dialect writes it; undefined when the term is another expression of the column (a cast, arithmetic, another function). */
  readonly metric: VectorMetric | undefined;
  /** The index storage whose expression the distance is written on (`halfvec`: both sides cast to halfvec(N)), if any. */
  readonly storage: VectorIndexStorage | undefined;
  /** The term as written (a select alias resolved to its selection). */
  readonly expression: string;
  readonly order: 'ASC' | 'DESC';
}

const VECTOR_MARK = '\u0001';

/**
 * Reads the first ORDER BY term of `qb` as a distance: which vector column it orders by (a
 * reference `alias.column`, escaped or not, or `alias.property`) and, when the term is the
 * dialect's distance of that column to any vector expression (`orderByCosine` writes one), its
 * metric. Undefined when the query is not ordered by an expression of a vector column.
 *
 * @example
 * distanceOrder(qb.orderByCosine('doc.embedding', v), postgresDialect, selectQueryShape(qb)); // { metric: 'cosine', order: 'ASC', ... }
 */
export function distanceOrder(qb: SelectQueryBuilder<any>, dialect: VectorDialect, shape: SelectQueryShape): DistanceOrder | undefined {
  const first = shape.orderBy[0];
  if (!first) return undefined;
  const expression = shape.selects.find((select) => select.alias !== undefined && select.alias === first.expression)?.selection ?? first.expression;
  for (const alias of entityAliases(qb)) {
    for (const column of alias.metadata.columns) {
      if (!findVectorColumn(column.target, column.propertyName)) continue;
      const reference = `${alias.name}.${column.databaseName}`.toLowerCase();
      const written = sqlShape(expression).replace(new RegExp(`(?<![\\w.])${literal(`${alias.name}.${column.propertyPath}`.toLowerCase())}(?!\\w)`, 'g'), reference);
      if (!new RegExp(`(?<![\\w.])${literal(reference)}(?!\\w)`).test(written)) continue;
      const term = withoutOuterParentheses(written);
      const resolved = resolveVectorColumn(qb, `${alias.name}.${column.propertyPath}`);
      // The plain distance, then the distance on each storage's expression of the column (halfvec casts).
      const forms: Array<{ storage: VectorIndexStorage | undefined; wrap: (sql: string) => string }> = [
        { storage: undefined, wrap: (sql) => sql },
        ...Object.entries(dialect.sql.indexStorage ?? {}).map(([storage, stored]) => ({ storage: storage as VectorIndexStorage, wrap: (sql: string) => stored!(sql, resolved.spec.dimensions) })),
      ];
      for (const form of forms) {
        const metric = dialect.capabilities.metrics.find((candidate) => {
          const [before = '', after = ''] = withoutOuterParentheses(sqlShape(dialect.sql.distance(candidate, form.wrap(reference), form.wrap(VECTOR_MARK)))).split(VECTOR_MARK);
          return term.length > before.length + after.length && term.startsWith(before) && term.endsWith(after);
        });
        if (metric) return { column: resolved, alias: alias.name, metric, storage: form.storage, expression, order: first.order };
      }
      return { column: resolved, alias: alias.name, metric: undefined, storage: undefined, expression, order: first.order };
    }
  }
  return undefined;
}

/**
 * SQL text reduced for comparison: identifier quotes and whitespace dropped, lower case, and every
 * parameter (`:name`, `$1`, `?`) written `?`.
 *
 * @example
 * sqlShape('("doc"."embedding" <=> CAST($1 AS vector))'); // '(doc.embedding<=>cast(?asvector))'
 */
export function sqlShape(sql: string): string {
  return sql
    .replace(/["`]/g, '')
    .replace(/(?<!:):(?!:)(?:\.\.\.)?[A-Za-z_][\w]*|\$\d+/g, '?')
    .replace(/\s+/g, '')
    .toLowerCase();
}

function withoutOuterParentheses(text: string): string {
  let result = text;
  while (result.startsWith('(') && closingParenthesis(result) === result.length - 1) result = result.slice(1, -1);
  return result;
}

/** Index of the parenthesis closing the one at 0. */
function closingParenthesis(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
