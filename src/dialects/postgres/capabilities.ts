import type { DialectCapabilities } from '../../vocabulary';

/**
 * PostgreSQL with pgvector 0.8, as data. HNSW defaults are pgvector's own (`m = 16`,
 * `ef_construction = 64`); IVFFlat `lists = 100` (pgvector's advice is rows / 1000 up to 1M rows;
 * build it after loading data). Both index `vector` up to 2,000 dimensions.
 *
 * @example
 * postgresCapabilities.indexes?.kinds.hnsw?.maxDimensions; // 2000
 */
export const postgresCapabilities: DialectCapabilities = {
  name: 'PostgreSQL (pgvector)',
  maxDimensions: 16000,
  metrics: ['l2', 'cosine', 'inner_product', 'l1'],
  elementTypes: ['float32'],
  column: { type: 'vector', withLength: true },
  search: {
    scope: 'transaction',
    knobs: {
      efSearch: { type: 'integer', min: 1, max: 1000 },
      iterativeScan: { type: 'choice', values: ['off', 'strict_order', 'relaxed_order'] },
      maxScanTuples: { type: 'integer', min: 1, max: 2147483647 },
      probes: { type: 'integer', min: 1, max: 32768 },
      maxProbes: { type: 'integer', min: 1, max: 32768 },
    },
    instead: 'it tunes searches with efSearch, iterativeScan and maxScanTuples (HNSW), probes and maxProbes (IVFFlat)',
  },
  indexes: {
    defaultKind: 'hnsw',
    maxIdentifierLength: 63,
    kinds: {
      hnsw: {
        metrics: ['l2', 'cosine', 'inner_product', 'l1'],
        maxDimensions: 2000,
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
