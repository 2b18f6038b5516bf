/**
 * The real TypeORM CLI on every backend, with ormconfig.ts and the sample entities (a vector index
 * and a @FullTextIndex): generate, run, generate again (no changes), revert, checking the schema after each step. The backends run their
 * CLI steps concurrently (each step spawns ts-node, a few seconds).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BACKENDS, sqlFamily } from './support/backends';
import { cliDatabase, runCli, type CliDatabase, type CliResult } from './support/cli';

type Schema = Awaited<ReturnType<CliDatabase['schema']>>;

interface Pipeline {
  generate: CliResult;
  migration: string;
  run: CliResult;
  afterRun: Schema;
  generateAgain: CliResult;
  leftoverFiles: string[];
  revert: CliResult;
  afterRevert: Schema;
}

/** What each backend's schema must show after migration:run. */
const EXPECTED: Record<string, { column: RegExp; index: string; definition: RegExp; createdIn: RegExp; dropped: RegExp }> = {
  sqlite: {
    column: /^blob$/i,
    index: 'document_embedding_vec0_cosine',
    definition: /^CREATE VIRTUAL TABLE "document_embedding_vec0_cosine" USING vec0\(embedding float\[256\] distance_metric=cosine\)$/,
    createdIn: /CREATE VIRTUAL TABLE "document_embedding_vec0_cosine" USING vec0\(embedding float\[256\] distance_metric=cosine\)/,
    dropped: /DROP TABLE "document_embedding_vec0_cosine"/,
  },
  postgres: {
    column: /^vector\(256\)$/,
    index: 'document_embedding_hnsw_cosine',
    definition: /USING hnsw \(embedding vector_cosine_ops\) WITH \(m='16', ef_construction='64'\)$/,
    createdIn: /CREATE INDEX "document_embedding_hnsw_cosine" ON "document" USING hnsw \("embedding" vector_cosine_ops\) WITH \(m = 16, ef_construction = 64\)/,
    dropped: /DROP INDEX "document_embedding_hnsw_cosine"/,
  },
  libsql: {
    column: /^F32_BLOB\(256\)$/,
    index: 'document_embedding_diskann_cosine',
    definition: /^CREATE INDEX "document_embedding_diskann_cosine" ON "document" \(libsql_vector_idx\("embedding", 'metric=cosine', 'max_neighbors=64', 'compress_neighbors=float32'\)\)$/,
    createdIn: /CREATE INDEX "document_embedding_diskann_cosine" ON "document" \(libsql_vector_idx\("embedding", 'metric=cosine', 'max_neighbors=64', 'compress_neighbors=float32'\)\)/,
    dropped: /DROP INDEX "document_embedding_diskann_cosine"/,
  },
  mariadb: {
    column: /^vector\(256\)$/,
    index: 'document_embedding_hnsw_cosine',
    definition: /^VECTOR KEY `document_embedding_hnsw_cosine` \(`embedding`\) `M`='16' `DISTANCE`='cosine'$/,
    createdIn: /CREATE VECTOR INDEX \\`document_embedding_hnsw_cosine\\` ON \\`document\\` \(\\`embedding\\`\) M=16 DISTANCE=cosine/,
    dropped: /DROP INDEX \\`document_embedding_hnsw_cosine\\` ON \\`document\\`/,
  },
};

EXPECTED.pglite = EXPECTED.postgres!;

type Family = ReturnType<typeof sqlFamily> | 'pglite';

/**
 * Each SQL family once, and PGlite (the PostgreSQL family, through pglite:<folder>): the CLI needs a
 * database that outlives a process, so libsql-memory runs as libsql.
 */
const FAMILIES: Family[] = [...new Set(BACKENDS.map((backend): Family => (backend.name === 'pglite' ? 'pglite' : sqlFamily(backend.name))))];

async function pipeline(backend: Family): Promise<Pipeline> {
  const database = await cliDatabase(backend);
  try {
    const generate = await runCli(database, ['migration:generate', path.join(database.migrationsDir, 'Init')]);
    const files = fs.readdirSync(database.migrationsDir);
    const migration = files.length === 1 ? fs.readFileSync(path.join(database.migrationsDir, files[0]!), 'utf8') : `files: ${files.join(', ')}`;
    const run = await runCli(database, ['migration:run']);
    const afterRun = await database.schema('document');
    const generateAgain = await runCli(database, ['migration:generate', path.join(database.migrationsDir, 'Again')]);
    const leftoverFiles = fs.readdirSync(database.migrationsDir).filter((f) => f.includes('Again'));
    const revert = await runCli(database, ['migration:revert']);
    const afterRevert = await database.schema('document');
    return { generate, migration, run, afterRun, generateAgain, leftoverFiles, revert, afterRevert };
  } finally {
    await database.drop();
  }
}

const results = new Map<Family, Pipeline>();

beforeAll(async () => {
  const started = Date.now();
  // allSettled: every backend's pipeline finishes (and drops its database) before any failure is reported.
  const settled = await Promise.allSettled(FAMILIES.map(async (family) => [family, await pipeline(family)] as const));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  const pipelines = settled.map((s) => (s as PromiseFulfilledResult<readonly [Family, Pipeline]>).value);
  for (const [name, result] of pipelines) results.set(name, result);
  const steps = pipelines.map(([name, p]) => `${name}: ${[p.generate, p.run, p.generateAgain, p.revert].map((r) => r.seconds.toFixed(1)).join(' / ')} s`);
  console.log(`[migrations-cli] generate / run / generate / revert: ${steps.join('; ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
}, 600_000); // PGlite starts in each of its four CLI processes (seconds each on a loaded 2-core machine); at a load of 15 to 21 each step took 55 to 90 s and the five pipelines once passed 300 s

describe.each(FAMILIES)('TypeORM CLI on %s', (family) => {
  const result = () => results.get(family)!;
  const expected = EXPECTED[family];

  it('has expectations for this backend', () => {
    expect(expected).toBeDefined();
  });

  it('migration:generate writes the table and the vector index, with their drops in down', () => {
    const { generate, migration } = result();
    expect(generate.output).toMatch(/has been generated successfully/);
    expect(generate.code).toBe(0);
    const [up, down] = migration.split('public async down');
    const createTable = /CREATE TABLE (\\`document\\`|"document")/;
    const dropTable = /DROP TABLE (\\`document\\`|"document")/;
    expect(up).toMatch(createTable);
    expect(up).toMatch(expected!.createdIn);
    expect(up!.search(createTable)).toBeLessThan(up!.search(expected!.createdIn));
    expect(down).toMatch(expected!.dropped);
    expect(down!.search(expected!.dropped)).toBeLessThan(down!.search(dropTable));
    expect(migration.match(new RegExp(expected!.index, 'g'))!.length).toBeGreaterThanOrEqual(2);
  });

  it("migration:generate writes the sample entity's @FullTextIndex(['title', 'body']) too, with its drop in down", () => {
    const [up, down] = result().migration.split('public async down');
    const created = { sqlite: /CREATE VIRTUAL TABLE "document_title_body_fts" USING fts5/, libsql: /CREATE VIRTUAL TABLE "document_title_body_fts" USING fts5/, postgres: /CREATE INDEX "document_title_body_fts" ON "document" USING gin/, pglite: /CREATE INDEX "document_title_body_fts" ON "document" USING gin/, mariadb: /CREATE FULLTEXT INDEX \\`document_title_body_fts\\`/ }[family];
    expect(up).toMatch(created!);
    expect(down).toMatch(/DROP (INDEX|TABLE) (\\`|")document_title_body_fts/);
  });

  it('migration:run creates the columns and the index with its metric', () => {
    const { run, afterRun } = result();
    expect(run.code).toBe(0);
    expect(run.output).toMatch(/has been executed successfully/);
    expect(Object.keys(afterRun.columns).sort()).toEqual(['body', 'category', 'embedding', 'id', 'published', 'title']);
    expect(afterRun.columns.embedding).toMatch(expected!.column);
    expect(afterRun.indexes[expected!.index]).toMatch(expected!.definition);
  });

  it('a second migration:generate finds no changes and writes no file', () => {
    const { generateAgain, leftoverFiles } = result();
    expect(generateAgain.output).toMatch(/No changes in database schema were found/);
    expect(leftoverFiles).toEqual([]);
  });

  it('migration:revert drops the index and the table', () => {
    const { revert, afterRevert } = result();
    expect(revert.code).toBe(0);
    expect(revert.output).toMatch(/has been reverted successfully/);
    expect(afterRevert.columns).toEqual({});
    expect(afterRevert.tables).not.toContain('document');
    expect(afterRevert.tables.filter((t) => t.startsWith(expected!.index))).toEqual([]);
    expect(Object.keys(afterRevert.indexes)).toEqual([]);
  });
});
