import type { DialectCapabilities } from '../../vocabulary';

/**
 * libSQL (Turso, sqld, local files), as data: `F32_BLOB(N)` columns (`F16_BLOB(N)` for float16), L2 and cosine distances, and
 * the `diskann` index kind (`libsql_vector_idx`) read through `vector_top_k`. Index defaults
 * `max_neighbors=64`, `compress_neighbors=float32` were chosen for recall over libSQL's own
 * (`npm run bench` measures both; the README's Benchmarks section has the latest figures).
 *
 * @example
 * libsqlCapabilities.indexes?.kinds.diskann?.tuning.maxNeighbors; // { type: 'integer', min: 2, max: 1024, default: 64 }
 */
export const libsqlCapabilities: DialectCapabilities = {
  name: 'libSQL',
  maxDimensions: 65536,
  metrics: ['l2', 'cosine'],
  elementTypes: ['float32', 'float16'],
  otherElementTypes: { float16: { column: { type: 'F16_BLOB', withLength: true }, metrics: ['l2', 'cosine'], maxDimensions: 65536 } },
  elementTypeAdvice: {
    int8: "typeorm-vector does not map libSQL's F8_BLOB yet: store the column as 'float32' (F32_BLOB)",
    bit: "typeorm-vector does not map libSQL's F1BIT_BLOB yet: store the column as 'float32' (F32_BLOB), or use PostgreSQL for bit vectors",
    sparse: "use PostgreSQL with pgvector (sparsevec), or store the vectors dense as 'float32'",
  },
  column: { type: 'F32_BLOB', withLength: true },
  search: {
    scope: 'candidates',
    knobs: { overFetch: { type: 'integer', min: 1, max: 1000 } },
    instead: 'vector_top_k has no search-time knob: it tunes findNearest with overFetch (candidates read per round = limit x overFetch)',
  },
  indexes: {
    defaultKind: 'diskann',
    maxIdentifierLength: 128,
    kinds: {
      diskann: {
        metrics: ['l2', 'cosine'],
        maxDimensions: 65536,
        elementTypes: { float16: { metrics: ['l2', 'cosine'], maxDimensions: 65536 } },
        isTableIndex: true,
        // vector_top_k's beam is as wide as k: with k = 1 it once returned a far row after an UPDATE
        // where k = 5 found the right one, so at least 10 candidates are read and re-ranked.
        search: { kind: 'candidates', namesIndex: true, maxK: undefined, minK: 10, exact: false, exactBeyond: 1 / 8 },
        tuning: {
          maxNeighbors: { type: 'integer', min: 2, max: 1024, default: 64 },
          compressNeighbors: { type: 'choice', values: ['float1bit', 'float8', 'float16', 'floatb16', 'float32'], default: 'float32' },
        },
      },
    },
  },
};
