import type { VectorCodec } from '../dialect';
import { float32BlobCodec } from '../shared/float32-blob-codec';

/**
 * libSQL's vectors: float32 little-endian BLOBs, read with `vector32(?)`.
 *
 * @example
 * libsqlCodec.parameterSql('?'); // 'vector32(?)'
 */
export const libsqlCodec: VectorCodec = float32BlobCodec({ parameterSql: (placeholder) => `vector32(${placeholder})`, expected: 'a float32 BLOB', columnHint: 'F32_BLOB(N)' });
