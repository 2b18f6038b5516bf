import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CatalogVectorIndex, VectorDialect } from '../dialects';
import { UnsupportedVectorFeatureError } from '../errors';
import { escapeTable, type EscapeIdentifier, type IndexedFilterColumn, type IndexSearchPath } from '../vocabulary';
import { exactWithoutIndex } from './exact-strategies';
import { answerExactlyAgain, fallbackMemorySlot, forgetExactFallback, rememberExactFallback } from './exact-fallback-memory';
import { orderedQuery, runOrdered, type NearestSearch, type NearestStrategy } from './nearest-search';
import { uniqueParameterName } from './parameter-names';
import type { BoundQueryVector } from './query-vector';

/**
 * Reads candidates from an index in a subquery (libSQL `vector_top_k`, sqlite-vec `vec0`,
 * MariaDB's `ORDER BY distance LIMIT k` in a derived table) and filters and re-ranks them by exact
 * distance. The first read asks for `limit x overFetch` candidates (at least `efSearch` and the
 * index's minimum); when fewer than `limit` pass the conditions, `k` grows by the pass rate seen
 * (2x to 16x) and the query runs again; once `k` would pass the index's `exactBeyond` share of the
 * table (or its cap on `k`), an exact search answers. An exact index (vec0) reads every row each
 * time, so it is read once. After an approximate index ran out, searches with the same conditions
 * and limit answer exactly at once for a while (`EXACT_FALLBACK_MEMORY`), without reading it first.
 *
 * @example
 * const strategy = candidateIndex(libsqlDialect, { name: 'doc_idx', column: 'embedding', kind: 'diskann', ... }, path);
 */
export function candidateIndex(
  dialect: VectorDialect,
  index: CatalogVectorIndex,
  path: Extract<IndexSearchPath, { kind: 'candidates' }>,
  filterColumns: Readonly<Record<string, IndexedFilterColumn>> = {},
): NearestStrategy {
  const condition = index.kind && dialect.sql.candidates?.[index.kind];
  if (!condition || !index.column) {
    throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} cannot read candidates from index '${index.name}'; pass useIndex: false for an exact search.`);
  }
  const column = index.column;
  const cap = path.maxK ?? Number.POSITIVE_INFINITY;
  /** `where` as conditions the index evaluates inside its search, when all of it can be (then one read is exact). */
  const pushed = (search: Pick<NearestSearch<ObjectLiteral>, 'whereOnly'>, escape: EscapeIdentifier) =>
    search.whereOnly !== undefined && Object.keys(filterColumns).length ? dialect.sql.pushDown?.(search.whereOnly, filterColumns, escape) : undefined;
  const build = <Entity extends ObjectLiteral>(search: NearestSearch<Entity>, k: number) => {
    const qb = search.createQueryBuilder();
    const escape = (identifier: string) => qb.escape(identifier);
    const restrict = (bound: BoundQueryVector) => {
      const kName = uniqueParameterName('k');
      const inside = pushed(search, escape);
      const candidates = condition({
        aliasSql: escape(qb.alias),
        tableSql: escapeTable(search.table.path, escape),
        primaryColumnsSql: search.table.primaryColumns.map(escape),
        index: index.name,
        column,
        metric: bound.metric,
        vectorSql: bound.vectorSql,
        kSql: `:${kName}`,
        ...(inside ? { pushedSql: bindPositional(qb, inside.sql, inside.parameters) } : {}),
        escape,
      });
      qb.andWhere(candidates, { [kName]: k });
    };
    return orderedQuery(qb, search, { restrict });
  };
  const firstK = (search: Pick<NearestSearch<ObjectLiteral>, 'limit' | 'tuning'>) =>
    Math.min(cap, Math.max(path.minK, search.limit * (search.tuning.overFetch ?? 1), search.tuning.efSearch ?? 0));
  const exact = exactWithoutIndex(dialect);
  return {
    index,
    async find(search) {
      if (search.limit > cap) return { ...(await exact.find(search)), strategy: 'exact-fallback', index: index.name };
      // An approximate index that just ran out for these conditions answers exactly at once for a while.
      const slot = path.exact ? undefined : fallbackMemorySlot(search, index.name);
      if (slot && answerExactlyAgain(slot)) return { ...(await exact.find(search)), strategy: 'exact-fallback', index: index.name };
      let k = firstK(search);
      let total: number | undefined;
      // An exact index evaluating every condition itself returns the nearest `limit` that pass: one
      // read answers (unless soft-deleted rows, which the index still holds, are taken out after it).
      const answersAlone = path.exact && !search.table.softDeletes && pushed(search, (name) => name) !== undefined;
      if (answersAlone) k = Math.min(cap, Math.max(path.minK, search.limit));
      for (let round = 0; ; round++) {
        const rows = await runOrdered(build(search, k), search);
        const strategy = round === 0 ? 'index' : 'index-iterative';
        if (rows.length >= search.limit || answersAlone) {
          if (slot) forgetExactFallback(slot);
          return { rows, strategy, index: index.name, scanned: k };
        }
        total ??= await search.countRows();
        // Every row was a candidate: an exact index has answered; an approximate one may have missed rows.
        if (k >= total && path.exact) return { rows, strategy, index: index.name, scanned: k };
        const next = Math.min(nextK(k, rows.length, search.limit), total, cap);
        // An exact index scans every row per read; a graph read of k candidates costs about as much
        // as an exact scan of k / exactBeyond rows: past that, or at a cap, the exact search is cheaper.
        if (path.exact || k >= cap || k >= total || next <= k || next > total * path.exactBeyond) {
          if (slot) rememberExactFallback(slot);
          return { ...(await exact.find(search)), strategy: 'exact-fallback', index: index.name, scanned: k };
        }
        k = next;
      }
    },
    inspectFirstQuery: (search, inspect) => inspect(build(search, firstK(search)), undefined),
  };
}

/**
 * The next candidate count after `found` of `k` candidates passed: enough for `limit` at the pass
 * rate seen, with half again as margin, growing at least 2x and at most 16x per round.
 *
 * @example
 * nextK(40, 0, 10); // 640
 * nextK(640, 6, 10); // 1600
 */
export function nextK(k: number, found: number, limit: number): number {
  const wanted = found === 0 ? Number.POSITIVE_INFINITY : Math.ceil(((k * limit) / found) * 1.5);
  return Math.min(k * 16, Math.max(k * 2, wanted));
}


/**
 * Binds constraints written with positional `?` parameters on `qb` under fresh names, and returns
 * them with named placeholders (`:tv_filter_3`).
 */
function bindPositional(qb: SelectQueryBuilder<any>, sql: string, parameters: readonly unknown[]): string {
  const parts = sql.split('?');
  if (parts.length !== parameters.length + 1) throw new Error(`Internal error: ${parameters.length} parameters for the pushed-down conditions ${sql}.`);
  return parts.reduce((text, part, i) => {
    if (i === 0) return part;
    const name = uniqueParameterName('filter');
    qb.setParameter(name, parameters[i - 1]);
    return `${text}:${name}${part}`;
  }, '');
}

