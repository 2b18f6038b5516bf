import type { SelectQueryBuilder } from 'typeorm';
import { ELEMENT_VALUES, type ElementValues } from '../codecs';
import { vectorIndexesOf } from '../column/vector-index-attachment';
import { assertMetric, codecOf, dialectOf, type CatalogVectorIndex, type VectorCodec, type VectorDialect } from '../dialects';
import { dataSourceOf } from '../typeorm-internals';
import { INDEX_STORAGE_RERANKED, type VectorIndexStorage, type VectorMetric } from '../vocabulary';
import { uniqueParameterName } from './parameter-names';
import { resolveVectorColumn, type ResolvedVectorColumn } from './vector-column-reference';

/** A query vector checked against its column and metric and encoded for the backend; nothing bound yet. */
export interface PreparedQueryVector {
  readonly dialect: VectorDialect;
  readonly column: ResolvedVectorColumn;
  readonly metric: VectorMetric;
  /** The value to bind. */
  readonly encoded: unknown;
  /** The codec of the column's element type. */
  readonly codec: VectorCodec<unknown>;
  /**
   * The storage of the `@VectorIndex` serving this column and metric, where it indexes an
   * expression of the column (`halfvec`): the distance is then written on that expression.
   */
  readonly storage: VectorIndexStorage | undefined;
}

/** A prepared query vector bound once on a query builder. */
export interface BoundQueryVector extends PreparedQueryVector {
  /** SQL reading the bound parameter as a vector, e.g. `CAST(:tv_vector_3 AS vector)`. */
  readonly vectorSql: string;
  /** SQL of the distance between the column and the vector; smaller is closer. */
  readonly distanceSql: string;
}

/**
 * Validates a column reference (`'alias.property'`), a metric and a query vector (for the column's
 * element type) for `qb`'s backend, and encodes the vector. Touches nothing: call `bindQueryVector` once the rest of the
 * input is checked, so bad input leaves the query builder as it was.
 *
 * @example
 * const prepared = prepareQueryVector(qb, 'doc.embedding', [1, 2, 3], 'l2');
 */
export function prepareQueryVector(qb: SelectQueryBuilder<any>, column: string, vector: unknown, metric: unknown): PreparedQueryVector {
  return prepareResolvedQueryVector(dialectOf(dataSourceOf(qb)), resolveVectorColumn(qb, column), vector, metric);
}

/**
 * `prepareQueryVector` for a column already resolved (`resolveVectorColumn`,
 * `resolveRepositoryVectorColumn`) on `dialect`'s backend.
 *
 * @example
 * const prepared = prepareResolvedQueryVector(postgresDialect, resolveRepositoryVectorColumn(repo, 'doc', 'embedding'), [1, 2, 3], 'l2');
 */
export function prepareResolvedQueryVector(dialect: VectorDialect, resolved: ResolvedVectorColumn, vector: unknown, metric: unknown): PreparedQueryVector {
  const { type, dimensions } = resolved.spec;
  assertMetric(dialect, metric, type);
  const subject = `Query vector for ${resolved.spec.subject}`;
  const codec = codecOf(dialect, type) as VectorCodec<unknown>;
  const validated = (ELEMENT_VALUES[type] as ElementValues<unknown>).validate(vector, dimensions, subject);
  const encoded = codec.encodeParameter ? codec.encodeParameter(validated, subject) : codec.encode(validated, subject);
  const storage = vectorIndexesOf(resolved.entity).find(
    (index) => index.column.propertyPath === resolved.column.propertyPath && index.definition.metric === metric && index.definition.storage !== undefined,
  )?.definition.storage;
  return { dialect, column: resolved, metric, encoded, codec, storage };
}

/**
 * `prepared` with its distance written on the expression `index` holds, so the planner can read
 * it: an index of a storage read by its own distance (`halfvec`: `column::halfvec(N)`) sets that
 * storage, a plain index none, and a re-ranked one (`binary`) none either (its candidates are read
 * by a condition of their own and ordered by the exact distance). With no index (an exact search),
 * `prepared` is kept as it is.
 *
 * @example
 * orderedLikeIndex(prepared, { name: 'doc_half', definition: '...', storage: 'halfvec', metric: 'cosine' }).storage; // 'halfvec'
 */
export function orderedLikeIndex(prepared: PreparedQueryVector, index: CatalogVectorIndex | undefined): PreparedQueryVector {
  if (!index) return prepared;
  const storage = index.storage && !INDEX_STORAGE_RERANKED[index.storage] && prepared.dialect.sql.indexStorage?.[index.storage] ? index.storage : undefined;
  return storage === prepared.storage ? prepared : { ...prepared, storage };
}

/**
 * Binds a prepared query vector on `qb` as one parameter, and returns the SQL that reads it and
 * its distance, to use as many times as the query needs (ORDER BY, SELECT, a candidate condition).
 *
 * @example
 * const bound = bindQueryVector(qb, prepared);
 * qb.orderBy(bound.distanceSql); // PostgreSQL: ("doc"."embedding" <-> CAST(:tv_vector_3 AS vector))
 * // with @VectorIndex({ metric: 'l2', storage: 'halfvec' }) on a vector(3072) column:
 * // (CAST("doc"."embedding" AS halfvec(3072)) <-> CAST(CAST(:tv_vector_3 AS vector) AS halfvec(3072)))
 */
export function bindQueryVector(qb: SelectQueryBuilder<any>, prepared: PreparedQueryVector): BoundQueryVector {
  const name = uniqueParameterName('vector');
  qb.setParameter(name, queryVectorParameter(prepared));
  const { dialect, codec, storage, column } = prepared;
  const { dimensions } = column.spec;
  const vectorSql = codec.parameterSql(`:${name}`, dimensions);
  const columnSql = codec.columnSql?.(column.sql) ?? column.sql;
  // A storage re-ranked exactly (binary, int8) leaves the distance exact: its index supplies candidates only.
  const stored = storage && !INDEX_STORAGE_RERANKED[storage] ? dialect.sql.indexStorage?.[storage] : undefined;
  const distanceSql = stored
    ? dialect.sql.distance(prepared.metric, stored(columnSql, dimensions), stored(vectorSql, dimensions))
    : dialect.sql.distance(prepared.metric, columnSql, vectorSql);
  return { ...prepared, vectorSql, distanceSql };
}

/**
 * The value `bindQueryVector` binds for `prepared`, to pass to a driver with SQL built earlier.
 *
 * @example
 * await runner.query(sql, [queryVectorParameter(search.vector)]);
 */
export function queryVectorParameter(prepared: PreparedQueryVector): unknown {
  return compactJson(prepared.encoded);
}

/**
 * A BLOB parameter (float32 bytes) that JSON-encodes as one base64 string: TypeORM builds an id of
 * every query it loads, `sql + JSON.stringify(parameters)` (for its result cache), and a Buffer's
 * own JSON is an array of one number per byte, which cost more than the whole query building on a
 * 384-dimension kNN. The id stays unique per vector; drivers bind the bytes as before. Only this
 * view of the bytes gets the property: the caller's vector and the codecs are untouched.
 */
function compactJson(encoded: unknown): unknown {
  if (!(encoded instanceof Uint8Array)) return encoded;
  const bytes = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  Object.defineProperty(bytes, 'toJSON', { value: () => bytes.toString('base64'), enumerable: false });
  return bytes;
}
