/** Element types a vector column can store. Every backend stores `float32` today. */
export type VectorElementType = 'float32';

/**
 * Every vector element type the library knows.
 *
 * @example
 * VECTOR_ELEMENT_TYPES; // ['float32']
 */
export const VECTOR_ELEMENT_TYPES: readonly VectorElementType[] = ['float32'];
