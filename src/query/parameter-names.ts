let parameterCounter = 0;

/**
 * A fresh query-builder parameter name (`tv_vector_1`, `tv_k_2`, ...), never reused in the process,
 * so several vector conditions on one query builder never collide.
 *
 * @example
 * uniqueParameterName('vector'); // 'tv_vector_7'
 */
export function uniqueParameterName(kind: string): string {
  parameterCounter += 1;
  return `tv_${kind}_${parameterCounter}`;
}
