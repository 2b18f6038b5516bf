import type { Embedder } from './embedder';

/**
 * The default embedder: runs offline, with no model to download. Each word (lower-cased, stop words
 * dropped, a crude suffix stemmer applied) and each of its character trigrams is hashed (FNV-1a) to
 * one of `dimensions` coordinates with a sign, weighted (words 1, trigrams 0.3), and the vector is
 * normalised to length 1. Deterministic: the same text gives the same vector on every machine.
 *
 * It captures lexical similarity (shared words and word pieces: "bake" finds "baking"), not deep
 * semantic similarity ("automobile" does not find "car"): use an embedding model for that
 * (OpenAiCompatibleEmbedder).
 *
 * @example
 * const [vector] = await new HashedNgramEmbedder().embed(['how do I bake bread']); // 256 numbers, length 1
 */
export class HashedNgramEmbedder implements Embedder {
  readonly name: string;
  constructor(readonly dimensions = 256) {
    this.name = `hashed-ngrams-v1-${dimensions}`;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    return texts.map((text) => this.embedOne(text));
  }

  embedOne(text: string): number[] {
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const word of text.toLowerCase().match(/[a-z0-9]+/g) ?? []) {
      if (STOP_WORDS.has(word)) continue;
      const stem = word.length > 4 ? word.replace(/(ing|ed|es|s)$/, '') : word;
      add(vector, `w:${stem}`, 1);
      const padded = `^${stem}$`;
      for (let i = 0; i + 3 <= padded.length; i++) add(vector, `t:${padded.slice(i, i + 3)}`, 0.3);
    }
    const norm = Math.hypot(...vector);
    // A text of stop words only: a fixed unit vector, so the database gets a valid cosine operand.
    if (norm === 0) return vector.map((_, i) => (i === 0 ? 1 : 0));
    return vector.map((v) => v / norm);
  }
}

function add(vector: number[], feature: string, weight: number): void {
  let hash = 2166136261;
  for (let i = 0; i < feature.length; i++) hash = Math.imul(hash ^ feature.charCodeAt(i), 16777619);
  const index = (hash >>> 0) % vector.length;
  vector[index]! += (hash & 0x80000000 ? -1 : 1) * weight;
}

const STOP_WORDS = new Set(
  'a an the of and or to in on for with is are was be by at as it its from that this how what why do does i you your my we our can than then so not no more most any'.split(' '),
);
