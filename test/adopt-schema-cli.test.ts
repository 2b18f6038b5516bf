/**
 * Adopting an existing database through the real TypeORM CLI (issue 19): tables made by hand, the
 * entities of test/fixtures/adopt-cli/data-source.ts over them; `migration:generate` writes only
 * what differs in meaning, `migration:run` runs it, and a second `migration:generate` finds no
 * changes. PostgreSQL and MariaDB run concurrently (each CLI call spawns ts-node, a few seconds).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backendSelected } from './support/backends';
import { cliDatabase, runCli, type CliDatabase, type CliResult } from './support/cli';
import { withMysqlConnection, withPgClient } from './support/db-clients';

const DATA_SOURCE = 'test/fixtures/adopt-cli/data-source.ts';

interface RoundTrip {
  generate: CliResult;
  migration: string;
  run: CliResult;
  again: CliResult;
  after: Awaited<ReturnType<CliDatabase['schema']>>[];
}

/** Hand-made schema (`setup`), then generate, run, generate again; the schema of `tables` after. */
async function roundTrip(backend: 'postgres' | 'mariadb', setup: (database: CliDatabase) => Promise<void>, tables: string[]): Promise<RoundTrip> {
  const database = await cliDatabase(backend);
  try {
    await setup(database);
    const generate = await runCli(database, ['migration:generate', path.join(database.migrationsDir, 'Adopt')], DATA_SOURCE);
    const files = fs.readdirSync(database.migrationsDir);
    const migration = files.map((file) => fs.readFileSync(path.join(database.migrationsDir, file), 'utf8')).join('\n');
    const run = await runCli(database, ['migration:run'], DATA_SOURCE);
    const again = await runCli(database, ['migration:generate', path.join(database.migrationsDir, 'Again')], DATA_SOURCE);
    const after = await Promise.all(tables.map((table) => database.schema(table)));
    return { generate, migration, run, again, after };
  } finally {
    await database.drop();
  }
}

const sixteen = `[${Array.from({ length: 16 }, (_, i) => i / 16).join(',')}]`;

const CASES = {
  postgres: () =>
    roundTrip(
      'postgres',
      (database) =>
        withPgClient(database.url, async (client) => {
          await client.query('CREATE EXTENSION IF NOT EXISTS vector');
          await client.query('CREATE TABLE adopt_item (id serial PRIMARY KEY, embedding vector(16) NOT NULL)');
          await client.query(`INSERT INTO adopt_item (embedding) SELECT '${sixteen}' FROM generate_series(1, 50)`);
          await client.query('CREATE INDEX adopt_item_embedding_idx ON adopt_item USING hnsw (embedding vector_l2_ops)');
          // LangChain's TypeORMVectorStore table.
          await client.query('CREATE TABLE documents (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "pageContent" text, embedding vector)');
          await client.query(`INSERT INTO documents ("pageContent", embedding) SELECT 'doc ' || g, '${sixteen}' FROM generate_series(1, 20) g`);
        }),
      ['adopt_item', 'documents'],
    ),
  mariadb: () =>
    roundTrip(
      'mariadb',
      (database) =>
        withMysqlConnection(database.url, async (connection) => {
          await connection.query('CREATE TABLE m_items (id int AUTO_INCREMENT PRIMARY KEY, embedding VECTOR(4) NOT NULL, VECTOR INDEX m_items_idx (embedding))');
          await connection.query("INSERT INTO m_items (embedding) VALUES (VEC_FromText('[1,2,3,4]')), (VEC_FromText('[4,3,2,1]'))");
          await connection.query('CREATE TABLE m_dims (id int AUTO_INCREMENT PRIMARY KEY, embedding VECTOR(3) NOT NULL, VECTOR INDEX m_dims_idx (embedding) M=8 DISTANCE=cosine)');
        }),
      ['m_items', 'm_dims'],
    ),
};

const SELECTED = (Object.keys(CASES) as Array<keyof typeof CASES>).filter((backend) => backendSelected(backend));
const results = new Map<string, RoundTrip>();

beforeAll(async () => {
  const settled = await Promise.allSettled(SELECTED.map(async (backend) => [backend, await CASES[backend]()] as const));
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  for (const s of settled) if (s.status === 'fulfilled') results.set(s.value[0], s.value[1]);
}, 300_000);

const on = (backend: keyof typeof CASES) => (SELECTED.includes(backend) ? describe : describe.skip);

on('postgres')('adopting a PostgreSQL database with the TypeORM CLI', () => {
  it('generate keeps the hand-made HNSW index (pgvector defaults) and gives the LangChain column its dimensions in place', () => {
    const { generate, migration } = results.get('postgres')!;
    expect(generate.output).toMatch(/has been generated successfully/);
    expect(migration).not.toMatch(/adopt_item/);
    expect(migration).toMatch(/documents\.embedding changes from an unconstrained vector to 16 dimensions/);
    expect(migration).toContain('ALTER TABLE "documents" ALTER COLUMN "embedding" TYPE vector(16)');
    expect(migration).not.toMatch(/DROP COLUMN|ADD "embedding"/);
  });

  it('run keeps every vector and the index; a second generate finds no changes', () => {
    const { run, again, after } = results.get('postgres')!;
    expect(run.output).toMatch(/has been executed successfully/);
    expect(run.code).toBe(0);
    expect(again.output).toMatch(/No changes in database schema were found/);
    const [item, documents] = after;
    expect(item!.indexes.adopt_item_embedding_idx).toBe('CREATE INDEX adopt_item_embedding_idx ON public.adopt_item USING hnsw (embedding vector_l2_ops)');
    expect(documents!.columns.embedding).toBe('vector(16)');
  });
});

on('mariadb')('adopting a MariaDB database with the TypeORM CLI', () => {
  it('generate detects the changed M under the same index name, and changes the dimensions in place', () => {
    const { generate, migration } = results.get('mariadb')!;
    expect(generate.output).toMatch(/has been generated successfully/);
    expect(migration).toMatch(/vector index m_items_idx differs from its @VectorIndex \(m 6 -> 16\): dropped and rebuilt/);
    expect(migration).toMatch(/m_dims\.embedding changes from 3 to 4 dimensions: existing vectors must be re-embedded/);
    expect(migration).toContain('ALTER TABLE \\`m_dims\\` MODIFY \\`embedding\\` VECTOR(4) NOT NULL');
    expect(migration).not.toMatch(/DROP COLUMN/);
  });

  it('run rebuilds the index with M 16 and recreates the resized column\'s index; a second generate finds no changes', () => {
    const { run, again, after } = results.get('mariadb')!;
    expect(run.output).toMatch(/has been executed successfully/);
    expect(run.code).toBe(0);
    expect(again.output).toMatch(/No changes in database schema were found/);
    const [items, dims] = after;
    expect(items!.indexes.m_items_idx).toBe("VECTOR KEY `m_items_idx` (`embedding`) `M`='16' `DISTANCE`='euclidean'");
    expect(dims!.columns.embedding).toBe('vector(4)');
    expect(dims!.indexes.m_dims_idx).toBe("VECTOR KEY `m_dims_idx` (`embedding`) `M`='8' `DISTANCE`='cosine'");
  });
});
