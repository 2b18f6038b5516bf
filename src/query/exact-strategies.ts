import type { ObjectLiteral, QueryRunner } from 'typeorm';
import type { VectorDialect } from '../dialects';
import { orderedQuery, runOrderedSearch, type NearestSearch, type NearestStrategy } from './nearest-search';
import { inSearchTransaction } from './search-scope';

/**
 * `ORDER BY distance LIMIT n` with the conditions, the distance selected: an exact search, for a
 * column with no vector index serving the metric.
 *
 * @example
 * await EXACT.find(search); // { rows, strategy: 'exact', index: undefined, scanned: undefined }
 */
export const EXACT: NearestStrategy = {
  index: undefined,
  async find(search) {
    return { rows: await runOrderedSearch(search, undefined), strategy: 'exact', index: undefined, scanned: undefined };
  },
  inspectFirstQuery: (search, inspect) => inspect(orderedQuery(search.createQueryBuilder(), search), undefined),
};

/**
 * An exact search on a column that has a vector index the database would otherwise pick
 * (`useIndex: false`, and the last step of every index strategy): index scans off for its
 * transaction on PostgreSQL, the distance hidden from the index on MariaDB; elsewhere a plain
 * `ORDER BY distance` never reads a vector index.
 *
 * @example
 * await exactWithoutIndex(postgresDialect).find(search); // strategy 'exact'
 */
export function exactWithoutIndex(dialect: VectorDialect): NearestStrategy {
  const exactScan = dialect.sql.transactionSettings?.exactScan;
  const inScope = <Entity extends ObjectLiteral, T>(search: NearestSearch<Entity>, run: (runner: QueryRunner | undefined) => Promise<T>) =>
    exactScan
      ? inSearchTransaction(search.manager, dialect, exactScan, ({ runner }) => run(runner))
      : run(undefined);
  return {
    index: undefined,
    find: (search) =>
      inScope(search, async (runner) => ({
        rows: await runOrderedSearch(search, runner, { unindexed: true }),
        strategy: 'exact',
        index: undefined,
        scanned: undefined,
      })),
    inspectFirstQuery: (search, inspect) => inScope(search, (runner) => inspect(orderedQuery(search.createQueryBuilder(runner), search, { unindexed: true }), runner)),
  };
}

