/**
 * The sample app's core, shared by the command line (cli.ts) and the web page (server.ts): opens the
 * database DATABASE_URL names (running the backend's committed migrations), ingests the corpus, and
 * searches it with typeorm-vector's findNearest, findHybrid and explainNearest.
 */
import 'reflect-metadata';
import * as path from 'node:path';
import { MoreThanOrEqual, type DataSourceOptions, type FindOptionsWhere, type Repository } from 'typeorm';
import { VectorDataSource, explainNearest, findHybrid, findNearest, insertVectors, type VectorMetric } from '../src';
import { backendKind, backendOptions, describeUrl, type BackendKind } from './backend-options';
import { loadCorpus } from './corpus';
import { embedderFromEnv, type Embedder } from './embedders';
import { Document } from './entities/document';
import { EmbeddingSettings } from './entities/embedding-settings';
import { MIGRATIONS } from './migrations';

/** The SQLite file the app uses when DATABASE_URL is unset. */
export const DEFAULT_SQLITE_FILE = path.join(__dirname, 'data', 'sample-app.sqlite');

export interface SampleAppOptions {
  /** postgres://, mariadb://, libsql:/file: URL or SQLite path; default process.env.DATABASE_URL, then DEFAULT_SQLITE_FILE. */
  databaseUrl?: string;
  /** Default embedderFromEnv(). */
  embedder?: Embedder;
  /** Where progress and notices go (default console.log). */
  log?: (line: string) => void;
}

export interface SearchOptions {
  k?: number;
  metric?: VectorMetric;
  category?: string;
  /** Only texts published on or after this date (YYYY-MM-DD). */
  since?: string;
  /** Fuse full-text and vector ranks (findHybrid) instead of the vector search alone. */
  hybrid?: boolean;
}

/** One result row, the same shape for every kind of search. */
export interface Hit {
  rank: number;
  id: number;
  title: string;
  body: string;
  category: string;
  published: string;
  /** Vector distance (vector search and similar). */
  distance?: number;
  /** RRF score and each side's rank (hybrid search; a rank is null when that side did not find the text). */
  score?: number;
  vectorRank?: number | null;
  textRank?: number | null;
}

export interface IngestProgress {
  /** `embed`: texts embedded so far; `load`: rows the database received so far. */
  stage: 'embed' | 'load';
  done: number;
  total: number;
}

export class SampleApp {
  readonly documents: Repository<Document>;
  private readonly settings: Repository<EmbeddingSettings>;

  private constructor(
    readonly dataSource: VectorDataSource,
    readonly kind: BackendKind,
    readonly embedder: Embedder,
    private readonly where: string,
    private readonly log: (line: string) => void,
  ) {
    this.documents = dataSource.getRepository(Document);
    this.settings = dataSource.getRepository(EmbeddingSettings);
  }

  /** Opens the database and brings its schema up to date with the backend's migrations. */
  static async open(options: SampleAppOptions = {}): Promise<SampleApp> {
    const url = options.databaseUrl ?? process.env.DATABASE_URL;
    const kind = backendKind(url);
    if (kind === 'sqlite') require('node:fs').mkdirSync(path.dirname(url ?? DEFAULT_SQLITE_FILE), { recursive: true });
    const dataSource = new VectorDataSource({
      ...backendOptions(url, DEFAULT_SQLITE_FILE),
      entities: [Document, EmbeddingSettings],
      migrations: MIGRATIONS[kind],
      migrationsRun: true,
    } as DataSourceOptions);
    await dataSource.initialize();
    return new SampleApp(dataSource, kind, options.embedder ?? embedderFromEnv(), describeUrl(url, DEFAULT_SQLITE_FILE), options.log ?? console.log);
  }

  close(): Promise<void> {
    return this.dataSource.destroy();
  }

  /** One line naming the backend, its version and the database, e.g. `PostgreSQL 17.6 + pgvector 0.8.0 at 127.0.0.1:5432/app`. */
  async backendLine(): Promise<string> {
    const one = async (sql: string): Promise<string> => String(Object.values((await this.dataSource.query(sql))[0] as object)[0]);
    switch (this.kind) {
      case 'postgres': {
        const version = (await one('SHOW server_version')).split(' ')[0];
        const pgvector = await one("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
        const url = new URL(this.where.replace('***', 'x'));
        return `PostgreSQL ${version} + pgvector ${pgvector} at ${url.host}${url.pathname}`;
      }
      case 'pglite': {
        const version = (await one('SHOW server_version')).split(' ')[0];
        const pgvector = await one("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
        const dataDir = this.where.replace(/^pglite:/i, '');
        return `PGlite (PostgreSQL ${version}) + pgvector ${pgvector} ${dataDir ? `in ${dataDir}` : 'in memory'}`;
      }
      case 'mariadb': {
        const url = new URL(this.where.replace('***', 'x'));
        return `MariaDB ${(await one('SELECT VERSION()')).split('-')[0]} at ${url.host}${url.pathname}`;
      }
      case 'libsql':
        return `libSQL (SQLite ${await one('SELECT sqlite_version()')}) at ${this.where}`;
      case 'sqlite':
        return `SQLite ${await one('SELECT sqlite_version()')} + sqlite-vec ${(await one('SELECT vec_version()')).replace(/^v/, '')} at ${this.where}`;
    }
  }

  /**
   * Replaces the stored texts with the first `limit` texts of the corpus (all by default), embedded
   * by this app's embedder (250 texts per call), and records the embedder: one transaction, the rows
   * written by the library's bulk path, `insertVectors` (binary COPY on PostgreSQL, multi-row
   * INSERTs elsewhere). `onProgress` hears of both stages: `embed`, then `load`.
   */
  async ingest(limit?: number, onProgress?: (progress: IngestProgress) => void): Promise<{ rows: number; seconds: number }> {
    const started = Date.now();
    const texts = loadCorpus().slice(0, limit ?? undefined);
    const vectors: number[][] = [];
    const batch = 250;
    for (let i = 0; i < texts.length; i += batch) {
      vectors.push(...(await this.embedder.embed(texts.slice(i, i + batch).map(embeddingText))));
      onProgress?.({ stage: 'embed', done: vectors.length, total: texts.length });
    }
    const rows = texts.map((t, i) => ({ id: i + 1, title: t.title, body: t.body, category: t.category, published: t.date, embedding: vectors[i]! }));
    await this.dataSource.transaction(async (manager) => {
      await manager.createQueryBuilder().delete().from(EmbeddingSettings).execute();
      await manager.createQueryBuilder().delete().from(Document).execute();
      await insertVectors(manager.getRepository(Document), rows, { batchSize: 500, onProgress: (done, total) => onProgress?.({ stage: 'load', done, total }) });
      await manager.getRepository(EmbeddingSettings).insert({ id: 1, embedder: this.embedder.name, dimensions: this.embedder.dimensions });
    });
    return { rows: texts.length, seconds: (Date.now() - started) / 1000 };
  }

  /**
   * Ingests when the database has no texts yet, and re-indexes (the same number of texts) when they
   * were embedded by another embedder than this app's. Says what it did through `log`.
   */
  async ensureIngested(onProgress?: (progress: IngestProgress) => void): Promise<void> {
    const [stored, rows] = await Promise.all([this.settings.findOneBy({ id: 1 }), this.documents.count()]);
    if (stored && rows > 0 && stored.embedder === this.embedder.name && stored.dimensions === this.embedder.dimensions) return;
    const reason = !stored || rows === 0
      ? 'The database has no texts yet: ingesting the corpus.'
      : `The texts were embedded by ${stored.embedder} (${stored.dimensions} dimensions), not by ${this.embedder.name} (${this.embedder.dimensions}): re-indexing ${rows} texts.`;
    this.log(reason);
    const { rows: done, seconds } = await this.ingest(stored && rows > 0 ? rows : undefined, onProgress);
    this.log(`Ingested ${done} texts in ${seconds.toFixed(1)} s (${Math.round(done / seconds)} rows/s).`);
  }

  /** The `k` texts nearest to `text` (or, with `hybrid`, the best fused by findHybrid), filtered by category and date. */
  async search(text: string, options: SearchOptions = {}): Promise<Hit[]> {
    const [vector] = await this.embedder.embed([text]);
    const where = filterOf(options);
    const limit = options.k ?? 10;
    const metric = options.metric ?? 'cosine';
    if (options.hybrid) {
      const rows = await findHybrid(this.documents, {
        vector: { column: 'embedding', value: vector!, metric },
        text: { columns: ['title', 'body'], query: text },
        limit,
        ...(where ? { where } : {}),
      });
      return rows.map((row, i) => ({ ...hit(row.entity, i), score: row.score, vectorRank: row.vectorRank, textRank: row.textRank }));
    }
    const rows = await findNearest(this.documents, { column: 'embedding', vector: vector!, metric, limit, ...(where ? { where } : {}) });
    return rows.map((row, i) => ({ ...hit(row.entity, i), distance: row.distance }));
  }

  /** The text `id` and the `k` texts nearest to it (itself left out), by cosine distance. */
  async similar(id: number, k = 10): Promise<{ source: Hit; hits: Hit[] }> {
    const source = await this.documents.findOneBy({ id });
    if (!source) throw new Error(`No text has id ${id}; ids run from 1 to ${await this.documents.count()}.`);
    const rows = await findNearest(this.documents, {
      column: 'embedding',
      vector: source.embedding,
      metric: 'cosine',
      limit: k,
      filter: (qb) => qb.andWhere('entity.id <> :self', { self: id }),
    });
    return { source: hit(source, -1), hits: rows.map((row, i) => ({ ...hit(row.entity, i), distance: row.distance })) };
  }

  /** Rows, dimensions, embedder, vector index and backend. */
  async stats(): Promise<{ backend: string; rows: number; categories: number; dimensions: number; embedder: string; index: string; from: string; to: string }> {
    const [stored, rows, explanation, range] = await Promise.all([
      this.settings.findOneBy({ id: 1 }),
      this.documents.count(),
      explainNearest(this.documents, { column: 'embedding', vector: new Array<number>(this.embedder.dimensions).fill(0).map((_, i) => (i === 0 ? 1 : 0)), metric: 'cosine', limit: 10 }),
      this.documents.createQueryBuilder('d').select('COUNT(DISTINCT d.category)', 'categories').addSelect('MIN(d.published)', 'from').addSelect('MAX(d.published)', 'to').getRawOne<Record<string, unknown>>(),
    ]);
    return {
      backend: await this.backendLine(),
      rows,
      categories: Number(range?.categories ?? 0),
      dimensions: stored?.dimensions ?? this.embedder.dimensions,
      embedder: stored?.embedder ?? '(none yet)',
      // The index the column has, whether or not the planner reads it for this probe (a small table may be scanned).
      index: explanation.index ?? explanation.indexes[0] ?? '(none)',
      from: dateText(range?.from),
      to: dateText(range?.to),
    };
  }

  /** explainNearest for the search `search` would run: whether the vector index is used, and why not. */
  async explain(text: string, options: SearchOptions = {}) {
    const [vector] = await this.embedder.embed([text]);
    const where = filterOf(options);
    return explainNearest(this.documents, { column: 'embedding', vector: vector!, metric: options.metric ?? 'cosine', limit: options.k ?? 10, ...(where ? { where } : {}) });
  }

  /** The categories of the stored texts, sorted. */
  async categories(): Promise<string[]> {
    const rows = await this.documents.createQueryBuilder('d').select('DISTINCT d.category', 'category').orderBy('category').getRawMany<{ category: string }>();
    return rows.map((r) => r.category);
  }
}

/** What is embedded for a text: its title and body. */
export function embeddingText(text: { title: string; body: string }): string {
  return `${text.title}. ${text.body}`;
}

function filterOf(options: SearchOptions): FindOptionsWhere<Document> | undefined {
  if (options.since !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.since)) {
    throw new Error(`--since ${options.since} is not a date; write it as YYYY-MM-DD, e.g. 2024-01-31.`);
  }
  const where: FindOptionsWhere<Document> = {};
  if (options.category) where.category = options.category;
  if (options.since) where.published = MoreThanOrEqual(options.since);
  return Object.keys(where).length ? where : undefined;
}

function hit(entity: Document, index: number): Hit {
  return { rank: index + 1, id: entity.id, title: entity.title, body: entity.body, category: entity.category, published: dateText(entity.published) };
}

/** A date column's value as YYYY-MM-DD (drivers return a string or a Date). */
function dateText(value: unknown): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return value == null ? '' : String(value).slice(0, 10);
}
