/**
 * What the sample app needs from an embedding model. `name` and `dimensions` are stored with the
 * vectors (table embedding_settings): a different name or size makes the app re-index.
 */
export interface Embedder {
  /** Identifies the model and its settings, e.g. `hashed-ngrams-v1` or `openai-compatible:text-embedding-3-small`. */
  readonly name: string;
  readonly dimensions: number;
  /** One vector per text, in order. */
  embed(texts: readonly string[]): Promise<number[][]>;
}
