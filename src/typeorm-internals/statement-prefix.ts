import type { QueryRunner } from 'typeorm';

/**
 * A view of `runner` whose `query` puts `prefix` before every SELECT it runs (MariaDB's
 * `SET STATEMENT mhnsw_ef_search = 100 FOR `), so a query builder given this runner runs its
 * SELECTs with statement-scoped settings. Everything else reaches `runner` unchanged; nothing is
 * patched, and the settings cannot outlive the statement.
 *
 * Touch point: a query builder runs its SQL through `queryRunner.query(sql, parameters, ...)`.
 *
 * @example
 * await qb.setQueryRunner(prefixSelects(runner, 'SET STATEMENT mhnsw_ef_search = 100 FOR ')).getMany();
 */
export function prefixSelects(runner: QueryRunner, prefix: string): QueryRunner {
  return new Proxy(runner, {
    get(target, property, receiver) {
      if (property !== 'query') return Reflect.get(target, property, receiver);
      return (sql: string, ...rest: unknown[]) =>
        (target.query as (...args: unknown[]) => Promise<unknown>).call(receiver, /^\s*(\/\*.*?\*\/\s*)?SELECT\b/is.test(sql) ? prefix + sql : sql, ...rest);
    },
  });
}
