import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';

/** What an `afterQuery` event carries that a listener reads. */
export interface AfterQueryEvent {
  query: string;
  success: boolean;
  /** The query runner that ran the query (inside its transaction, if one is open). */
  queryRunner: QueryRunner;
}

/**
 * Calls `listener` after every query the DataSource runs (awaited before the query's promise
 * settles), from any query runner. Added after metadata building, so it survives the TypeORM CLI
 * clearing `subscribers` from the options.
 *
 * Touch point: `DataSource#subscribers` (the built subscriber list) and the `afterQuery` event,
 * which the PostgreSQL query runner broadcasts on every supported TypeORM release.
 *
 * @example
 * listenAfterQuery(dataSource, async (event) => { if (/EXTENSION/.test(event.query)) await refresh(); });
 */
export function listenAfterQuery(dataSource: DataSource, listener: (event: AfterQueryEvent) => Promise<void>): void {
  const subscriber: EntitySubscriberInterface = { afterQuery: (event: AfterQueryEvent) => listener(event) } as EntitySubscriberInterface;
  (dataSource.subscribers as EntitySubscriberInterface[]).push(subscriber);
}
