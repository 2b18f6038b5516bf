import type { FindOptionsWhere, ObjectLiteral, QueryRunner, Repository, SelectQueryBuilder } from 'typeorm';
import type { VectorInput } from '../codecs';
import { fullTextIndexesOf, type AttachedFullTextIndex } from '../column/full-text-index-attachment';
import { dialectOf, type FullTextDialect } from '../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { dataSourceOf, selectQueryShape } from '../typeorm-internals';
import { isTextSearchConfig, type ReadFrom, type VectorMetric, type VectorSearchTuning } from '../vocabulary';
import { planNearest } from './find-nearest';
import { selectBinaryVectors } from './binary-vector-reads';
import { DISTANCE_ALIAS, entitiesWithRows, type NearestSearch } from './nearest-search';
import { uniqueParameterName } from './parameter-names';

/**
 * Options of `findHybrid`.
 *
 * @example
 * const options: FindHybridOptions<Doc> = {
 *   vector: { column: 'embedding', value: queryEmbedding, metric: 'cosine' },
 *   text: { columns: ['title', 'body'], query: 'install pgvector' },
 *   limit: 10, where: { lang: 'en' }, weights: { text: 0.5 },
 * };
 */
export interface FindHybridOptions<Entity extends ObjectLiteral> {
  /** The vector side: the vector property, the query vector and the metric (default `'l2'`). */
  vector: { column: string; value: VectorInput; metric?: VectorMetric };
  /**
   * The full-text side: the properties of one `@FullTextIndex` of the entity (in any order), the
   * user's query text (always bound; any characters), and on PostgreSQL the text search
   * configuration (default: the index's).
   */
  text: { columns: string[]; query: string; config?: string };
  /** How many rows to return (default 10). */
  limit?: number;
  /** TypeORM find-style conditions, applied to both sides. */
  where?: FindOptionsWhere<Entity> | Array<FindOptionsWhere<Entity>>;
  /** The `k` of reciprocal rank fusion, `weight / (rrfK + rank)` (default 60). */
  rrfK?: number;
  /** Each side's weight in the fused score (default 1 each; 0 leaves a side out of the score). */
  weights?: { vector?: number; text?: number };
  /** Rows each side ranks (default 4 x limit). */
  candidates?: number;
  /** Search settings of the vector side (see `findNearest`). */
  search?: VectorSearchTuning;
  /** Which vector index the vector side reads (see `findNearest`). */
  useIndex?: boolean | string;
  /** The server of a replicated DataSource it runs on: `'replica'` or `'primary'` (default: TypeORM's read mode), as in `findNearest`. */
  readFrom?: ReadFrom;
}

/**
 * One row of a hybrid search: the entity, its fused score, and its rank on each side (1 is best;
 * `null` where that side did not rank it among its candidates).
 *
 * @example
 * const [best]: Array<Hybrid<Doc>> = await findHybrid(repo, options); // { entity, score: 0.0325, vectorRank: 1, textRank: 2 }
 */
export interface Hybrid<Entity> {
  entity: Entity;
  score: number;
  vectorRank: number | null;
  textRank: number | null;
}

const OPTION_NAMES = ['vector', 'text', 'limit', 'where', 'rrfK', 'weights', 'candidates', 'search', 'useIndex', 'readFrom'];
const ALIAS = 'entity';
const CALLER = 'findHybrid';

/**
 * Keyword and semantic search fused in one SQL statement, on every backend: the `candidates`
 * nearest rows to the vector (read as `findNearest` reads them first: through the vector index,
 * with `where` and the search settings) and the `candidates` best full-text matches (the backend's
 * own ranking: `ts_rank_cd` on PostgreSQL, `bm25` on SQLite and libSQL, `MATCH ... AGAINST` on
 * MariaDB), each ranked, then fused by reciprocal rank fusion, `score = sum of weight / (rrfK +
 * rank)`, in CTEs of the same statement. A row found by one side only still counts. Best first,
 * ties by primary key.
 *
 * @example
 * const rows = await findHybrid(dataSource.getRepository(Doc), {
 *   vector: { column: 'embedding', value: await embed(q), metric: 'cosine' },
 *   text: { columns: ['title', 'body'], query: q },
 *   limit: 10,
 * });
 * // [{ entity: Doc { id: 7, ... }, score: 0.0325, vectorRank: 1, textRank: 3 }, ...]
 */
export async function findHybrid<Entity extends ObjectLiteral>(repository: Repository<Entity>, options: FindHybridOptions<Entity>): Promise<Array<Hybrid<Entity>>> {
  const checked = checkOptions(options);
  const dialect = dialectOf(dataSourceOf(repository.manager));
  const fullText = dialect.fullText;
  if (!fullText) throw new UnsupportedVectorFeatureError(`${CALLER} needs full-text search, which typeorm-vector does not offer on ${dialect.capabilities.name}; use findNearest.`);
  const index = textIndex(repository, checked.textColumns);
  const config = options.text.config ?? index.definition.config;
  return planNearest(
    repository,
    {
      column: options.vector.column,
      vector: options.vector.value,
      ...(options.vector.metric !== undefined ? { metric: options.vector.metric } : {}),
      limit: checked.candidates,
      ...(options.where !== undefined ? { where: options.where } : {}),
      ...(options.search !== undefined ? { search: options.search } : {}),
      ...(options.useIndex !== undefined ? { useIndex: options.useIndex } : {}),
      ...(options.readFrom !== undefined ? { readFrom: options.readFrom } : {}),
    },
    CALLER,
    ({ search, strategy }) => {
      const text = { fullText, index, config, query: fullText.prepareQuery(options.text.query) };
      return strategy.inspectFirstQuery(search, (vectorQuery, runner) => runFused(repository, search, vectorQuery, runner, text, checked));
    },
  );
}

interface CheckedOptions {
  limit: number;
  candidates: number;
  rrfK: number;
  weights: { vector: number; text: number };
  textColumns: string[];
}

function checkOptions<Entity extends ObjectLiteral>(options: FindHybridOptions<Entity>): CheckedOptions {
  const fail = (message: string) => new VectorConfigurationError(`${CALLER} ${message}.`);
  if (typeof options !== 'object' || options === null) throw fail(`options ${String(options)} are not an object; pass e.g. { vector: { column: 'embedding', value }, text: { columns: ['title'], query } }`);
  const unknown = Object.keys(options).find((key) => !OPTION_NAMES.includes(key));
  if (unknown !== undefined) throw fail(`has no option '${unknown}'; use ${OPTION_NAMES.join(', ')}`);
  const { vector, text, limit = 10, rrfK = 60, weights = {} } = options;
  if (typeof vector !== 'object' || vector === null || typeof vector.column !== 'string') throw fail(`vector ${JSON.stringify(vector)} has no column; pass vector: { column: 'embedding', value: queryVector }`);
  const vectorKeys = Object.keys(vector).find((key) => !['column', 'value', 'metric'].includes(key));
  if (vectorKeys !== undefined) throw fail(`vector has no option '${vectorKeys}'; use column, value, metric`);
  if (typeof text !== 'object' || text === null) throw fail(`text ${String(text)} is not an object; pass text: { columns: ['title', 'body'], query: 'words' }`);
  const textKeys = Object.keys(text).find((key) => !['columns', 'query', 'config'].includes(key));
  if (textKeys !== undefined) throw fail(`text has no option '${textKeys}'; use columns, query, config`);
  if (!Array.isArray(text.columns) || !text.columns.length || !text.columns.every((c) => typeof c === 'string')) throw fail(`text.columns ${JSON.stringify(text.columns)} is not a list of properties; pass e.g. columns: ['title', 'body']`);
  if (typeof text.query !== 'string') throw fail(`text.query ${JSON.stringify(text.query)} is not a string; pass the user's words, e.g. query: 'vector search'`);
  if (text.config !== undefined && !isTextSearchConfig(text.config)) throw fail(`text.config ${JSON.stringify(text.config)} is not a text search configuration name; pass e.g. config: 'english'`);
  if (!Number.isInteger(limit) || limit < 1) throw fail(`limit ${String(limit)} is not a positive integer; pass e.g. limit: 10`);
  const candidates = options.candidates ?? 4 * limit;
  if (!Number.isInteger(candidates) || candidates < 1) throw fail(`candidates ${String(candidates)} is not a positive integer; pass e.g. candidates: ${4 * limit}`);
  if (typeof rrfK !== 'number' || !Number.isFinite(rrfK) || rrfK < 0) throw fail(`rrfK ${String(rrfK)} is not a finite number >= 0; pass e.g. rrfK: 60`);
  if (typeof weights !== 'object' || weights === null) throw fail(`weights ${String(weights)} is not an object; pass e.g. weights: { vector: 1, text: 0.5 }`);
  const weightKeys = Object.keys(weights).find((key) => key !== 'vector' && key !== 'text');
  if (weightKeys !== undefined) throw fail(`weights has no side '${weightKeys}'; use vector and text`);
  const weight = (side: 'vector' | 'text') => {
    const value = weights[side] ?? 1;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw fail(`weights.${side} ${String(value)} is not a finite number >= 0; pass e.g. weights: { ${side}: 0.5 }`);
    return value;
  };
  return { limit, candidates, rrfK, weights: { vector: weight('vector'), text: weight('text') }, textColumns: text.columns };
}

/** The `@FullTextIndex` of the entity over exactly `columns` (in any order). */
function textIndex<Entity extends ObjectLiteral>(repository: Repository<Entity>, columns: readonly string[]): AttachedFullTextIndex {
  const indexes = fullTextIndexesOf(repository.metadata);
  const same = (a: readonly string[]) => a.length === columns.length && a.every((property) => columns.includes(property));
  const found = indexes.find((index) => same(index.properties));
  if (found) return found;
  const declared = indexes.map((index) => JSON.stringify(index.properties)).join(' or ');
  throw new VectorConfigurationError(
    `${CALLER} text.columns ${JSON.stringify(columns)} are not the properties of a @FullTextIndex on ${repository.metadata.name}; ${declared ? `pass columns: ${declared}` : `declare @FullTextIndex(${JSON.stringify(columns)}) on the entity`}.`,
  );
}

/**
 * The fused statement, on the strategy's query runner (PostgreSQL: inside its transaction with
 * the search settings): the vector query as the strategy built it (its selection narrowed to the
 * primary key and distance), the text query with the same conditions, ranks by ROW_NUMBER(), and
 * the fusion, joined back to the entity table.
 */
async function runFused<Entity extends ObjectLiteral>(
  repository: Repository<Entity>,
  search: NearestSearch<Entity>,
  vectorQuery: SelectQueryBuilder<Entity>,
  runner: QueryRunner | undefined,
  text: { fullText: FullTextDialect; index: AttachedFullTextIndex; config: string; query: string },
  options: CheckedOptions,
): Promise<Array<Hybrid<Entity>>> {
  const escape = (identifier: string) => vectorQuery.escape(identifier);
  const alias = escape(ALIAS);
  const primary = repository.metadata.primaryColumns.map((column, i) => ({ sql: `${alias}.${escape(column.databaseName)}`, id: `tv_id_${i}` }));
  const ids = primary.map((p) => escape(p.id)).join(', ');
  const selectIds = (qb: SelectQueryBuilder<Entity>) => primary.reduce((q, p, i) => (i === 0 ? q.select(p.sql, p.id) : q.addSelect(p.sql, p.id)), qb);

  const distance = selectQueryShape(vectorQuery).selects.find((select) => select.alias === DISTANCE_ALIAS);
  if (!distance) throw new Error(`Internal error: the vector query of ${CALLER} selects no ${DISTANCE_ALIAS}.`);
  selectIds(vectorQuery).addSelect(distance.selection, DISTANCE_ALIAS);

  const textQuery = search.createQueryBuilder(runner);
  search.conditions?.(textQuery);
  const queryName = uniqueParameterName('text');
  const match = text.fullText.match({
    aliasSql: alias,
    columnsSql: text.index.columns.map((column) => `${alias}.${escape(column.databaseName)}`),
    index: text.index.definition,
    config: text.config,
    querySql: `:${queryName}`,
    escape,
  });
  if (match.join) textQuery.innerJoin(match.join.table, match.join.alias, match.join.on);
  selectIds(textQuery).addSelect(match.relevance, 'tv_relevance').andWhere(match.condition, { [queryName]: text.query }).orderBy('tv_relevance', 'DESC');
  for (const p of primary) textQuery.addOrderBy(p.sql, 'ASC');
  textQuery.limit(options.candidates);

  const names = { weightVector: uniqueParameterName('weight'), weightText: uniqueParameterName('weight'), k: uniqueParameterName('rrf_k'), candidates: uniqueParameterName('candidates') };
  const [vectorHits, vectorRanks, textHits, textRanks, fused] = ['tv_vector_hits', 'tv_vector', 'tv_text_hits', 'tv_text', 'tv_fused'].map(escape) as [string, string, string, string, string];
  const ranked = (hits: string, order: string) => `SELECT ${ids}, ROW_NUMBER() OVER (ORDER BY ${order}, ${ids}) AS tv_rank FROM ${hits}`;
  // 1e0 makes the arithmetic floating point on every backend (an integer division otherwise, or MariaDB's 4-digit decimals).
  const part = (weight: string) => `(1e0 * :${weight}) / (1e0 * :${names.k} + tv_rank)`;
  const fusion =
    `SELECT ${ids}, SUM(tv_part) AS tv_score, MAX(tv_vector_rank) AS tv_vector_rank, MAX(tv_text_rank) AS tv_text_rank FROM (` +
    `SELECT ${ids}, ${part(names.weightVector)} AS tv_part, tv_rank AS tv_vector_rank, NULL AS tv_text_rank FROM ${vectorRanks} WHERE tv_rank <= :${names.candidates}` +
    ` UNION ALL SELECT ${ids}, ${part(names.weightText)}, NULL, tv_rank FROM ${textRanks}` +
    `) ${escape('tv_ranks')} GROUP BY ${ids}`;

  const qb = search.createQueryBuilder(runner);
  // Vector columns in binary where the backend has a binary form (pgvector's vector_send), as findNearest reads them.
  selectBinaryVectors(qb, search.binaryReads);
  qb.addCommonTableExpression(vectorQuery, 'tv_vector_hits')
    .addCommonTableExpression(ranked(vectorHits, `${escape(DISTANCE_ALIAS)} ASC`), 'tv_vector')
    .addCommonTableExpression(textQuery, 'tv_text_hits')
    .addCommonTableExpression(ranked(textHits, `${escape('tv_relevance')} DESC`), 'tv_text')
    .addCommonTableExpression(fusion, 'tv_fused')
    .innerJoin('tv_fused', 'tv_fused', primary.map((p) => `${fused}.${escape(p.id)} = ${p.sql}`).join(' AND '))
    .addSelect(`${fused}.${escape('tv_score')}`, 'tv_score')
    .addSelect(`${fused}.${escape('tv_vector_rank')}`, 'tv_vector_rank')
    .addSelect(`${fused}.${escape('tv_text_rank')}`, 'tv_text_rank')
    .setParameters({ [names.weightVector]: options.weights.vector, [names.weightText]: options.weights.text, [names.k]: options.rrfK, [names.candidates]: options.candidates })
    .orderBy('tv_score', 'DESC');
  for (const p of primary) qb.addOrderBy(p.sql, 'ASC');
  qb.limit(options.limit);

  const rank = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return (await entitiesWithRows(qb, search)).map(({ entity, row }) => ({
    entity,
    score: Number(row?.tv_score),
    vectorRank: rank(row?.tv_vector_rank),
    textRank: rank(row?.tv_text_rank),
  }));
}
