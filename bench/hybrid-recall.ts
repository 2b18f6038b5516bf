/**
 * Recall of hybrid search against each side alone, on the sample app's corpus (3,000 texts, offline
 * hashed n-gram embeddings) and the labelled query set bench/hybrid-queries.json (40 questions, each
 * with the ids of the texts of its topic): for each query, the share of the top 10 that are relevant
 * (of at most 10 possible). Vector only = findNearest, text only = findHybrid with the vector side
 * weighted 0, hybrid = findHybrid with the defaults. SQLite + sqlite-vec, in a temporary file. Part of
 * `npm run bench` (or alone: `ts-node --transpile-only bench/hybrid-recall.ts`).
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findHybrid, findNearest } from '../src';
import { SampleApp } from '../sample-app/app';

interface LabelledQuery {
  query: string;
  relevant: number[];
}

/**
 * Runs the three searches over the labelled queries and returns the markdown table.
 *
 * @example
 * console.log(await hybridRecallBenchmark());
 */
export async function hybridRecallBenchmark(): Promise<string> {
  const { queries } = JSON.parse(fs.readFileSync(path.join(__dirname, 'hybrid-queries.json'), 'utf8')) as { queries: LabelledQuery[] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-hybrid-recall-'));
  const app = await SampleApp.open({ databaseUrl: path.join(dir, 'recall.sqlite'), log: () => undefined });
  try {
    await app.ingest();
    const recall = async (search: (query: string, vector: number[]) => Promise<number[]>) => {
      let total = 0;
      for (const { query, relevant } of queries) {
        const [vector] = await app.embedder.embed([query]);
        const ids = await search(query, vector!);
        const wanted = new Set(relevant);
        total += ids.filter((id) => wanted.has(id)).length / Math.min(10, relevant.length);
      }
      return total / queries.length;
    };
    const text = { columns: ['title', 'body'], query: '' };
    const vectorOnly = await recall(async (_, vector) => (await findNearest(app.documents, { column: 'embedding', vector, metric: 'cosine', limit: 10 })).map((n) => n.entity.id));
    const textOnly = await recall(async (query, vector) =>
      (await findHybrid(app.documents, { vector: { column: 'embedding', value: vector, metric: 'cosine' }, text: { ...text, query }, limit: 10, weights: { vector: 0, text: 1 } }))
        .filter((hit) => hit.textRank !== null)
        .map((hit) => hit.entity.id),
    );
    const hybrid = await recall(async (query, vector) =>
      (await findHybrid(app.documents, { vector: { column: 'embedding', value: vector, metric: 'cosine' }, text: { ...text, query }, limit: 10 })).map((hit) => hit.entity.id),
    );
    return [
      `| search (top 10, ${queries.length} labelled queries, sample corpus of 3,000 texts, SQLite) | recall@10 |`,
      '|---|---|',
      `| vector only (findNearest, hashed n-gram embeddings) | ${vectorOnly.toFixed(3)} |`,
      `| text only (FTS5 bm25) | ${textOnly.toFixed(3)} |`,
      `| hybrid (findHybrid, RRF k 60) | ${hybrid.toFixed(3)} |`,
    ].join('\n');
  } finally {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  hybridRecallBenchmark().then(
    (table) => console.log(table),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
