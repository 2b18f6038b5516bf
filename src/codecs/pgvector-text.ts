import { float32ListText } from './float32-decimal';
import { VectorValueError } from '../errors';

/**
 * Formats a vector as pgvector's text input, `[1,2,3]`. Each float32 prints with at most 9
 * significant digits (`-0` as `-0`), which pgvector reads back as exactly the same float32; written
 * byte by byte, about twice as fast as `JSON.stringify` of the values as doubles (`npm run bench`).
 *
 * @example
 * toPgvectorText(new Float32Array([1, 0.5])); // '[1,0.5]'
 */
export function toPgvectorText(vector: Float32Array): string {
  return float32ListText(vector);
}

/**
 * Parses pgvector's text output (`[1,2,3]`) into a Float32Array; `subject` names the value in errors.
 * pgvector's text is a JSON array of numbers, so V8's native JSON parser reads it (about 1.7x
 * pgvector-node's split-and-parseFloat; `npm run bench`), each number rounded to the float32 it came
 * from (`-0` kept).
 *
 * @example
 * parsePgvectorText('[1,0.5]', 'Doc.embedding'); // Float32Array [1, 0.5]
 */
export function parsePgvectorText(text: string, subject: string): Float32Array {
  if (!text.startsWith('[') || !text.endsWith(']')) throw notPgvectorText(text, subject);
  let numbers: unknown;
  try {
    numbers = JSON.parse(text);
  } catch (error) {
    throw notPgvectorText(text, subject, error);
  }
  const values = numbers as unknown[];
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number') throw notPgvectorText(text, subject);
    out[i] = value;
  }
  return out;
}

function notPgvectorText(text: string, subject: string, cause?: unknown): VectorValueError {
  return new VectorValueError(`${subject} returned ${JSON.stringify(text.slice(0, 40))}, which is not pgvector text such as [1,2,3].`, cause === undefined ? undefined : { cause });
}
