import { VectorValueError } from '../errors';

/**
 * Formats a vector as pgvector's text input, `[1,2,3]`. Each float32 prints as the double it
 * equals (and `-0` as `-0`), so pgvector reads back exactly the same float32.
 *
 * @example
 * toPgvectorText(new Float32Array([1, 0.5])); // '[1,0.5]'
 */
export function toPgvectorText(vector: Float32Array): string {
  // JSON.stringify of a plain array is V8's fastest number formatting (a typed array's join is slower),
  // and its numbers are String(value), which pgvector reads back exactly.
  const numbers = new Array<number>(vector.length);
  let negativeZero = false;
  for (let i = 0; i < vector.length; i++) {
    const value = vector[i]!;
    if (value === 0 && 1 / value < 0) negativeZero = true;
    numbers[i] = value;
  }
  // JSON.stringify(-0) is '0': where a -0 is present, write its sign, which pgvector keeps.
  if (!negativeZero) return JSON.stringify(numbers);
  return `[${numbers.map((value) => (Object.is(value, -0) ? '-0' : String(value))).join(',')}]`;
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
