import type { DialectCapabilities } from '../../vocabulary';

/** Why another element type cannot be stored, and what to use instead. */
const FLOAT32_ONLY = "CockroachDB's VECTOR(N) holds float32 only (it has no halfvec, bit or sparsevec type)";

/**
 * CockroachDB 24.2+ as data: the pgvector-compatible `VECTOR(N)` type (at most 16,000 dimensions,
 * `pkg/util/vector/vector.go` `MaxDim`), the `<->`, `<=>` and `<#>` operators and the
 * `l1_distance()` builtin (no `<+>` operator), and from 25.2 its vector index (C-SPANN, kind
 * `cspann`): `CREATE VECTOR INDEX`, storage parameters `min_partition_size` (1-1024, default 16),
 * `max_partition_size` (4-4096 and at least 4 x the minimum, default 128) and `build_beam_size`
 * (1-512, default 8), searched with the session setting `vector_search_beam_size` (default 32; at
 * most 512 before CockroachDB raised it to 2048, commit 66ca292). Sources:
 * cockroachlabs.com/docs/v25.3/vector-indexes, cockroachdb/cockroach
 * `pkg/sql/logictest/testdata/logic_test/vector_index`.
 *
 * 25.2 indexes L2 only (`vector_l2_ops`; cockroachdb/cockroach#144533); `vector_cosine_ops` and
 * `vector_ip_ops` came in 25.3 (cockroachdb/cockroach#147681): a 25.2 server refuses them itself.
 *
 * @example
 * cockroachdbCapabilities.indexes?.kinds.cspann?.tuning.maxPartitionSize; // { type: 'integer', min: 4, max: 4096, default: 128 }
 */
export const cockroachdbCapabilities: DialectCapabilities = {
  name: 'CockroachDB',
  maxDimensions: 16000,
  metrics: ['l2', 'cosine', 'inner_product', 'l1'],
  elementTypes: ['float32'],
  elementTypeAdvice: {
    float16: `${FLOAT32_ONLY}: store the column as 'float32', or use PostgreSQL with pgvector (halfvec)`,
    int8: `${FLOAT32_ONLY}: store the column as 'float32'`,
    bit: `${FLOAT32_ONLY}: store the column as 'float32', or use PostgreSQL with pgvector for bit vectors`,
    sparse: `${FLOAT32_ONLY}: store the vectors dense as 'float32', or use PostgreSQL with pgvector (sparsevec)`,
  },
  column: { type: 'vector', withLength: true },
  search: {
    scope: 'transaction',
    knobs: {
      beamSize: { type: 'integer', min: 1, max: 2048 },
      overFetch: { type: 'integer', min: 1, max: 100 },
    },
    instead: 'it tunes searches with beamSize (vector_search_beam_size) and overFetch',
  },
  indexes: {
    defaultKind: 'cspann',
    // CockroachDB keeps identifiers of any length; 63 keeps names portable to PostgreSQL.
    maxIdentifierLength: 63,
    kinds: {
      cspann: {
        metrics: ['l2', 'cosine', 'inner_product'],
        maxDimensions: 16000,
        isTableIndex: true,
        // The optimizer reads a vector index of the query's operator for ORDER BY distance LIMIT k
        // (EXPLAIN shows "• vector search"); conditions on other columns run after it.
        search: { kind: 'planner' },
        tuning: {
          minPartitionSize: { type: 'integer', min: 1, max: 1024, default: 16 },
          maxPartitionSize: { type: 'integer', min: 4, max: 4096, default: 128 },
          buildBeamSize: { type: 'integer', min: 1, max: 512, default: 8 },
        },
      },
    },
  },
};
