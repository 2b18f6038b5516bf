import type { ObjectLiteral, QueryRunner, SelectQueryBuilder } from 'typeorm';
import { dialectOf, type VectorDialect } from '../dialects';
import { UnsupportedVectorFeatureError, VectorConfigurationError } from '../errors';
import { dataSourceOf, prefixSelects, queryRunnerOf } from '../typeorm-internals';
import type { ReadFrom, VectorSearchTuning } from '../vocabulary';
import { checkReadFrom, onReadSide, readRunner } from './read-side';
import { inSearchTransaction } from './search-scope';
import { checkSearchTuning } from './search-tuning';

/**
 * Where a tuned query runs.
 *
 * @example
 * const options: VectorSearchOptions = { readFrom: 'primary' };
 */
export interface VectorSearchOptions {
  /**
   * The server of a replicated DataSource: `'replica'`, or `'primary'` to see your own latest
   * writes; default TypeORM's read mode. A query builder given a query runner runs on that one.
   */
  readFrom?: ReadFrom;
}

/**
 * A query builder's query with search settings for that query only: run it with the usual
 * `getMany`, `getOne`, `getRawMany`, `getRawOne`, `getRawAndEntities`, `getManyAndCount` or
 * `getCount`. PostgreSQL runs it in a transaction (a savepoint of the caller's) after `SET LOCAL`;
 * MariaDB prefixes each SELECT with `SET STATEMENT ... FOR`. The query builder itself is not
 * changed: each run uses a clone.
 *
 * @example
 * const docs = await repo.createQueryBuilder('doc').orderByCosine('doc.embedding', query).limit(100).vectorSearch({ efSearch: 200 }).getMany();
 */
export class TunedVectorQuery<Entity extends ObjectLiteral> {
  private readonly dialect: VectorDialect;
  private readonly readFrom: ReadFrom | undefined;

  constructor(
    private readonly qb: SelectQueryBuilder<Entity>,
    private readonly tuning: VectorSearchTuning,
    options: VectorSearchOptions = {},
  ) {
    this.dialect = dialectOf(dataSourceOf(qb));
    if (typeof options !== 'object' || options === null) {
      throw new VectorConfigurationError(`vectorSearch options ${String(options)} are not an object; pass e.g. { readFrom: 'primary' }.`);
    }
    const unknown = Object.keys(options).find((key) => key !== 'readFrom');
    if (unknown !== undefined) throw new VectorConfigurationError(`vectorSearch has no option '${unknown}'; use readFrom.`);
    checkReadFrom(options.readFrom, 'vectorSearch');
    this.readFrom = options.readFrom;
    checkSearchTuning(this.dialect, tuning, 'vectorSearch');
    const scope = this.dialect.capabilities.search?.scope;
    const findNearestOnly = tuning.overFetch !== undefined ? 'overFetch' : tuning.rerank !== undefined ? 'rerank' : undefined;
    if (findNearestOnly || (scope === 'candidates' && Object.values(tuning).some((value) => value !== undefined))) {
      throw new UnsupportedVectorFeatureError(
        `vectorSearch cannot apply ${findNearestOnly ?? 'search settings'} on ${this.dialect.capabilities.name}: candidate reads are findNearest's; pass search: { ... } to findNearest instead.`,
      );
    }
  }

  /** `SelectQueryBuilder.getMany`, with the settings. */
  getMany(): Promise<Entity[]> {
    return this.run((qb) => qb.getMany());
  }

  /** `SelectQueryBuilder.getOne`, with the settings. */
  getOne(): Promise<Entity | null> {
    return this.run((qb) => qb.getOne());
  }

  /** `SelectQueryBuilder.getRawMany`, with the settings. */
  getRawMany<T = any>(): Promise<T[]> {
    return this.run((qb) => qb.getRawMany<T>());
  }

  /** `SelectQueryBuilder.getRawOne`, with the settings. */
  getRawOne<T = any>(): Promise<T | undefined> {
    return this.run(async (qb) => (await qb.getRawOne<T>()) ?? undefined);
  }

  /** `SelectQueryBuilder.getRawAndEntities`, with the settings. */
  getRawAndEntities<T = any>(): Promise<{ entities: Entity[]; raw: T[] }> {
    return this.run((qb) => qb.getRawAndEntities<T>());
  }

  /** `SelectQueryBuilder.getManyAndCount`, with the settings. */
  getManyAndCount(): Promise<[Entity[], number]> {
    return this.run((qb) => qb.getManyAndCount());
  }

  /** `SelectQueryBuilder.getCount`, with the settings. */
  getCount(): Promise<number> {
    return this.run((qb) => qb.getCount());
  }

  private async run<T>(execute: (qb: SelectQueryBuilder<Entity>) => Promise<T>): Promise<T> {
    const settings = this.dialect.sql.searchSettings?.(this.tuning) ?? {};
    const scope = this.dialect.capabilities.search?.scope;
    const callers = queryRunnerOf(this.qb);
    if (!Object.keys(settings).length) {
      if (callers || this.readFrom === undefined) return execute(this.qb.clone());
      const runner = readRunner(dataSourceOf(this.qb), this.readFrom);
      try {
        return await execute(this.qb.clone().setQueryRunner(runner));
      } finally {
        await runner.release();
      }
    }
    if (scope === 'transaction') {
      const manager = callers?.manager ?? dataSourceOf(this.qb).manager;
      return onReadSide(manager, this.readFrom, (scoped) =>
        inSearchTransaction(scoped, this.dialect, settings, ({ runner }) => execute(this.qb.clone().setQueryRunner(runner))),
      );
    }
    const prefix = scope === 'statement' ? this.dialect.sql.statementPrefix?.(settings) : undefined;
    if (!prefix) {
      throw new UnsupportedVectorFeatureError(`${this.dialect.capabilities.name} cannot apply search settings to a query builder's query; use findNearest with search: { ... }.`);
    }
    const runner: QueryRunner = callers ?? readRunner(dataSourceOf(this.qb), this.readFrom);
    try {
      return await execute(this.qb.clone().setQueryRunner(prefixSelects(runner, prefix)));
    } finally {
      if (!callers) await runner.release();
    }
  }
}

/**
 * Runs `qb` with search settings for that one query; the same as `qb.vectorSearch(tuning)`.
 *
 * @example
 * const docs = await withVectorSearch(qb.orderByL2('doc.embedding', query).limit(10), { efSearch: 100 }).getMany();
 */
export function withVectorSearch<Entity extends ObjectLiteral>(qb: SelectQueryBuilder<Entity>, tuning: VectorSearchTuning, options?: VectorSearchOptions): TunedVectorQuery<Entity> {
  return new TunedVectorQuery(qb, tuning, options);
}
