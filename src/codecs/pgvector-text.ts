import { VectorValueError } from '../errors';

/**
 * Formats a vector as pgvector's text input, `[1,2,3]`. Each float32 prints as the double it
 * equals (and `-0` as `-0`), so pgvector reads back exactly the same float32.
 *
 * @example
 * toPgvectorText(new Float32Array([1, 0.5])); // '[1,0.5]'
 */
export function toPgvectorText(vector: Float32Array): string {
  const parts = new Array<string | number>(vector.length);
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i]!;
    // String(-0) is '0': write the sign, which pgvector keeps.
    parts[i] = value === 0 && 1 / value < 0 ? '-0' : value;
  }
  return `[${parts.join(',')}]`;
}

/**
 * Parses pgvector's text output (`[1,2,3]`) into a Float32Array.
 *
 * @example
 * parsePgvectorText('[1,0.5]'); // Float32Array [1, 0.5]
 */
export function parsePgvectorText(text: string, subject: string): Float32Array {
  if (!text.startsWith('[') || !text.endsWith(']')) {
    throw new VectorValueError(`${subject} returned ${JSON.stringify(text.slice(0, 40))}, which is not pgvector text such as [1,2,3].`);
  }
  const body = text.slice(1, -1);
  if (body.trim() === '') return new Float32Array(0);
  const parts = body.split(',');
  const out = new Float32Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = Number(parts[i]);
  return out;
}
