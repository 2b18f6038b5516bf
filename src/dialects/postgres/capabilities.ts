import type { DialectCapabilities } from '../../vocabulary';

/**
 * PostgreSQL with pgvector 0.8, as data. HNSW defaults are pgvector's own (`m = 16`,
 * `ef_construction = 64`); IVFFlat `lists = 100` (pgvector's advice is rows / 1000 up to 1M rows;
 * build it after loading data). Both index `vector` up to 2,000 dimensions, `halfvec` up to 4,000
 * (also as `storage: 'halfvec'` of a `vector` column), `bit` up to 64,000 (also as `storage:
 * 'binary'`: the binary codes of a `vector` column, re-ranked exactly); HNSW indexes
 * `sparsevec` of up to 1,000 non-zero elements.
 *
 * @example
 * postgresCapabilities.indexes?.kinds.hnsw?.maxDimensions; // 2000
 */
export const postgresCapabilities: DialectCapabilities = {
  name: 'PostgreSQL (pgvector)',
  maxDimensions: 16000,
  metrics: ['l2', 'cosine', 'inner_product', 'l1'],
  elementTypes: ['float32', 'float16', 'bit', 'sparse'],
  column: { type: 'vector', withLength: true },
  otherElementTypes: {
    float16: { column: { type: 'halfvec', withLength: true }, metrics: ['l2', 'cosine', 'inner_product', 'l1'], maxDimensions: 16000 },
    bit: { column: { type: 'bit', withLength: true }, metrics: ['hamming', 'jaccard'], maxDimensions: 83886080 },
    sparse: { column: { type: 'sparsevec', withLength: true }, metrics: ['l2', 'cosine', 'inner_product', 'l1'], maxDimensions: 1000000000 },
  },
  elementTypeAdvice: { int8: "pgvector has no int8 vector type: use 'float16' (halfvec) for half the size of float32, or 'bit' for binary codes" },
  search: {
    scope: 'transaction',
    knobs: {
      efSearch: { type: 'integer', min: 1, max: 1000 },
      iterativeScan: { type: 'choice', values: ['off', 'strict_order', 'relaxed_order'] },
      maxScanTuples: { type: 'integer', min: 1, max: 2147483647 },
      probes: { type: 'integer', min: 1, max: 32768 },
      maxProbes: { type: 'integer', min: 1, max: 32768 },
      overFetch: { type: 'integer', min: 1, max: 100 },
      rerank: { type: 'integer', min: 1, max: 1000 },
    },
    instead: 'it tunes searches with efSearch, iterativeScan and maxScanTuples (HNSW), probes and maxProbes (IVFFlat), overFetch, and rerank (storage: \'binary\')',
  },
  indexes: {
    defaultKind: 'hnsw',
    storage: ['halfvec', 'binary'],
    maxIdentifierLength: 63,
    kinds: {
      hnsw: {
        metrics: ['l2', 'cosine', 'inner_product', 'l1'],
        maxDimensions: 2000,
        elementTypes: {
          float16: { metrics: ['l2', 'cosine', 'inner_product', 'l1'], maxDimensions: 4000 },
          bit: { metrics: ['hamming', 'jaccard'], maxDimensions: 64000 },
          sparse: { metrics: ['l2', 'cosine', 'inner_product', 'l1'], maxDimensions: 1000000000, maxNonZero: 1000 },
        },
        isTableIndex: true,
        search: { kind: 'planner' },
        tuning: {
          m: { type: 'integer', min: 2, max: 100, default: 16 },
          efConstruction: { type: 'integer', min: 4, max: 1000, default: 64 },
          concurrently: { type: 'boolean', default: false },
        },
      },
      ivfflat: {
        metrics: ['l2', 'cosine', 'inner_product'],
        maxDimensions: 2000,
        elementTypes: {
          float16: { metrics: ['l2', 'cosine', 'inner_product'], maxDimensions: 4000 },
          bit: { metrics: ['hamming'], maxDimensions: 64000 },
        },
        isTableIndex: true,
        search: { kind: 'planner' },
        tuning: {
          lists: { type: 'integer', min: 1, max: 32768, default: 100 },
          concurrently: { type: 'boolean', default: false },
        },
      },
    },
  },
};
