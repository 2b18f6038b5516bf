import type { Embedder } from './embedder';

export interface OpenAiCompatibleOptions {
  /** Base URL of the API, e.g. `https://api.openai.com/v1`; the embedder posts to `<url>/embeddings`. */
  url: string;
  model: string;
  apiKey?: string;
  /** Sent as `dimensions` (OpenAI's text-embedding-3 models shorten their vectors to it); every vector must have this size. */
  dimensions: number;
  /** Texts per request (default 100). */
  batchSize?: number;
}

/**
 * An embedder for any OpenAI-compatible `POST /embeddings` endpoint (OpenAI, Azure OpenAI, Ollama,
 * vLLM, LM Studio, text-embeddings-inference...). Sends `{ model, input: [texts], dimensions }` with
 * `Authorization: Bearer <apiKey>` when a key is set, and reads `data[].embedding` in `data[].index` order.
 *
 * @example
 * const embedder = new OpenAiCompatibleEmbedder({ url: 'https://api.openai.com/v1', model: 'text-embedding-3-small', apiKey, dimensions: 256 });
 */
export class OpenAiCompatibleEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;

  constructor(private readonly options: OpenAiCompatibleOptions) {
    this.name = `openai-compatible:${options.model}`;
    this.dimensions = options.dimensions;
  }

  async embed(texts: readonly string[]): Promise<number[][]> {
    const vectors: number[][] = [];
    const batchSize = this.options.batchSize ?? 100;
    for (let i = 0; i < texts.length; i += batchSize) vectors.push(...(await this.request(texts.slice(i, i + batchSize))));
    return vectors;
  }

  private async request(input: readonly string[]): Promise<number[][]> {
    const endpoint = `${this.options.url.replace(/\/+$/, '')}/embeddings`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.options.apiKey) headers.authorization = `Bearer ${this.options.apiKey}`;
    let response: Response;
    try {
      response = await fetch(endpoint, { method: 'POST', headers, body: JSON.stringify({ model: this.options.model, input, dimensions: this.dimensions }) });
    } catch (cause) {
      throw new Error(`Could not reach the embeddings endpoint ${endpoint}; check EMBEDDINGS_URL.`, { cause });
    }
    const text = await response.text();
    if (!response.ok) throw new Error(`The embeddings endpoint ${endpoint} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    const data = (JSON.parse(text) as { data?: Array<{ index: number; embedding: number[] }> }).data;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw new Error(`The embeddings endpoint ${endpoint} returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${input.length} texts; is it OpenAI-compatible?`);
    }
    const vectors = [...data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    const wrong = vectors.find((v) => v.length !== this.dimensions);
    if (wrong) {
      throw new Error(
        `The model ${this.options.model} returned ${wrong.length}-dimension vectors but the sample app stores ${this.dimensions}; use a model that accepts the dimensions parameter (text-embedding-3-*), or change EMBEDDING_DIMENSIONS in sample-app/entities/document.ts and generate a migration.`,
      );
    }
    return vectors;
  }
}
