export { validateVector, validateDimensions, type VectorInput, type NumericTypedArray } from './validate-vector';
export { encodeFloat32Blob, decodeFloat32Blob } from './float32-blob';
export { toPgvectorText, parsePgvectorText } from './pgvector-text';
export { bytesFromJsonCache, floatsFromJsonCache } from './json-cache';
export { roundToFloat16, validateFloat16Vector, MAX_FLOAT16, encodeFloat16Bytes, decodeFloat16Bytes } from './float16';
export { validateInt8Vector } from './int8';
export { validateBitVector, packBits, unpackBits } from './bit';
export { validateSparseVector, sparseToDense, toSparsevecText, parseSparsevecText, type SparseVector } from './sparse';
export { ELEMENT_VALUES, type ElementValue, type ElementValues, type VectorValueShape, type VectorValueInput } from './element-values';
