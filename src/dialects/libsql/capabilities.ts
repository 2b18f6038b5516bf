import type { DialectCapabilities } from '../../vocabulary';

/**
 * libSQL (Turso, sqld, local files), as data: `F32_BLOB(N)` columns (`F16_BLOB(N)` for float16,
 * `F1BIT_BLOB(N)` for bit, compared by Hamming distance, libSQL's cosine of bit vectors), L2 and cosine distances, and
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
  elementTypes: ['float32', 'float16', 'bit'],
  otherElementTypes: {
    float16: { column: { type: 'F16_BLOB', withLength: true }, metrics: ['l2', 'cosine'], maxDimensions: 65536 },
    // libSQL's cosine distance of two float1bit vectors is the number of differing bits.
    bit: { column: { type: 'F1BIT_BLOB', withLength: true }, metrics: ['hamming'], maxDimensions: 65536 },
  },
  elementTypeAdvice: {
    int8: "libSQL's F8_BLOB is not int8 but 8-bit quantized floats (each vector scaled between its own minimum and maximum in 256 steps, so [1, 2, 3] reads back as [1, 1.99608, 3]): store the column as 'float16' (F16_BLOB) or 'float32', or use SQLite with sqlite-vec for exact int8 vectors",
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
        elementTypes: { float16: { metrics: ['l2', 'cosine'], maxDimensions: 65536 }, bit: { metrics: ['hamming'], maxDimensions: 65536 } },
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
