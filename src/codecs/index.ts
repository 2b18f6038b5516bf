export { validateVector, validateDimensions, type VectorInput, type NumericTypedArray } from './validate-vector';
export { encodeFloat32Blob, decodeFloat32Blob } from './float32-blob';
export { toPgvectorText, parsePgvectorText } from './pgvector-text';
export { bytesFromJsonCache, floatsFromJsonCache } from './json-cache';
