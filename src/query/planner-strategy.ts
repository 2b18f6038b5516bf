import type { CatalogVectorIndex, ResolvedSearchTuning, VectorDialect } from '../dialects';
import { orderedQuery, overFetched, runOrderedSearch, sortByDistance, type NearestStrategy } from './nearest-search';
import { inSearchTransaction } from './search-scope';

/**
 * For indexes the database picks itself (pgvector): `ORDER BY distance LIMIT limit x overFetch`
 * with the conditions, in a transaction whose settings (`SET LOCAL hnsw.ef_search`, iterative scans,
 * IVFFlat probes) end with it. Relaxed-order iterative scans return rows nearly in order: the rows
 * are re-sorted by exact distance and the first `limit` kept (on the bench's 1% filter, overFetch 4
 * raised recall@10 from 0.94 to 1.00). When fewer than `limit` rows come back, index scans are
 * turned off for the rest of the transaction and the query runs again, exactly.
 *
 * @example
 * await plannerIndex(postgresDialect, index).find(search); // strategy 'index-iterative' when filtered
 */
export function plannerIndex(dialect: VectorDialect, index: CatalogVectorIndex): NearestStrategy {
  const settings = (tuning: ResolvedSearchTuning) => dialect.sql.searchSettings?.(tuning) ?? {};
  return {
    index,
    find: (search) =>
      inSearchTransaction(search.manager, dialect, settings(search.tuning), async ({ runner, set }) => {
        const fetched = await runOrderedSearch(search, runner, { limit: overFetched(search) });
        const rows = sortByDistance(fetched).slice(0, search.limit);
        const iterative = search.conditions !== undefined && search.tuning.iterativeScan !== 'off';
        if (rows.length >= search.limit) return { rows, strategy: iterative ? 'index-iterative' : 'index', index: index.name, scanned: undefined };
        await set(dialect.sql.transactionSettings?.exactScan ?? {});
        const exact = await runOrderedSearch(search, runner, { unindexed: true });
        return { rows: exact, strategy: 'exact-fallback', index: index.name, scanned: undefined };
      }),
    inspectFirstQuery: (search, inspect) =>
      inSearchTransaction(search.manager, dialect, settings(search.tuning), ({ runner }) => inspect(orderedQuery(search.createQueryBuilder(runner), search, { limit: overFetched(search) }), runner)),
  };
}

