/**
 * findHybrid and @FullTextIndex (issue 18), on every backend. A seeded corpus where the best
 * keyword matches (K1..K5: 'vector search' many times, vectors far away) and the nearest vectors
 * (V1..V5: no keywords) differ, and one relevant row R matches both moderately (text rank 6, vector
 * rank 6). With limit 5, findNearest alone and the full-text ranking alone both miss R; findHybrid
 * ranks it first. Every result equals reciprocal rank fusion computed in JavaScript from the exact
 * vector ranking (cosine, in JS) and the backend's own text ranking (ts_rank_cd, bm25, MATCH
 * AGAINST, read by a plain query), with and without `where`. FTS5 syntax characters in the query
 * text never break the statement; synchronize creates the full-text index, a second schema log
 * finds nothing; the FTS5 triggers follow inserts, updates and deletes.
 */
import 'reflect-metadata';
import { Column, Entity, PrimaryColumn, SelectQueryBuilder } from 'typeorm';
import { findHybrid, findNearest, FullTextIndex, UnsupportedVectorFeatureError, VectorColumn, VectorConfigurationError, VectorIndex, type FindHybridOptions, type VectorDataSource } from '../src';
import { BACKENDS, recordQueries, rows, sqlFamily } from './support/backends';
import { cosineDistance, seededRandom } from './support/vectors';
import { postgresDialect } from '../src/dialects/postgres';
import { sqliteVecDialect } from '../src/dialects/sqlite-vec';
import { libsqlDialect } from '../src/dialects/libsql';
import { mariadbDialect } from '../src/dialects/mariadb';
import { fts5Query } from '../src/dialects/shared/fts5';

const DIMENSIONS = 8;
const COUNT = 200;
const R = 11;

@Entity('hybrid_doc')
@FullTextIndex(['title', 'body'])
class HybridDoc {
  @PrimaryColumn({ type: 'integer' }) id!: number;
  @Column({ type: 'varchar', length: 200 }) title!: string;
  @Column({ type: 'text' }) body!: string;
  @Column({ type: 'varchar', length: 8 }) category!: string;
  @VectorColumn(DIMENSIONS) @VectorIndex({ metric: 'cosine' }) embedding!: number[];
}

const FILLER = ['apple', 'river', 'mountain', 'garden', 'window', 'silver', 'orange', 'bridge', 'candle', 'forest', 'pillow', 'rocket', 'violin', 'meadow', 'harbor'];
const QUERY_VECTOR = [1, 0, 0, 0, 0, 0, 0, 0];
const QUERY_TEXT = 'vector search';

function corpus(): HybridDoc[] {
  const random = seededRandom(18);
  const words = (n: number) => Array.from({ length: n }, () => FILLER[Math.floor(random() * FILLER.length)]!).join(' ');
  return Array.from({ length: COUNT }, (_, i) => {
    const id = i + 1;
    let title = `${words(3)} ${id}`;
    let body = words(12);
    let embedding = [0.01 + 0.2 * random(), ...Array.from({ length: DIMENSIONS - 1 }, () => 0.1 + random())];
    if (id <= 5) {
      title = `vector search ${'vector search '.repeat(6 - id)}guide`;
      body = `vector search ${words(2)} vector search`;
      embedding = [-1, 0.1 * id, 0.5, 0, 0, 0, 0, 0];
    } else if (id <= 10) {
      embedding = [1, 0.1 * (id - 5), 0, 0, 0, 0, 0, 0];
    } else if (id === R) {
      title = `notes ${words(4)}`;
      body = `${words(20)} vector search ${words(20)}`;
      embedding = [1, 0.8, 0.05, 0, 0, 0, 0, 0];
    }
    return Object.assign(new HybridDoc(), { id, title, body, category: id % 2 ? 'odd' : 'even', embedding });
  });
}

/** The backend's own full-text ranking of `text`, by a plain query: ids, best first (ties by id). */
async function textRanking(dataSource: VectorDataSource, family: string, text: string, category?: string): Promise<number[]> {
  const sql: Record<string, string> = {
    postgres:
      "SELECT id, ts_rank_cd(to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, '')), websearch_to_tsquery('english', $1)) AS r FROM hybrid_doc WHERE to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, '')) @@ websearch_to_tsquery('english', $1)",
    sqlite: 'SELECT d.id, -bm25(hybrid_doc_title_body_fts) AS r FROM hybrid_doc d JOIN hybrid_doc_title_body_fts ON hybrid_doc_title_body_fts.rowid = d.rowid WHERE hybrid_doc_title_body_fts MATCH ?',
    libsql: 'SELECT d.id, -bm25(hybrid_doc_title_body_fts) AS r FROM hybrid_doc d JOIN hybrid_doc_title_body_fts ON hybrid_doc_title_body_fts.rowid = d.rowid WHERE hybrid_doc_title_body_fts MATCH ?',
    mariadb: 'SELECT id, MATCH (title, body) AGAINST (? IN NATURAL LANGUAGE MODE) AS r FROM hybrid_doc WHERE MATCH (title, body) AGAINST (? IN NATURAL LANGUAGE MODE)',
  };
  const bound = family === 'sqlite' || family === 'libsql' ? text.split(/\s+/).map((w) => `"${w}"`).join(' OR ') : text;
  const found = await rows<{ id: number; r: number }>(dataSource, sql[family]!, family === 'mariadb' ? [bound, bound] : [bound]);
  return found
    .map((row) => ({ id: Number(row.id), r: Number(row.r) }))
    .filter((row) => !category || (row.id % 2 ? 'odd' : 'even') === category)
    .sort((a, b) => b.r - a.r || a.id - b.id)
    .map((row) => row.id);
}

/** Exact cosine ranking in JS: ids, nearest first. */
function vectorRanking(docs: HybridDoc[], category?: string): number[] {
  return docs
    .filter((doc) => !category || doc.category === category)
    .map((doc) => ({ id: doc.id, d: cosineDistance(doc.embedding, QUERY_VECTOR) }))
    .sort((a, b) => a.d - b.d || a.id - b.id)
    .map((row) => row.id);
}

/** Reciprocal rank fusion in JS, as findHybrid defines it. */
function rrf(vector: number[], text: number[], { limit, candidates, k, wv, wt }: { limit: number; candidates: number; k: number; wv: number; wt: number }) {
  const scores = new Map<number, { score: number; vectorRank: number | null; textRank: number | null }>();
  const add = (ids: number[], side: 'vectorRank' | 'textRank', weight: number) =>
    ids.slice(0, candidates).forEach((id, i) => {
      const entry = scores.get(id) ?? { score: 0, vectorRank: null, textRank: null };
      entry.score += weight / (k + i + 1);
      entry[side] = i + 1;
      scores.set(id, entry);
    });
  add(vector, 'vectorRank', wv);
  add(text, 'textRank', wt);
  return [...scores.entries()].map(([id, e]) => ({ id, ...e })).sort((a, b) => b.score - a.score || a.id - b.id).slice(0, limit);
}

describe('full-text SQL of each dialect', () => {
  const quote = (name: string) => `"${name}"`;
  const index = { name: 'doc_fts', table: 'doc', columns: ['title', 'body'], config: 'english' };
  const input = { aliasSql: '"entity"', columnsSql: ['"entity"."title"', '"entity"."body"'], index, config: 'english', querySql: ':q', escape: quote };

  it('PostgreSQL: a GIN index on the same tsvector expression the query matches', () => {
    const tsv = `to_tsvector('english'::regconfig, COALESCE("title", '') || ' ' || COALESCE("body", ''))`;
    expect(postgresDialect.fullText!.createIndex(index, quote)).toEqual([`CREATE INDEX "doc_fts" ON "doc" USING gin (${tsv})`]);
    const match = postgresDialect.fullText!.match(input);
    const queried = `to_tsvector('english'::regconfig, COALESCE("entity"."title", '') || ' ' || COALESCE("entity"."body", ''))`;
    expect(match).toEqual({ condition: `${queried} @@ websearch_to_tsquery('english'::regconfig, :q)`, relevance: `ts_rank_cd(${queried}, websearch_to_tsquery('english'::regconfig, :q))` });
  });

  it('SQLite and libSQL: an external-content FTS5 table with three triggers, joined on rowid and ranked by bm25', () => {
    for (const dialect of [sqliteVecDialect, libsqlDialect]) {
      expect(dialect.fullText!.createIndex(index, quote)).toEqual([
        `CREATE VIRTUAL TABLE "doc_fts" USING fts5("title", "body", content='doc')`,
        `INSERT INTO "doc_fts"("doc_fts") VALUES ('rebuild')`,
        `CREATE TRIGGER "doc_fts_insert" AFTER INSERT ON "doc" BEGIN INSERT INTO "doc_fts"(rowid, "title", "body") VALUES (NEW.rowid, NEW."title", NEW."body"); END`,
        `CREATE TRIGGER "doc_fts_update" AFTER UPDATE ON "doc" BEGIN INSERT INTO "doc_fts"("doc_fts", rowid, "title", "body") VALUES ('delete', OLD.rowid, OLD."title", OLD."body"); INSERT INTO "doc_fts"(rowid, "title", "body") VALUES (NEW.rowid, NEW."title", NEW."body"); END`,
        `CREATE TRIGGER "doc_fts_delete" AFTER DELETE ON "doc" BEGIN INSERT INTO "doc_fts"("doc_fts", rowid, "title", "body") VALUES ('delete', OLD.rowid, OLD."title", OLD."body"); END`,
      ]);
      expect(dialect.fullText!.match(input)).toEqual({ join: { table: 'doc_fts', alias: 'doc_fts', on: '"doc_fts".rowid = "entity".rowid' }, condition: '"doc_fts" MATCH :q', relevance: '-bm25("doc_fts")' });
    }
  });

  it('FTS5 query text: every word an FTS5 string, joined by OR; no word matches nothing', () => {
    expect(fts5Query('vector* -search')).toBe('"vector*" OR "-search"');
    expect(fts5Query('NEAR(a b) AND "x')).toBe('"NEAR(a" OR "b)" OR "AND" OR """x"');
    expect(fts5Query(' * ( ) " ')).toBe('""');
  });

  it('MariaDB: a FULLTEXT index and MATCH ... AGAINST in natural language mode, on words only', () => {
    const tick = (name: string) => `\`${name}\``;
    expect(mariadbDialect.fullText!.createIndex(index, tick)).toEqual(['CREATE FULLTEXT INDEX `doc_fts` ON `doc` (`title`, `body`)']);
    const match = 'MATCH ("entity"."title", "entity"."body") AGAINST (:q IN NATURAL LANGUAGE MODE)';
    expect(mariadbDialect.fullText!.match(input)).toEqual({ condition: match, relevance: match });
    expect(mariadbDialect.fullText!.prepareQuery('vector* +search')).toBe('vector   search');
  });
});

const OPTIONS: FindHybridOptions<HybridDoc> = { vector: { column: 'embedding', value: QUERY_VECTOR, metric: 'cosine' }, text: { columns: ['title', 'body'], query: QUERY_TEXT }, limit: 5 };

describe.each(BACKENDS)('findHybrid on $name', (backend) => {
  const family = sqlFamily(backend.name);
  let dataSource: VectorDataSource | undefined;
  const docs = corpus();
  /**
   * The vector side's ranks must be the exact ones the JavaScript RRF below starts from: on
   * PostgreSQL an HNSW search as wide as the table; on MariaDB an exact vector side, since its
   * graph on these few clustered rows sometimes leaves a row out of even a table-wide candidate
   * read (the index path itself is checked by 'runs one fused statement').
   */
  const exactVectorSide = family === 'postgres' ? { search: { efSearch: COUNT } } : family === 'mariadb' ? { useIndex: false } : {};

  beforeAll(async () => {
    dataSource = await backend.open([HybridDoc], { synchronize: false });
    const log = await dataSource.driver.createSchemaBuilder().log();
    expect(log.upQueries.map((q) => q.query).join('\n')).toMatch(/hybrid_doc_title_body_fts/);
    expect(log.downQueries.map((q) => q.query).join('\n')).toMatch(/DROP (INDEX|TABLE) .?hybrid_doc_title_body_fts/);
    await dataSource.synchronize();
    await dataSource.getRepository(HybridDoc).save(docs, { chunk: 50 });
  });
  afterAll(() => backend.close(dataSource));

  it('a second schema log (migration:generate) finds no changes', async () => {
    const again = await dataSource!.driver.createSchemaBuilder().log();
    expect(again.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('each single method misses R; findHybrid ranks it first, with the scores of RRF computed in JS', async () => {
    const repo = dataSource!.getRepository(HybridDoc);
    // Exact (useIndex: false): MariaDB's HNSW graph on these few, clustered rows sometimes misses one of V1..V5 at limit 5.
    const vectorOnly = await findNearest(repo, { column: 'embedding', vector: QUERY_VECTOR, metric: 'cosine', limit: 5, useIndex: false });
    const text = await textRanking(dataSource!, family, QUERY_TEXT);
    expect(vectorOnly.map((n) => n.entity.id)).not.toContain(R);
    expect(text.slice(0, 5)).not.toContain(R);
    expect(text).toContain(R);

    const hybrid = await findHybrid(repo, { ...OPTIONS, ...exactVectorSide });
    expect(hybrid[0]!.entity.id).toBe(R);
    expect(hybrid[0]!.entity).toBeInstanceOf(HybridDoc);
    const expected = rrf(vectorRanking(docs), text, { limit: 5, candidates: 20, k: 60, wv: 1, wt: 1 });
    expect(hybrid.map((h) => ({ id: h.entity.id, vectorRank: h.vectorRank, textRank: h.textRank }))).toEqual(expected.map(({ id, vectorRank, textRank }) => ({ id, vectorRank, textRank })));
    hybrid.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 9));
  });

  it('runs one fused statement (CTEs), whose vector side reads the vector index as findNearest does', async () => {
    const repo = dataSource!.getRepository(HybridDoc);
    const queries = await recordQueries(dataSource!, () => findHybrid(repo, { ...OPTIONS, where: { category: 'odd' } }));
    const fused = queries.filter((q) => /tv_fused/.test(q.query));
    expect(fused).toHaveLength(1);
    expect(fused[0]!.query).toMatch(/^WITH /);
    const reads: Record<string, RegExp> = { postgres: /<=>/, sqlite: /hybrid_doc_embedding_vec0_cosine.* MATCH .* AND k = /, libsql: /vector_top_k\('hybrid_doc_embedding_diskann_cosine'/, mariadb: /tv_candidates/ };
    expect(fused[0]!.query).toMatch(reads[family]!);
    expect(fused[0]!.parameters).toContain(family === 'sqlite' || family === 'libsql' ? '"vector" OR "search"' : QUERY_TEXT);
    if (family === 'postgres') expect(queries.map((q) => q.query).join('\n')).toMatch(/set_config/);
  });

  it("loads its entities as findNearest does: the same values as TypeORM's find, without TypeORM's entity loading, vectors in binary on PostgreSQL", async () => {
    const repo = dataSource!.getRepository(HybridDoc);
    const typeormLoads = jest.spyOn(SelectQueryBuilder.prototype, 'getRawAndEntities');
    let hybrid: Awaited<ReturnType<typeof findHybrid<HybridDoc>>> = [];
    const queries = await recordQueries(dataSource!, async () => {
      hybrid = await findHybrid(repo, { ...OPTIONS, limit: 8 });
    });
    expect(typeormLoads).not.toHaveBeenCalled();
    typeormLoads.mockRestore();
    expect(hybrid).toHaveLength(8);
    const loaded = new Map((await repo.find()).map((doc) => [doc.id, doc]));
    for (const { entity } of hybrid) {
      expect(entity).toBeInstanceOf(HybridDoc);
      expect(entity).toEqual(loaded.get(entity.id));
    }
    const fused = queries.find((q) => /tv_fused/.test(q.query))!.query;
    if (family === 'postgres') expect(fused).toMatch(/vector_send\(CASE WHEN random\(\) >= 0 THEN "entity"."embedding" END\)/);
    else expect(fused).not.toMatch(/vector_send/);
  });

  it("applies the search settings to the vector side (findNearest's knobs), and refuses a knob the backend lacks", async () => {
    const repo = dataSource!.getRepository(HybridDoc);
    // limit 5: 20 candidates a side; the vector side's first read is max(20 x overFetch, efSearch) on MariaDB, libSQL and SQLite.
    const tuned = { postgres: { efSearch: 123 }, mariadb: { efSearch: 150 }, sqlite: { overFetch: 3 }, libsql: { overFetch: 3 } }[family];
    const queries = await recordQueries(dataSource!, () => findHybrid(repo, { ...OPTIONS, search: tuned }));
    const fused = queries.find((q) => /tv_fused/.test(q.query))!;
    if (family === 'postgres') {
      const settings = queries.find((q) => q.query.includes('set_config'))!;
      // The search's own transaction is made read-only in the same statement.
      expect(settings.parameters!.slice(0, 4)).toEqual(['transaction_read_only', 'on', 'hnsw.ef_search', '123']);
    } else if (family === 'mariadb') {
      expect(fused.parameters).toContain(150);
    } else {
      expect(fused.query).toMatch(/(AND k = |vector32\(\?\), )60\)/);
    }
    if (family === 'sqlite' || family === 'libsql') {
      await expect(findHybrid(repo, { ...OPTIONS, search: { efSearch: 100 } })).rejects.toThrow(UnsupportedVectorFeatureError);
      await expect(findHybrid(repo, { ...OPTIONS, search: { efSearch: 100 } })).rejects.toThrow(/^(libSQL|SQLite \(sqlite-vec\)) has no efSearch search setting; /);
    } else if (family === 'mariadb') {
      await expect(findHybrid(repo, { ...OPTIONS, search: { iterativeScan: 'strict_order' } })).rejects.toThrow(/^MariaDB has no iterativeScan search setting; /);
    }
  });

  it('honours where on both sides, rrfK, weights and candidates', async () => {
    const repo = dataSource!.getRepository(HybridDoc);
    const options = { limit: 8, candidates: 6, k: 10, wv: 0.5, wt: 2 };
    const hybrid = await findHybrid(repo, { ...OPTIONS, ...exactVectorSide, where: { category: 'odd' }, limit: 8, candidates: 6, rrfK: 10, weights: { vector: 0.5, text: 2 } });
    const expected = rrf(vectorRanking(docs, 'odd'), await textRanking(dataSource!, family, QUERY_TEXT, 'odd'), options);
    expect(hybrid.every((h) => h.entity.category === 'odd')).toBe(true);
    expect(hybrid.map((h) => [h.entity.id, h.vectorRank, h.textRank])).toEqual(expected.map((e) => [e.id, e.vectorRank, e.textRank]));
    hybrid.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 9));
  });

  it.each(['"vector', 'vector*', '-search', 'NEAR(vector search)', 'vector AND', '(search', 'search)) OR (', "'; DROP TABLE hybrid_doc; --", '"', '*', '', 'NOT', '+vector ~search @3 <a >b', 'vector\\ search%_'])('query text %p is bound and never breaks the statement', async (query) => {
    const repo = dataSource!.getRepository(HybridDoc);
    const hybrid = await findHybrid(repo, { ...OPTIONS, text: { columns: ['body', 'title'], query } });
    expect(hybrid).toHaveLength(5);
    if (/vector|search/.test(query) && family !== 'postgres') expect(hybrid.some((h) => h.textRank !== null)).toBe(true);
    expect(await repo.count()).toBe(COUNT);
  });

  it('follows inserts, updates and deletes', async () => {
    const repo = dataSource!.getRepository(HybridDoc);
    const extra = Object.assign(new HybridDoc(), { id: 1000, title: 'zebra crossing', body: 'zebra', category: 'odd', embedding: [0, 0, 1, 0, 0, 0, 0, 0] });
    await repo.save(extra);
    const zebra = () => findHybrid(repo, { ...OPTIONS, text: { columns: ['title', 'body'], query: 'zebra' } });
    expect((await zebra()).find((h) => h.textRank === 1)?.entity.id).toBe(1000);
    await repo.update({ id: 1000 }, { title: 'plain', body: 'plain' });
    expect((await zebra()).some((h) => h.textRank !== null)).toBe(false);
    await repo.update({ id: 1000 }, { body: 'zebra again' });
    expect((await zebra()).find((h) => h.textRank === 1)?.entity.id).toBe(1000);
    await repo.delete({ id: 1000 });
    expect((await zebra()).some((h) => h.textRank !== null)).toBe(false);
  });

  it('refuses text columns of no @FullTextIndex and bad options, with one sentence', async () => {
    const repo = dataSource!.getRepository(HybridDoc);
    await expect(findHybrid(repo, { ...OPTIONS, text: { columns: ['title'], query: 'x' } })).rejects.toThrow(
      'findHybrid text.columns ["title"] are not the properties of a @FullTextIndex on HybridDoc; pass columns: ["title","body"].',
    );
    await expect(findHybrid(repo, { ...OPTIONS, rrfK: -1 })).rejects.toThrow(VectorConfigurationError);
    await expect(findHybrid(repo, { ...OPTIONS, weights: { vector: Number.NaN } })).rejects.toThrow('findHybrid weights.vector NaN is not a finite number >= 0; pass e.g. weights: { vector: 0.5 }.');
    await expect(findHybrid(repo, { ...OPTIONS, text: { columns: ['title', 'body'], query: 'x', config: "english'" } })).rejects.toThrow(VectorConfigurationError);
  });
});
