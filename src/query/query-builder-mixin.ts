import { SelectQueryBuilder, type ObjectLiteral } from 'typeorm';
import type { VectorValueInput } from '../codecs';
import type { VectorMetric, VectorSearchTuning } from '../vocabulary';
import { TunedVectorQuery, type VectorSearchOptions } from './tuned-query';
import * as functions from './vector-query-functions';
import type { DistanceComparison, OrderByDistanceOptions } from './vector-query-functions';

/**
 * The methods importing `typeorm-vector` adds to every `SelectQueryBuilder`, typed through
 * declaration merging (this interface is exported so the package's declarations load the merge).
 *
 * @example
 * const qb: SelectQueryBuilder<Doc> & VectorQueryBuilderMethods = repo.createQueryBuilder('doc');
 * qb.orderByCosine('doc.embedding', query).limit(5);
 */
export interface VectorQueryBuilderMethods<Entity extends ObjectLiteral = any> {
  /** Orders by L2 distance to `vector`, nearest first. @see orderByL2 */
  orderByL2(column: string, vector: VectorValueInput): this;
  /** Orders by cosine distance to `vector`, nearest first. @see orderByCosine */
  orderByCosine(column: string, vector: VectorValueInput): this;
  /** Orders by inner product with `vector`, largest first. @see orderByInnerProduct */
  orderByInnerProduct(column: string, vector: VectorValueInput): this;
  /** Orders by Hamming distance to a bit vector, nearest first. @see orderByHamming */
  orderByHamming(column: string, vector: VectorValueInput): this;
  /** Orders by Jaccard distance to a bit vector, nearest first. @see orderByJaccard */
  orderByJaccard(column: string, vector: VectorValueInput): this;
  /** Orders by distance in `metric`, nearest first. @see orderByDistance */
  orderByDistance(column: string, vector: VectorValueInput, metric: VectorMetric, options?: OrderByDistanceOptions): this;
  /** Selects the distance to `vector` as `alias`. @see addSelectDistance */
  addSelectDistance(column: string, vector: VectorValueInput, metric: VectorMetric, alias: string): this;
  /** ANDs `distance op threshold` to the WHERE clause. @see andWhereDistance */
  andWhereDistance(column: string, vector: VectorValueInput, metric: VectorMetric, op: DistanceComparison, threshold: number): this;
  /** This query with search settings for it only (`getMany()` etc. on the result). @see withVectorSearch */
  vectorSearch(tuning: VectorSearchTuning, options?: VectorSearchOptions): TunedVectorQuery<Entity>;
}

declare module 'typeorm/query-builder/SelectQueryBuilder' {
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface SelectQueryBuilder<Entity> extends VectorQueryBuilderMethods<Entity> {}
}

/* eslint-disable @typescript-eslint/no-explicit-any */
const methods = {
  orderByL2(this: SelectQueryBuilder<any>, column: string, vector: VectorValueInput) {
    return functions.orderByL2(this, column, vector);
  },
  orderByCosine(this: SelectQueryBuilder<any>, column: string, vector: VectorValueInput) {
    return functions.orderByCosine(this, column, vector);
  },
  orderByInnerProduct(this: SelectQueryBuilder<any>, column: string, vector: VectorValueInput) {
    return functions.orderByInnerProduct(this, column, vector);
  },
  orderByHamming(this: SelectQueryBuilder<any>, column: string, vector: VectorValueInput) {
    return functions.orderByHamming(this, column, vector);
  },
  orderByJaccard(this: SelectQueryBuilder<any>, column: string, vector: VectorValueInput) {
    return functions.orderByJaccard(this, column, vector);
  },
  orderByDistance(this: SelectQueryBuilder<any>, column: string, vector: VectorValueInput, metric: VectorMetric, options?: OrderByDistanceOptions) {
    return functions.orderByDistance(this, column, vector, metric, options);
  },
  addSelectDistance(this: SelectQueryBuilder<any>, column: string, vector: VectorValueInput, metric: VectorMetric, alias: string) {
    return functions.addSelectDistance(this, column, vector, metric, alias);
  },
  andWhereDistance(
    this: SelectQueryBuilder<any>,
    column: string,
    vector: VectorValueInput,
    metric: VectorMetric,
    op: DistanceComparison,
    threshold: number,
  ) {
    return functions.andWhereDistance(this, column, vector, metric, op, threshold);
  },
  vectorSearch(this: SelectQueryBuilder<any>, tuning: VectorSearchTuning, options?: VectorSearchOptions) {
    return new TunedVectorQuery(this, tuning, options);
  },
};

/**
 * Adds `orderByL2`, `orderByCosine`, `orderByInnerProduct`, `orderByHamming`, `orderByJaccard`,
 * `orderByDistance`, `addSelectDistance`,
 * `andWhereDistance` and `vectorSearch` to TypeORM's SelectQueryBuilder. This is the library's only prototype change
 * (VectorDataSource changes only its own driver instance, never a prototype);
 * importing `typeorm-vector` runs it once, and running it again changes nothing. A method that
 * already exists with another body (another library's) is left alone and reported.
 *
 * @example
 * installQueryBuilderMethods();
 * repo.createQueryBuilder('doc').orderByL2('doc.embedding', query).limit(5).getMany();
 */
export function installQueryBuilderMethods(prototype: object = SelectQueryBuilder.prototype): void {
  for (const [name, method] of Object.entries(methods)) {
    const existing = Object.getOwnPropertyDescriptor(prototype, name);
    if (existing?.value === method) continue;
    if (existing) {
      throw new Error(`SelectQueryBuilder.${name} is already defined by another library; call the plain function ${name}(qb, ...) from typeorm-vector instead.`);
    }
    Object.defineProperty(prototype, name, { value: method, writable: true, configurable: true, enumerable: false });
  }
}
