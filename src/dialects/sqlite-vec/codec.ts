import type { VectorCodec } from '../dialect';
import { float32BlobCodec } from '../shared/float32-blob-codec';
import { sqliteSizeCheck } from '../shared/sqlite-blob-size';

/**
 * sqlite-vec's vectors: float32 little-endian BLOBs, bound as they are.
 *
 * @example
 * sqliteVecCodec.parameterSql('?'); // '?'
 */
export const sqliteVecCodec: VectorCodec = {
  ...float32BlobCodec({ parameterSql: (placeholder) => placeholder, expected: 'a float32 BLOB', columnHint: 'BLOB (written by typeorm-vector)' }),
  sizeCheckSql: sqliteSizeCheck((dimensions) => 4 * dimensions),
};
