/**
 * The sample app (sample-app/): its corpus, its two embedders, and its commands on SQLite and
 * PostgreSQL, each command's printed results checked against the library's own answer (findNearest,
 * findHybrid, explainNearest) on the same database. Then `npm run demo` on a fresh SQLite file, as a
 * new user runs it. typeorm-1.x project only (jest.config.js): the app does not depend on the line.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { MoreThanOrEqual } from 'typeorm';
import { explainNearest, findHybrid, findNearest } from '../src';
import { SampleApp } from '../sample-app/app';
import { buildProgram } from '../sample-app/cli';
import { CORPUS_FILE, corpusFileText, generateCorpus } from '../sample-app/corpus/generate-corpus';
import { loadCorpus } from '../sample-app/corpus';
import { HashedNgramEmbedder, OpenAiCompatibleEmbedder, type Embedder } from '../sample-app/embedders';
import { EmbeddingSettings } from '../sample-app/entities/embedding-settings';
import { backendSelected } from './support/backends';
import { sampleDatabase, type SampleDatabase } from './support/sample-app-db';
import { cliDatabase } from './support/cli';
import { MIGRATIONS } from '../sample-app/migrations';

const ROOT = path.resolve(__dirname, '..');

/** Runs one command of the sample app in this process and returns the lines it printed. */
async function cli(url: string, args: string[], embedder?: Embedder): Promise<string[]> {
  const lines: string[] = [];
  const program = buildProgram({ out: (line) => lines.push(...line.split('\n')) }, { databaseUrl: url, log: (line) => lines.push(line), ...(embedder ? { embedder } : {}) });
  // A bad argument throws instead of exiting the process; commander's message stays out of the test output.
  for (const command of [program, ...program.commands]) command.exitOverride().configureOutput({ writeErr: () => {} });
  await program.parseAsync(args, { from: 'user' });
  return lines;
}

/** The body rows of the tables in `lines`, as arrays of cell texts. */
function tableRows(lines: string[]): string[][] {
  return lines.filter((l) => l.startsWith('│')).map((l) => l.split('│').slice(1, -1).map((c) => c.trim())).filter((cells) => /^\d+$/.test(cells[0]!));
}

/** A fake OpenAI-compatible server: answers in reverse order (the client must sort by index), records the requests. */
async function fakeEmbeddingsServer(): Promise<{ url: string; requests: Array<{ body: any; authorization?: string }>; close(): Promise<void> }> {
  const requests: Array<{ body: any; authorization?: string }> = [];
  const model = new HashedNgramEmbedder(256);
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk) => (text += chunk));
    request.on('end', () => {
      const body = JSON.parse(text);
      requests.push({ body, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}) });
      if (request.url !== '/v1/embeddings') return void response.writeHead(404).end('no such route');
      if (body.input.includes('fail please')) return void response.writeHead(500).end('{"error":"boom"}');
      const size = body.model === 'wide-model' ? 1536 : body.dimensions;
      const data = body.input.map((t: string, index: number) => ({ index, embedding: fakeVector(model, t, size) })).reverse();
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The fake model: the hashed embedding of the text with its coordinates reversed (a different vector space). */
function fakeVector(model: HashedNgramEmbedder, text: string, size: number): number[] {
  const v = model.embedOne(text).reverse();
  return size === v.length ? v : [...v, ...new Array<number>(Math.max(0, size - v.length)).fill(0)].slice(0, size);
}

describe('the corpus', () => {
  const corpus = loadCorpus();

  it('is what sample-app/corpus/generate-corpus.ts generates', () => {
    expect(fs.readFileSync(CORPUS_FILE, 'utf8')).toBe(corpusFileText(generateCorpus()));
  });

  it('has 3,000 distinct short texts in 10 categories, dated 2018-2025', () => {
    expect(corpus).toHaveLength(3000);
    expect(new Set(corpus.map((t) => t.body)).size).toBe(3000);
    expect(new Set(corpus.map((t) => t.category)).size).toBe(10);
    for (const t of corpus) {
      expect(t.date).toMatch(/^20(1[89]|2[0-5])-\d\d-\d\d$/);
      expect(t.body.length).toBeLessThan(300);
    }
  });
});

describe('embedders', () => {
  it('the hashed n-gram embedder is deterministic, normalised, 256-dimensional and lexical', async () => {
    const embedder = new HashedNgramEmbedder(256);
    const [a, b, c, stop] = await embedder.embed(['Baking sourdough bread', 'Baking sourdough bread', 'bake bread', 'the and of']);
    expect(a).toEqual(b);
    expect(a).toHaveLength(256);
    for (const v of [a!, c!, stop!]) expect(Math.hypot(...v)).toBeCloseTo(1, 10);
    const cosine = (x: number[], y: number[]) => x.reduce((s, xi, i) => s + xi * y[i]!, 0);
    const [unrelated] = await embedder.embed(['interest rates on a mortgage']);
    expect(cosine(a!, c!)).toBeGreaterThan(cosine(a!, unrelated!) + 0.2);
  });

  it('the OpenAI-compatible embedder posts model, input and dimensions with the key, and orders by index', async () => {
    const server = await fakeEmbeddingsServer();
    try {
      const embedder = new OpenAiCompatibleEmbedder({ url: server.url, model: 'test-model', apiKey: 'sk-test', dimensions: 256, batchSize: 2 });
      const vectors = await embedder.embed(['one', 'two', 'three']);
      const model = new HashedNgramEmbedder(256);
      expect(vectors).toEqual(['one', 'two', 'three'].map((t) => fakeVector(model, t, 256)));
      expect(server.requests.map((r) => r.body)).toEqual([
        { model: 'test-model', input: ['one', 'two'], dimensions: 256 },
        { model: 'test-model', input: ['three'], dimensions: 256 },
      ]);
      expect(server.requests[0]!.authorization).toBe('Bearer sk-test');
      expect(embedder.name).toBe('openai-compatible:test-model');
      await expect(embedder.embed(['fail please'])).rejects.toThrow(/answered HTTP 500: \{"error":"boom"\}/);
      await expect(new OpenAiCompatibleEmbedder({ url: server.url, model: 'wide-model', dimensions: 256 }).embed(['x'])).rejects.toThrow(
        /returned 1536-dimension vectors but the sample app stores 256/,
      );
      await expect(new OpenAiCompatibleEmbedder({ url: 'http://127.0.0.1:1/v1', model: 'm', dimensions: 256 }).embed(['x'])).rejects.toThrow(/Could not reach/);
    } finally {
      await server.close();
    }
  });
});

const KINDS = (['sqlite', 'postgres'] as const).filter((kind) => backendSelected(kind));

describe.each(KINDS)('the commands on %s', (kind) => {
  let db: SampleDatabase;
  let app: SampleApp;
  const embedder = new HashedNgramEmbedder(256);
  const embed = async (text: string) => (await embedder.embed([text]))[0]!;
  const BACKEND_LINE = kind === 'sqlite' ? /^SQLite 3\.\d+\.\d+ \+ sqlite-vec 0\.1\.\d+ at \/.*app\.sqlite$/ : /^PostgreSQL 17\.\d+ \+ pgvector 0\.8\.\d+ at 127\.0\.0\.1:\d+\/tv_sample_[0-9a-f]+$/;
  const INDEX = kind === 'sqlite' ? 'document_embedding_vec0_cosine' : 'document_embedding_hnsw_cosine';

  beforeAll(async () => {
    db = await sampleDatabase(kind);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('ingest --limit 600 migrates the empty database, loads 600 texts and records the embedder', async () => {
    const lines = await cli(db.url, ['ingest', '--limit', '600']);
    expect(lines[0]).toMatch(BACKEND_LINE);
    expect(lines[1]).toMatch(/^Ingested 600 texts with hashed-ngrams-v1-256 \(256 dimensions\) in [\d.]+ s \(\d+ rows\/s\)\.$/);
    // The library's view of the same database, through the app's own DataSource options.
    app = await SampleApp.open({ databaseUrl: db.url, log: () => {} });
    expect(await app.documents.count()).toBe(600);
    expect(await app.dataSource.getRepository(EmbeddingSettings).find()).toEqual([{ id: 1, embedder: 'hashed-ngrams-v1-256', dimensions: 256 }]);
    const first = await app.documents.findOneByOrFail({ id: 1 });
    expect(first).toMatchObject({ title: loadCorpus()[0]!.title, published: loadCorpus()[0]!.date });
    expect(Array.from(first.embedding)).toEqual(Array.from(new Float32Array(await embed(`${first.title}. ${first.body}`))));
  });

  it('search with --category and --since prints findNearest with the same where', async () => {
    const lines = await cli(db.url, ['search', 'marathon training plan', '-k', '5', '--category', 'fitness', '--since', '2021-01-01']);
    expect(lines[0]).toMatch(BACKEND_LINE);
    const expected = await findNearest(app.documents, {
      column: 'embedding', vector: await embed('marathon training plan'), metric: 'cosine', limit: 5,
      where: { category: 'fitness', published: MoreThanOrEqual('2021-01-01') },
    });
    expect(expected).toHaveLength(5);
    const rows = tableRows(lines);
    expect(rows.map((r) => [r[0], r[1], r[2], r[3], r[5]])).toEqual(
      expected.map((e, i) => [String(i + 1), e.distance.toFixed(4), e.entity.title, 'fitness', String(e.entity.id)]),
    );
    for (const r of rows) expect(r[4]! >= '2021-01-01').toBe(true);
    expect(rows[0]![2]).toMatch(/^Marathon training/);
  });

  it('search --metric l2 prints findNearest by L2 distance; a bad --metric or --since is refused', async () => {
    const lines = await cli(db.url, ['search', 'pruning roses', '-k', '4', '--metric', 'l2']);
    const expected = await findNearest(app.documents, { column: 'embedding', vector: await embed('pruning roses'), metric: 'l2', limit: 4 });
    expect(tableRows(lines).map((r) => [r[1], r[5]])).toEqual(expected.map((e) => [e.distance.toFixed(4), String(e.entity.id)]));
    await expect(cli(db.url, ['search', 'roses', '--metric', 'dot'])).rejects.toThrow(/Allowed choices are cosine, l2/);
    await expect(cli(db.url, ['search', 'roses', '--since', 'last week'])).rejects.toThrow('--since last week is not a date; write it as YYYY-MM-DD, e.g. 2024-01-31.');
  });

  it('search --hybrid prints findHybrid, with each side\'s rank', async () => {
    const lines = await cli(db.url, ['search', 'vector search', '-k', '6', '--hybrid']);
    const expected = await findHybrid(app.documents, {
      vector: { column: 'embedding', value: await embed('vector search'), metric: 'cosine' },
      text: { columns: ['title', 'body'], query: 'vector search' },
      limit: 6,
    });
    expect(tableRows(lines).map((r) => [r[1], r[2], r[3], r[7]])).toEqual(
      expected.map((e) => [e.score.toFixed(4), String(e.vectorRank ?? '-'), String(e.textRank ?? '-'), String(e.entity.id)]),
    );
    expect(expected.some((e) => e.textRank !== null && e.vectorRank !== null)).toBe(true);
  });

  it('similar <id> prints the nearest texts to that text, itself left out', async () => {
    const lines = await cli(db.url, ['similar', '7', '-k', '4']);
    const source = await app.documents.findOneByOrFail({ id: 7 });
    expect(lines[1]).toBe(`Texts like #7 "${source.title}" (${source.category}, ${source.published}):`);
    const expected = await findNearest(app.documents, { column: 'embedding', vector: source.embedding, metric: 'cosine', limit: 5 });
    expect(expected[0]!.entity.id).toBe(7);
    expect(tableRows(lines).map((r) => [r[1], r[5]])).toEqual(expected.slice(1).map((e) => [e.distance.toFixed(4), String(e.entity.id)]));
  });

  it('stats prints rows, dimensions, embedder and the vector index', async () => {
    const text = (await cli(db.url, ['stats'])).join('\n');
    expect(text).toMatch(/│ rows\s+│ 600\s+│/);
    expect(text).toMatch(/│ categories\s+│ 10\s+│/);
    expect(text).toMatch(/│ dimensions\s+│ 256\s+│/);
    expect(text).toMatch(/│ embedder\s+│ hashed-ngrams-v1-256\s+│/);
    expect(text).toMatch(new RegExp(`│ vector index\\s+│ ${INDEX}\\s+│`));
  });

  it('explain prints what explainNearest finds', async () => {
    const lines = await cli(db.url, ['explain', 'sourdough bread']);
    const expected = await explainNearest(app.documents, { column: 'embedding', vector: await embed('sourdough bread'), metric: 'cosine', limit: 10 });
    expect(lines[1]).toBe(`uses the vector index: ${expected.usesIndex ? `yes (${expected.index})` : 'no'}; strategy: ${expected.strategy}`);
    const l2 = await cli(db.url, ['explain', 'sourdough bread', '--metric', 'l2']);
    expect(l2[1]).toMatch(/^uses the vector index: no/);
    expect(l2.join('\n')).toMatch(/warning: .*cosine/);
  });

  it('another embedder re-indexes the texts instead of mixing vectors', async () => {
    const server = await fakeEmbeddingsServer();
    try {
      const other = new OpenAiCompatibleEmbedder({ url: server.url, model: 'test-model', dimensions: 256 });
      const lines = await cli(db.url, ['search', 'sourdough bread', '-k', '3'], other);
      expect(lines[1]).toBe('The texts were embedded by hashed-ngrams-v1-256 (256 dimensions), not by openai-compatible:test-model (256): re-indexing 600 texts.');
      expect(lines[2]).toMatch(/^Ingested 600 texts in/);
      expect(await app.dataSource.getRepository(EmbeddingSettings).find()).toEqual([{ id: 1, embedder: 'openai-compatible:test-model', dimensions: 256 }]);
      const doc = await app.documents.findOneByOrFail({ id: 3 });
      expect(Array.from(doc.embedding)).toEqual(Array.from(new Float32Array(fakeVector(embedder, `${doc.title}. ${doc.body}`, 256))));
      const expected = await findNearest(app.documents, { column: 'embedding', vector: fakeVector(embedder, 'sourdough bread', 256), metric: 'cosine', limit: 3 });
      expect(tableRows(lines).map((r) => r[5])).toEqual(expected.map((e) => String(e.entity.id)));
      // And back: the default embedder re-indexes again.
      expect((await cli(db.url, ['stats']))).toEqual(expect.arrayContaining([expect.stringMatching(/openai-compatible:test-model/)]));
      expect((await cli(db.url, ['search', 'bread']))[1]).toMatch(/not by hashed-ngrams-v1-256 \(256\): re-indexing 600 texts\.$/);
    } finally {
      await server.close();
    }
  });
});

// The committed migrations (sample-app/migrations/<kind>/) must still be what `migration:generate`
// writes for the entities today: after them, the schema diff `migration:generate` reads is empty.
const MIGRATION_KINDS = (['sqlite', 'postgres', 'mariadb', 'libsql'] as const).filter((kind) => backendSelected(kind));

describe.each(MIGRATION_KINDS)('the committed %s migration', (kind) => {
  it('creates the schema of the entities: migration:generate after it finds no changes', async () => {
    const database = await cliDatabase(kind);
    try {
      const app = await SampleApp.open({ databaseUrl: database.url, log: () => {} });
      try {
        expect(app.dataSource.migrations.map((m) => m.name)).toEqual(MIGRATIONS[kind].map((m) => m.name));
        expect((await app.dataSource.query('SELECT COUNT(*) AS n FROM migrations')).map((r: { n: unknown }) => Number(r.n))).toEqual([1]);
        const pending = await app.dataSource.driver.createSchemaBuilder().log();
        expect(pending.upQueries.map((q) => q.query)).toEqual([]);
      } finally {
        await app.close();
      }
    } finally {
      await database.drop();
    }
  });
});

describe('npm run demo', () => {
  it('on a fresh SQLite file ingests the corpus and runs its searches in under 60 s', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-demo-'));
    const started = Date.now();
    try {
      const output = await new Promise<string>((resolve, reject) => {
        execFile('npm', ['run', '--silent', 'demo'], { cwd: ROOT, env: { ...process.env, DATABASE_URL: path.join(dir, 'demo.sqlite') }, timeout: 90_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
        );
      });
      const seconds = (Date.now() - started) / 1000;
      console.log(`[sample-app] npm run demo on a fresh SQLite file: ${seconds.toFixed(1)} s`);
      expect(seconds).toBeLessThan(60);
      const lines = output.split('\n');
      expect(lines[0]).toMatch(/^SQLite .* \+ sqlite-vec .* at .*demo\.sqlite$/);
      expect(lines[1]).toBe('The database has no texts yet: ingesting the corpus.');
      expect(lines[2]).toMatch(/^Ingested 3000 texts in/);
      const rows = tableRows(lines);
      expect(rows[0]![2]).toMatch(/^Sourdough bread: /); // first search
      expect(rows[5]![2]).toMatch(/^Marathon training/);
      expect(rows.slice(5, 10).every((r) => r[3] === 'fitness' && r[4]! >= '2024-01-01')).toBe(true);
      expect(rows.slice(10, 15).every((r) => /^Vector search/.test(r[4]!))).toBe(true); // hybrid
      expect(output).toMatch(/explain: the search above uses the vector index document_embedding_vec0_cosine \(strategy index\)\./);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
