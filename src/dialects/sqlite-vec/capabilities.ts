import type { DialectCapabilities, FilterColumnRules } from '../../vocabulary';

/** sqlite-vec caps a KNN query's `k` at 4096. */
export const SQLITE_VEC_MAX_K = 4096;

/**
 * vec0 metadata columns (sqlite-vec 0.1.9, `VEC0_MAX_METADATA_COLUMNS`: 16) and partition keys, by
 * the SQLite type TypeORM declares. vec0 types are strict (an INTEGER metadata column refuses a REAL,
 * every one refuses NULL), so only types whose SQLite affinity stores one storage class are mapped:
 * NUMERIC/DECIMAL (integer or real by value), dates (text or numbers) and JSON are not.
 *
 * @example
 * VEC0_FILTER_COLUMNS.types.varchar; // 'text'
 */
export const VEC0_FILTER_COLUMNS: FilterColumnRules = {
  max: 16,
  types: {
    integer: 'integer',
    int: 'integer',
    tinyint: 'integer',
    smallint: 'integer',
    mediumint: 'integer',
    bigint: 'integer',
    'unsigned big int': 'integer',
    int2: 'integer',
    int8: 'integer',
    real: 'float',
    double: 'float',
    'double precision': 'float',
    float: 'float',
    varchar: 'text',
    character: 'text',
    'varying character': 'text',
    nchar: 'text',
    'native character': 'text',
    nvarchar: 'text',
    text: 'text',
    clob: 'text',
    boolean: 'boolean',
  },
  partitionKeyTypes: ['integer', 'text'],
  requiresNotNull: "sqlite-vec's vec0 metadata columns refuse NULL",
};

/**
 * SQLite with sqlite-vec 0.1, as data: float32 BLOB columns, L2/cosine/L1 distances, and the `vec0`
 * index kind (a virtual table searched with `MATCH ? AND k = ?`, an exact scan capped at k = 4096).
 * `int8` and `bit` vectors are BLOBs too (one byte an element; 8 bits a byte, so a multiple of 8
 * dimensions), read through `vec_int8(...)` / `vec_bit(...)`, indexed as vec0 `int8[N]` / `bit[N]`;
 * bits compare by Hamming distance only.
 *
 * @example
 * sqliteVecCapabilities.metrics; // ['l2', 'cosine', 'l1']
 */
export const sqliteVecCapabilities: DialectCapabilities = {
  name: 'SQLite (sqlite-vec)',
  maxDimensions: 8192,
  metrics: ['l2', 'cosine', 'l1'],
  elementTypes: ['float32', 'int8', 'bit'],
  otherElementTypes: {
    int8: { column: { type: 'blob', withLength: false }, metrics: ['l2', 'cosine', 'l1'], maxDimensions: 8192 },
    bit: { column: { type: 'blob', withLength: false }, metrics: ['hamming'], maxDimensions: 8192, dimensionsMultipleOf: 8 },
  },
  elementTypeAdvice: {
    float16: "sqlite-vec has no float16 type: store the column as 'float32' (the default), or 'int8' for a quarter of the size",
    sparse: "use PostgreSQL with pgvector (sparsevec), or store the vectors dense as 'float32'",
  },
  column: { type: 'blob', withLength: false },
  search: {
    scope: 'candidates',
    knobs: { overFetch: { type: 'integer', min: 1, max: 1000 }, rerank: { type: 'integer', min: 1, max: 1000 } },
    instead: "it tunes findNearest with overFetch (candidates read per round = limit x overFetch) and rerank (storage: 'binary' and 'int8')",
  },
  indexes: {
    defaultKind: 'vec0',
    storage: ['binary', 'int8'],
    maxIdentifierLength: 128,
    kinds: {
      vec0: {
        metrics: ['l2', 'cosine', 'l1'],
        maxDimensions: 8192,
        elementTypes: {
          int8: { metrics: ['l2', 'cosine', 'l1'], maxDimensions: 8192 },
          bit: { metrics: ['hamming'], maxDimensions: 8192 },
        },
        isTableIndex: false,
        requiresDimensions: true,
        requiresPlainColumnName: true,
        tuning: {},
        search: { kind: 'candidates', namesIndex: true, maxK: SQLITE_VEC_MAX_K, minK: 1, exact: true, exactBeyond: 0 },
        filterColumns: VEC0_FILTER_COLUMNS,
      },
    },
  },
};
