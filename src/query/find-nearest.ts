import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { VectorInput } from '../codecs';
import { dialectOf, type VectorDialect } from '../dialects';
import { VectorConfigurationError } from '../errors';
import { dataSourceOf } from '../typeorm-internals';
import type { VectorMetric } from '../vocabulary';
import { checkIndexMetric } from './index-metric-check';
import { checkUseIndex, chooseNearestStrategy, hasNamedCandidates, type Nearest } from './nearest-strategy';
import { prepareQueryVector } from './query-vector';

export type { Nearest } from './nearest-strategy';

/**
 * Options of `findNearest`.
 *
 * @example
 * const options: FindNearestOptions<Doc> = { column: 'embedding', vector: query, metric: 'cosine', limit: 5, filter: (qb) => qb.where('entity.lang = :l', { l: 'en' }) };
 */
export interface FindNearestOptions<Entity extends ObjectLiteral> {
  /** Vector property of the entity, e.g. `'embedding'`. */
  column: string;
  /** The query vector. */
  vector: VectorInput;
  /** Distance metric (default `'l2'`). */
  metric?: VectorMetric;
  /** How many rows to return (default 10). */
  limit?: number;
  /** Extra conditions: receives the query builder (entity alias `entity`) before it runs. */
  filter?: (qb: SelectQueryBuilder<Entity>) => void;
  /**
   * Throw instead of logging a warning when the column has `@VectorIndex`es and none serves
   * `metric` (default: the index's own `strict`).
   */
  strict?: boolean;
  /**
   * On backends whose vector index must be named in the query (libSQL's `vector_top_k`, sqlite-vec's
   * vec0): unset uses an index on the column for the metric when one exists, `true` requires one, a
   * string names it, `false` forces an exact scan. Elsewhere only unset and `false` are accepted.
   */
  useIndex?: boolean | string;
}

const OPTION_NAMES = ['column', 'vector', 'metric', 'limit', 'filter', 'strict', 'useIndex'];
const ALIAS = 'entity';

/**
 * The `limit` entities nearest to `vector`, closest first, with their exact distances. On libSQL and
 * SQLite, an index the query must name (`vector_top_k`, a `vec0` table) serving the metric is read
 * for candidates, which grow until `limit` rows pass the `filter`, then re-ranked exactly;
 * PostgreSQL and MariaDB pick their indexes themselves. The query vector is bound once.
 *
 * @example
 * const near = await findNearest(dataSource.getRepository(Doc), { column: 'embedding', vector: query, metric: 'cosine', limit: 5 });
 * // [{ entity: Doc { id: 4, ... }, distance: 0.012 }, ...]
 */
export async function findNearest<Entity extends ObjectLiteral>(repository: Repository<Entity>, options: FindNearestOptions<Entity>): Promise<Array<Nearest<Entity>>> {
  if (typeof options !== 'object' || options === null) {
    throw new VectorConfigurationError(`findNearest options ${String(options)} are not an object; pass e.g. { column: 'embedding', vector: query }.`);
  }
  const unknown = Object.keys(options).filter((key) => !OPTION_NAMES.includes(key));
  if (unknown.length) {
    throw new VectorConfigurationError(`findNearest has no option '${unknown[0]!}'; use ${OPTION_NAMES.join(', ')}.`);
  }
  const { column, vector, metric = 'l2', limit = 10, filter, useIndex, strict } = options;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new VectorConfigurationError(`findNearest limit ${String(limit)} is not a positive integer; pass e.g. limit: 10.`);
  }
  if (typeof column !== 'string') {
    throw new VectorConfigurationError(`findNearest column ${String(column)} is not a property name; pass e.g. column: 'embedding'.`);
  }
  if (filter !== undefined && typeof filter !== 'function') {
    throw new VectorConfigurationError(`findNearest filter ${String(filter)} is not a function; pass e.g. filter: (qb) => qb.where('entity.lang = :lang', { lang: 'en' }).`);
  }
  if (strict !== undefined && typeof strict !== 'boolean') {
    throw new VectorConfigurationError(`findNearest strict ${JSON.stringify(strict)} is not a boolean; pass strict: true or false.`);
  }
  checkUseIndex(useIndex);
  const dataSource = dataSourceOf(repository.manager);
  const dialect = dialectOf(dataSource);
  const prepared = prepareQueryVector(repository.createQueryBuilder(ALIAS), `${ALIAS}.${column}`, vector, metric);
  checkIndexMetric(dataSource, prepared.column, prepared.metric, strict);
  const table = prepared.column.entity.tablePath;
  const subject = `${table}.${prepared.column.column.databaseName}`;
  const indexes = useIndex !== false && hasNamedCandidates(dialect) ? await columnIndexes(repository, dialect, prepared.column.column.databaseName) : [];
  const strategy = chooseNearestStrategy(dialect, subject, prepared, useIndex, indexes);
  return strategy.find({
    createQueryBuilder: () => repository.createQueryBuilder(ALIAS),
    filter,
    vector: prepared,
    limit,
    countRows: () => repository.count({ withDeleted: true }),
  });
}

async function columnIndexes<Entity extends ObjectLiteral>(repository: Repository<Entity>, dialect: VectorDialect, column: string) {
  const { introspection } = dialect;
  if (!introspection.vectorIndexesOnTable || !introspection.readVectorIndexes) return [];
  const { sql, parameters } = introspection.vectorIndexesOnTable(repository.metadata.tablePath);
  const rows: unknown = await repository.manager.query(sql, parameters);
  return introspection.readVectorIndexes(Array.isArray(rows) ? rows : []).filter((index) => index.column === column);
}
