import { EMBEDDING_DIMENSIONS } from '../entities/document';
import type { Embedder } from './embedder';
import { HashedNgramEmbedder } from './hashed-ngrams';
import { OpenAiCompatibleEmbedder } from './openai-compatible';

export type { Embedder } from './embedder';
export { HashedNgramEmbedder } from './hashed-ngrams';
export { OpenAiCompatibleEmbedder } from './openai-compatible';

/**
 * The embedder the environment asks for: with EMBEDDINGS_URL set, an OpenAI-compatible endpoint
 * (EMBEDDINGS_MODEL, default text-embedding-3-small; EMBEDDINGS_API_KEY or OPENAI_API_KEY);
 * otherwise the offline hashed n-gram embedder.
 */
export function embedderFromEnv(env: NodeJS.ProcessEnv = process.env): Embedder {
  if (!env.EMBEDDINGS_URL) return new HashedNgramEmbedder(EMBEDDING_DIMENSIONS);
  const apiKey = env.EMBEDDINGS_API_KEY ?? env.OPENAI_API_KEY;
  return new OpenAiCompatibleEmbedder({
    url: env.EMBEDDINGS_URL,
    model: env.EMBEDDINGS_MODEL ?? 'text-embedding-3-small',
    dimensions: EMBEDDING_DIMENSIONS,
    ...(apiKey ? { apiKey } : {}),
  });
}
