import { VectorValueError } from '../errors';

/**
 * Formats a vector as pgvector's text input, `[1,2,3]`. Each float32 prints as the double it
 * equals (and `-0` as `-0`), so pgvector reads back exactly the same float32.
 *
 * @example
 * toPgvectorText(new Float32Array([1, 0.5])); // '[1,0.5]'
 */
export function toPgvectorText(vector: Float32Array): string {
  // String(-0) is '0': where a -0 is present, write its sign, which pgvector keeps.
  if (!hasNegativeZero(vector)) return `[${vector.join(',')}]`;
  return `[${Array.from(vector, (value) => (Object.is(value, -0) ? '-0' : String(value))).join(',')}]`;
}

function hasNegativeZero(vector: Float32Array): boolean {
  for (let i = 0; i < vector.length; i++) if (vector[i] === 0 && Object.is(vector[i], -0)) return true;
  return false;
}

/**
 * Parses pgvector's text output (`[1,2,3]`) into a Float32Array; `subject` names the value in errors.
 *
 * @example
 * parsePgvectorText('[1,0.5]', 'Doc.embedding'); // Float32Array [1, 0.5]
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
