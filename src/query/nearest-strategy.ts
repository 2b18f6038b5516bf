import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { CatalogVectorIndex, VectorDialect } from '../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { isPlainIdentifier, type IndexSearchPath } from '../vocabulary';
import { uniqueParameterName } from './parameter-names';
import { bindQueryVector, type BoundQueryVector, type PreparedQueryVector } from './query-vector';

/**
 * One row of a nearest-neighbour search.
 *
 * @example
 * const [first]: Array<Nearest<Doc>> = await findNearest(repo, { column: 'embedding', vector: query }); first.distance;
 */
export interface Nearest<Entity> {
  entity: Entity;
  /** Distance to the query vector; for `inner_product`, the negative inner product. */
  distance: number;
}

/** What a strategy needs to run one search. */
export interface NearestSearch<Entity extends ObjectLiteral> {
  /** A fresh query builder of the entity (alias `entity`), with nothing added. */
  createQueryBuilder(): SelectQueryBuilder<Entity>;
  /** The caller's conditions, applied after the distance ordering (so its `addOrderBy` breaks ties). */
  readonly filter: ((qb: SelectQueryBuilder<Entity>) => void) | undefined;
  readonly vector: PreparedQueryVector;
  readonly limit: number;
  /** The number of rows in the table, soft-deleted ones included (asked only when candidates run short). */
  countRows(): Promise<number>;
}

/**
 * How the `limit` rows nearest to a query vector are found on one backend. Every strategy reports
 * the exact distance and orders by it (MariaDB, reading its VECTOR INDEX, may return a near-tie in
 * its index's order).
 */
export interface NearestStrategy {
  find<Entity extends ObjectLiteral>(search: NearestSearch<Entity>): Promise<Array<Nearest<Entity>>>;
}

const DISTANCE = 'tv_distance';

/**
 * `ORDER BY distance LIMIT n`, with the distance selected: exact, or through whatever index the
 * planner picks.
 *
 * @example
 * await ORDER_BY_DISTANCE.find({ createQueryBuilder: () => repo.createQueryBuilder('entity'), filter: undefined, vector, limit: 10, countRows });
 */
export const ORDER_BY_DISTANCE: NearestStrategy = {
  find: (search) => runOrdered(search.createQueryBuilder(), search, () => undefined),
};

/**
 * Reads candidates from an index the query must name (libSQL `vector_top_k`, sqlite-vec `vec0`) and
 * re-ranks them by exact distance. The index returns its `k` nearest rows before any filter applies,
 * so when fewer than `limit` of them pass, `k` grows fourfold and the query runs again; once `k`
 * reaches the table size (or the index's cap on `k`), an exact scan answers. Without a filter, an
 * exact index (vec0) answers in one read of `limit` rows.
 *
 * @example
 * const strategy = namedCandidates(dialect, { name: 'doc_idx', column: 'embedding', kind: 'diskann', ... }, path);
 */
export function namedCandidates(dialect: VectorDialect, index: CatalogVectorIndex, path: Extract<IndexSearchPath, { kind: 'named-candidates' }>): NearestStrategy {
  const condition = index.kind && dialect.sql.candidates?.[index.kind];
  if (!condition || !dialect.sql.rowIdSql || !index.column) {
    throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} cannot read candidates from index '${index.name}'; leave useIndex unset for an exact scan.`);
  }
  const rowIdSql = dialect.sql.rowIdSql;
  const column = index.column;
  return {
    async find(search) {
      const cap = path.maxK ?? Number.POSITIVE_INFINITY;
      if (search.limit > cap) return ORDER_BY_DISTANCE.find(search);
      let k = Math.min(cap, Math.max(path.minK, search.filter ? search.limit * 4 : search.limit));
      let total: number | undefined;
      for (;;) {
        const qb = search.createQueryBuilder();
        const candidatesK = k;
        const found = await runOrdered(qb, search, (bound) => {
          const kName = uniqueParameterName('k');
          const escape = (identifier: string) => qb.escape(identifier);
          qb.andWhere(condition({ rowIdSql: rowIdSql(qb.escape(qb.alias)), index: index.name, column, vectorSql: bound.vectorSql, kSql: `:${kName}`, escape }), { [kName]: candidatesK });
        });
        if (found.length >= search.limit) return found;
        total ??= await search.countRows();
        // Every row was a candidate: an exact index has answered; an approximate one may have missed rows.
        if (k >= total) return path.exact ? found : ORDER_BY_DISTANCE.find(search);
        if (k >= cap) return ORDER_BY_DISTANCE.find(search);
        k = Math.min(k * 4, total, cap);
      }
    },
  };
}

/**
 * The strategy `findNearest` uses for a column and metric, following `useIndex`: unset uses an index
 * the query must name when one serves the metric (else `ORDER BY distance`), `true` requires one, a
 * name picks it, `false` forces `ORDER BY distance`. `indexes` are the column's vector indexes from
 * the catalog.
 *
 * @example
 * chooseNearestStrategy(dialect, 'doc.embedding', 'cosine', undefined, indexes); // vector_top_k on libSQL
 */
export function chooseNearestStrategy(
  dialect: VectorDialect,
  subject: string,
  vector: PreparedQueryVector,
  useIndex: unknown,
  indexes: readonly CatalogVectorIndex[],
): NearestStrategy {
  checkUseIndex(useIndex);
  if (useIndex === false) return ORDER_BY_DISTANCE;
  const pathOf = (index: CatalogVectorIndex) => {
    const path = index.kind && dialect.capabilities.indexes?.kinds[index.kind]?.search;
    return path?.kind === 'named-candidates' ? path : undefined;
  };
  if (!hasNamedCandidates(dialect)) {
    if (useIndex === undefined) return ORDER_BY_DISTANCE;
    throw new UnsupportedVectorFeatureError(`${dialect.capabilities.name} picks its vector indexes itself, so findNearest cannot name one; leave useIndex unset.`);
  }
  const usable = indexes.filter((index) => pathOf(index));
  if (typeof useIndex === 'string') {
    const named = usable.find((index) => index.name === useIndex);
    if (!named) {
      throw new VectorConfigurationError(`findNearest useIndex '${useIndex}' is not a vector index on ${subject}; use one of: ${usable.map((i) => i.name).join(', ') || '(none)'}.`);
    }
    if (named.metric !== vector.metric) {
      throw new VectorConfigurationError(`Vector index '${useIndex}' orders by '${named.metric}' distance, not '${vector.metric}'; pass metric: '${named.metric}' or another index.`);
    }
    return namedCandidates(dialect, named, pathOf(named)!);
  }
  const matching = usable.find((index) => index.metric === vector.metric);
  if (matching) return namedCandidates(dialect, matching, pathOf(matching)!);
  if (useIndex === true) {
    throw new VectorConfigurationError(`${subject} has no vector index for '${vector.metric}' distance; create one or leave useIndex unset for an exact scan.`);
  }
  return ORDER_BY_DISTANCE;
}

/**
 * Throws unless `useIndex` is unset, a boolean or a plain index name.
 *
 * @example
 * checkUseIndex('doc; DROP TABLE doc'); // throws VectorConfigurationError
 */
export function checkUseIndex(useIndex: unknown): asserts useIndex is boolean | string | undefined {
  if (useIndex !== undefined && typeof useIndex !== 'boolean' && !isPlainIdentifier(useIndex)) {
    throw new VectorConfigurationError(`findNearest useIndex ${JSON.stringify(useIndex)} is not true, false or an index name; pass e.g. useIndex: 'doc_embedding_idx'.`);
  }
}

/**
 * Whether any index kind of `dialect` is read through named candidates (so `findNearest` lists the
 * column's indexes before it searches).
 *
 * @example
 * hasNamedCandidates(libsqlDialect); // true
 */
export function hasNamedCandidates(dialect: VectorDialect): boolean {
  return Object.values(dialect.capabilities.indexes?.kinds ?? {}).some((kind) => kind.search.kind === 'named-candidates');
}

/**
 * Selects the distance once and orders by its alias (so the vector appears in the statement once,
 * plus once in a candidate condition: drivers that bind positionally send it once per use), applies
 * the caller's filter, then `restrict` (a candidate condition, ANDed after the filter's WHERE).
 */
async function runOrdered<Entity extends ObjectLiteral>(
  qb: SelectQueryBuilder<Entity>,
  search: NearestSearch<Entity>,
  restrict: (bound: BoundQueryVector) => void,
): Promise<Array<Nearest<Entity>>> {
  const bound = bindQueryVector(qb, search.vector);
  qb.addSelect(bound.distanceSql, DISTANCE).orderBy(DISTANCE, 'ASC');
  search.filter?.(qb);
  restrict(bound);
  const { raw, entities } = await qb.limit(search.limit).getRawAndEntities();
  return entities.map((entity, index) => ({ entity, distance: Number((raw[index] as Record<string, unknown>)[DISTANCE]) }));
}
