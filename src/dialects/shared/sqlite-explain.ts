import type { PlanRows, VectorExplain } from '../dialect';
import { literalPattern } from './plan-text';

/**
 * The part of SQLite's and libSQL's `EXPLAIN QUERY PLAN` reading they share: the prefix, the
 * plan text (each row's `detail`, indented by depth) and full scans (`SCAN alias`, as opposed to
 * `SEARCH alias USING INTEGER PRIMARY KEY (rowid=?)`).
 *
 * @example
 * sqliteExplainBase.scansTable([{ id: 2, parent: 0, detail: 'SCAN d' }], { name: 'doc', alias: 'd' }); // true
 */
export const sqliteExplainBase: Pick<VectorExplain, 'prefix' | 'planText' | 'scansTable' | 'skipped'> = {
  prefix: 'EXPLAIN QUERY PLAN ',
  planText(rows) {
    const depth = new Map<unknown, number>();
    return rows
      .map((row) => {
        const level = (depth.get(row.parent) ?? -1) + 1;
        depth.set(row.id, level);
        return `${'  '.repeat(level)}${String(row.detail)}`;
      })
      .join('\n');
  },
  scansTable: (rows, { alias }) => details(rows).some((detail) => new RegExp(`^SCAN ${literalPattern(alias)}(?: |$)`).test(detail)),
  // The query names the index it reads: nothing is left to a planner to skip.
  skipped: () => ': use findNearest, whose query names the index',
};

/**
 * Each row's `detail`, the plan step SQLite describes.
 *
 * @example
 * details([{ id: 2, parent: 0, detail: 'SCAN d' }]); // ['SCAN d']
 */
export function details(rows: PlanRows): string[] {
  return rows.map((row) => String(row.detail ?? ''));
}
