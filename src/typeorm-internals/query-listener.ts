import type { DataSource, EntitySubscriberInterface, QueryRunner } from 'typeorm';

/** What an `afterQuery` event carries that a listener reads. */
export interface AfterQueryEvent {
  query: string;
  success: boolean;
  /** The query runner that ran the query (inside its transaction, if one is open). */
  queryRunner: QueryRunner;
}

/**
 * Calls `listener` after every query the DataSource runs, from any query runner; a promise it
 * returns is awaited before the query's promise settles. A listener that returns nothing costs the
 * query no await: TypeORM waits only for the promises its subscribers return. Added after metadata
 * building, so it survives the TypeORM CLI clearing `subscribers` from the options.
 *
 * Touch point: `DataSource#subscribers` (the built subscriber list) and the `afterQuery` event,
 * which the PostgreSQL query runner broadcasts on every supported TypeORM release.
 *
 * @example
 * listenAfterQuery(dataSource, async (event) => { if (/EXTENSION/.test(event.query)) await refresh(); });
 */
export function listenAfterQuery(dataSource: DataSource, listener: (event: AfterQueryEvent) => Promise<void> | void): void {
  const subscriber: EntitySubscriberInterface = { afterQuery: (event: AfterQueryEvent) => listener(event) } as EntitySubscriberInterface;
  (dataSource.subscribers as EntitySubscriberInterface[]).push(subscriber);
}
