import type { DialectCapabilities } from '../../vocabulary';

/** sqlite-vec caps a KNN query's `k` at 4096. */
export const SQLITE_VEC_MAX_K = 4096;

/**
 * SQLite with sqlite-vec 0.1, as data: float32 BLOB columns, L2/cosine/L1 distances, and the `vec0`
 * index kind (a virtual table searched with `MATCH ? AND k = ?`, an exact scan capped at k = 4096).
 *
 * @example
 * sqliteVecCapabilities.metrics; // ['l2', 'cosine', 'l1']
 */
export const sqliteVecCapabilities: DialectCapabilities = {
  name: 'SQLite (sqlite-vec)',
  maxDimensions: 8192,
  metrics: ['l2', 'cosine', 'l1'],
  elementTypes: ['float32'],
  column: { type: 'blob', withLength: false },
  search: {
    scope: 'candidates',
    knobs: { overFetch: { type: 'integer', min: 1, max: 1000 } },
    instead: 'it tunes findNearest with overFetch (candidates read per round = limit x overFetch)',
  },
  indexes: {
    defaultKind: 'vec0',
    maxIdentifierLength: 128,
    kinds: {
      vec0: {
        metrics: ['l2', 'cosine', 'l1'],
        maxDimensions: 8192,
        isTableIndex: false,
        requiresDimensions: true,
        requiresPlainColumnName: true,
        tuning: {},
        search: { kind: 'candidates', namesIndex: true, maxK: SQLITE_VEC_MAX_K, minK: 1, exact: true, exactBeyond: 0 },
      },
    },
  },
};
