/**
 * A small offline text embedding for the demo: words (with a crude stemmer) and character trigrams
 * hashed into EMBEDDING_DIMENSIONS (256) dimensions, then normalised. It captures lexical, not deep
 * semantic, similarity. It needs no model download, so the demo runs
 * anywhere; in an application, replace `embed` with a real model (OpenAI, sentence-transformers, ...)
 * and change EMBEDDING_DIMENSIONS to its size.
 */
import { EMBEDDING_DIMENSIONS } from './entities/document';

export function embed(text: string, dimensions = EMBEDDING_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[a-z0-9]+/g) ?? [];
  for (const word of words) {
    if (STOP_WORDS.has(word)) continue;
    const stem = word.replace(/(ing|ed|es|s)$/, '');
    add(vector, `w:${stem}`, 3);
    const padded = `^${stem}$`;
    for (let i = 0; i + 3 <= padded.length; i++) add(vector, `t:${padded.slice(i, i + 3)}`, 0.3);
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

function add(vector: number[], feature: string, weight: number): void {
  let hash = 2166136261;
  for (let i = 0; i < feature.length; i++) hash = Math.imul(hash ^ feature.charCodeAt(i), 16777619);
  const index = (hash >>> 0) % vector.length;
  vector[index]! += (hash & 0x80000000 ? -1 : 1) * weight;
}

const STOP_WORDS = new Set('a an the of and or to in on for with is are was be by at as it its from that this how what why'.split(' '));
