import type { ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { validateVector, type VectorInput } from '../codecs';
import { findVectorColumn } from '../column/vector-column-registry';
import { assertMetric, type VectorDialect, type VectorMetric } from '../dialects/dialect';
import { resolveDialect } from '../dialects/resolve';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { uniqueParameterName } from './distance-expression';

/** A vector index `findNearest` will name in its query. */
export interface IndexChoice {
  name: string;
  dialect: VectorDialect;
  dimensions: number;
  subject: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * The index `findNearest` should read for `column` and `metric`, following its `useIndex` option,
 * or `undefined` for an exact scan. Throws when `useIndex` asks for an index that does not exist
 * or does not fit.
 *
 * @example
 * await findNearestIndex(repo, 'embedding', 'l2', undefined); // { name: 'doc_embedding_l2', ... } on libSQL with such an index
 */
export async function findNearestIndex<Entity extends ObjectLiteral>(
  repository: Repository<Entity>,
  column: string,
  metric: VectorMetric,
  useIndex: unknown,
): Promise<IndexChoice | undefined> {
  if (useIndex !== undefined && typeof useIndex !== 'boolean' && !(typeof useIndex === 'string' && IDENTIFIER.test(useIndex))) {
    throw new VectorConfigurationError(
      `findNearest useIndex ${JSON.stringify(useIndex)} is not true, false or an index name; pass e.g. useIndex: 'doc_embedding_idx'.`,
    );
  }
  if (useIndex === false) return undefined;
  const dialect = resolveDialect(repository.manager.connection);
  assertMetric(dialect, metric);
  const lookup = dialect.nearestIndex;
  if (!lookup) {
    if (useIndex === undefined) return undefined;
    throw new UnsupportedVectorFeatureError(`${dialect.name} has no vector index that findNearest can name in a query; leave useIndex unset.`);
  }
  const metadata = repository.metadata;
  const columnMetadata = metadata.findColumnWithPropertyPath(column);
  const spec = columnMetadata && findVectorColumn(columnMetadata.target, columnMetadata.propertyName);
  if (!columnMetadata || !spec) return undefined; // the query builder reports the bad column
  const indexes = await lookup.listIndexes((sql, parameters) => repository.manager.query(sql, parameters), metadata.tableName);
  const onColumn = indexes.filter((index) => index.column === columnMetadata.databaseName);
  const choice = (name: string): IndexChoice => ({ name, dialect, dimensions: spec.dimensions, subject: spec.subject });
  if (typeof useIndex === 'string') {
    const named = onColumn.find((index) => index.name === useIndex);
    if (!named) {
      throw new VectorConfigurationError(
        `findNearest useIndex '${useIndex}' is not a vector index on ${metadata.tableName}.${columnMetadata.databaseName}; use one of: ${onColumn.map((i) => i.name).join(', ') || '(none)'}.`,
      );
    }
    if (named.metric !== metric) {
      throw new VectorConfigurationError(
        `Vector index '${useIndex}' orders by '${named.metric}' distance, not '${metric}'; pass metric: '${named.metric}' or another index.`,
      );
    }
    return choice(named.name);
  }
  const matching = onColumn.find((index) => index.metric === metric);
  if (matching) return choice(matching.name);
  if (useIndex === true) {
    throw new VectorConfigurationError(
      `${metadata.tableName}.${columnMetadata.databaseName} has no vector index for '${metric}' distance; create one or leave useIndex unset for an exact scan.`,
    );
  }
  return undefined;
}

/**
 * Validates `vector` for the index's column, binds it on `qb` and returns the parameter name.
 *
 * @example
 * const name = bindVector(qb, choice, [0.1, 0.2, 0.3]); // 'tv_vector_12'
 */
export function bindVector(qb: SelectQueryBuilder<any>, index: IndexChoice, vector: VectorInput): string {
  const subject = `Query vector for ${index.subject}`;
  const encoded = index.dialect.encode(validateVector(vector, index.dimensions, subject), subject);
  const name = uniqueParameterName('vector');
  qb.setParameter(name, encoded);
  return name;
}
