import type { DialectCapabilities } from '../../vocabulary';

/**
 * MariaDB 11.7+ (tested on 11.8), as data: `VECTOR(N)` columns, L2 and cosine distances, and its
 * VECTOR INDEX (modified HNSW) as kind `hnsw`, default `M=16` (the server default `M=6` gives far
 * lower recall; `npm run bench` measures both, see the README's Benchmarks). The indexed column must
 * be NOT NULL, and a table has at most one VECTOR INDEX (MariaDB 11.8: "doesn't yet support
 * 'multiple VECTOR indexes'").
 *
 * @example
 * mariadbCapabilities.indexes?.maxIndexesPerTable; // 1
 */
export const mariadbCapabilities: DialectCapabilities = {
  name: 'MariaDB',
  maxDimensions: 16383,
  metrics: ['l2', 'cosine'],
  elementTypes: ['float32'],
  elementTypeAdvice: {
    float16: "MariaDB's VECTOR(N) holds float32 only: store the column as 'float32', or use PostgreSQL's halfvec for half the size",
    int8: "MariaDB's VECTOR(N) holds float32 only: store the column as 'float32'",
    bit: "MariaDB's VECTOR(N) holds float32 only: store the column as 'float32', or use PostgreSQL for bit vectors",
    sparse: "MariaDB's VECTOR(N) holds float32 only: use PostgreSQL with pgvector (sparsevec), or store the vectors dense as 'float32'",
  },
  column: { type: 'vector', withLength: true },
  search: {
    scope: 'statement',
    knobs: { efSearch: { type: 'integer', min: 1, max: 10000 }, overFetch: { type: 'integer', min: 1, max: 1000 } },
    instead: 'it tunes searches with efSearch (mhnsw_ef_search) and overFetch',
  },
  indexes: {
    defaultKind: 'hnsw',
    maxIdentifierLength: 64,
    requiresNotNull: "MariaDB's VECTOR INDEX only indexes NOT NULL columns",
    maxIndexesPerTable: 1,
    kinds: {
      hnsw: {
        metrics: ['l2', 'cosine'],
        maxDimensions: 16383,
        isTableIndex: true,
        // The optimizer reads the index for ORDER BY distance LIMIT k, searching max(mhnsw_ef_search, k)
        // candidates; under a WHERE it walks the graph until LIMIT rows pass (2.2 s when 5 of 20,000 rows
        // did, against 3 ms exact), so the conditions run on a derived table's k rows instead. A read of
        // 640 candidates took as long as an exact scan of 20,000 x 128 rows: past 1/50 of the table, exact.
        search: { kind: 'candidates', namesIndex: false, maxK: undefined, minK: 1, exact: false, exactBeyond: 1 / 50 },
        tuning: { m: { type: 'integer', min: 3, max: 200, default: 16 } },
      },
    },
  },
};
