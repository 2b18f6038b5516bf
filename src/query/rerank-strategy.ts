import type { ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import type { CatalogVectorIndex, ResolvedSearchTuning, VectorDialect } from '../dialects';
import { UnsupportedVectorFeatureError } from '../errors';
import { escapeTable, type VectorIndexStorage } from '../vocabulary';
import { orderedQuery, runOrdered, runOrderedSearch, type NearestSearch, type NearestStrategy } from './nearest-search';
import { uniqueParameterName } from './parameter-names';
import type { BoundQueryVector } from './query-vector';
import { inSearchTransaction } from './search-scope';
import { DEFAULT_RERANK } from './search-tuning';

/**
 * For an index that orders by another metric than the query's (`storage: 'binary'`: Hamming
 * distance on pgvector's `binary_quantize(column)::bit(N)`, or on a vec0 `bit[N]` table filled with
 * sqlite-vec's `vec_quantize_binary(column)`): ONE query whose subquery reads the
 * `limit x rerank` rows with the nearest binary codes from the index, and which orders those by the
 * query's exact metric on the full vectors (conditions applied to them), keeping `limit`. The
 * index search is widened to return that many (`hnsw.ef_search` at least the candidate count, an
 * iterative scan past its cap of 1,000) and preferred to scanning (PostgreSQL underestimates
 * computing the codes of every out-of-line vector), in a transaction whose settings end with it. When fewer
 * than `limit` rows come back (a filter rejected most candidates), index scans are turned off and
 * an exact search answers.
 *
 * @example
 * await rerankIndex(postgresDialect, index, 'binary').find(search); // strategy 'index', distances exact
 */
export function rerankIndex(dialect: VectorDialect, index: CatalogVectorIndex, storage: VectorIndexStorage): NearestStrategy {
  const condition = dialect.sql.rerankCandidates?.[storage];
  if (!condition) {
    throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} cannot re-rank candidates of index '${index.name}'; pass useIndex: false for an exact search.`);
  }
  // An index read by name caps its candidates (sqlite-vec's k: 4096).
  const path = index.kind ? dialect.capabilities.indexes?.kinds[index.kind]?.search : undefined;
  const cap = path?.kind === 'candidates' ? (path.maxK ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
  const candidates = (search: Pick<NearestSearch<ObjectLiteral>, 'limit' | 'tuning'>) => Math.min(cap, search.limit * (search.tuning.rerank ?? DEFAULT_RERANK));
  const settings = (search: Pick<NearestSearch<ObjectLiteral>, 'limit' | 'tuning'>) => {
    const k = candidates(search);
    const knobs = dialect.capabilities.search?.knobs;
    const efCap = knobs?.efSearch?.type === 'integer' ? knobs.efSearch.max : k;
    const tuning: ResolvedSearchTuning = {
      ...search.tuning,
      efSearch: Math.min(efCap, Math.max(k, search.tuning.efSearch ?? 0)),
      ...(k > efCap && knobs?.iterativeScan && search.tuning.iterativeScan === 'off' ? { iterativeScan: 'relaxed_order' as const } : {}),
    };
    return { ...dialect.sql.transactionSettings?.preferIndex?.set, ...dialect.sql.searchSettings?.(tuning) };
  };
  const build = <Entity extends ObjectLiteral>(search: NearestSearch<Entity>, runner: QueryRunner): SelectQueryBuilder<Entity> => {
    const qb = search.createQueryBuilder(runner);
    const escape = (identifier: string) => qb.escape(identifier);
    const restrict = (bound: BoundQueryVector) => {
      const kName = uniqueParameterName('k');
      const sql = condition({
        aliasSql: escape(qb.alias),
        tableSql: escapeTable(search.table.path, escape),
        primaryColumnsSql: search.table.primaryColumns.map(escape),
        columnSql: escape(bound.column.column.databaseName),
        vectorSql: bound.vectorSql,
        kSql: `:${kName}`,
        dimensions: bound.column.spec.dimensions,
        index: index.name,
        escape,
      });
      qb.andWhere(sql, { [kName]: candidates(search) });
    };
    return orderedQuery(qb, search, { restrict });
  };
  return {
    index,
    find: (search) =>
      inSearchTransaction(search.manager, dialect, settings(search), async ({ runner, set }) => {
        const rows = await runOrdered(build(search, runner), search);
        if (rows.length >= search.limit) return { rows, strategy: 'index', index: index.name, scanned: candidates(search) };
        await set({ ...dialect.sql.transactionSettings?.preferIndex?.undo, ...dialect.sql.transactionSettings?.exactScan });
        const exact = await runOrderedSearch(search, runner, { unindexed: true });
        return { rows: exact, strategy: 'exact-fallback', index: index.name, scanned: candidates(search) };
      }),
    inspectFirstQuery: (search, inspect) =>
      inSearchTransaction(search.manager, dialect, settings(search), ({ runner }) => inspect(build(search, runner), runner)),
  };
}
