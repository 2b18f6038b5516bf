/**
 * Adopting an existing database (issue 19): a schema made by hand or by TypeORM's own types, then
 * entities switched to @VectorColumn/@VectorIndex. Where the meaning is the same, `migration:generate`
 * (the schema builder's `log()`) finds no changes; where it is not, the expected DDL, with a comment
 * naming what differs. Each backend: PostgreSQL, MariaDB, libSQL (file) and SQLite vec0 (file).
 */
import 'reflect-metadata';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Column, Entity, PrimaryGeneratedColumn, type DataSourceOptions, type Logger } from 'typeorm';
import { VectorColumn, VectorDataSource, VectorIndex, explainNearest, findNearest, type VectorDataSourceSettings } from '../src';
import { vectorIndexesOf } from '../src/column/vector-index-attachment';
import { BACKENDS, sqlFamily, type Backend } from './support/backends';

type Family = 'postgres' | 'mariadb' | 'libsql' | 'sqlite';

/** A logger that keeps warnings. */
function warningsLogger(warnings: string[]): Logger {
  const none = () => undefined;
  return { logQuery: none, logQueryError: none, logQuerySlow: none, logSchemaBuild: none, logMigration: none, log: (level, message) => void (level === 'warn' && warnings.push(String(message))) };
}

/** One database per backend, kept for the file: `fresh()` gives each test its own tables by prefix. */
class Database {
  private base!: VectorDataSource;
  private readonly file = path.join(os.tmpdir(), `tv-adopt-${process.pid}-${Math.random().toString(36).slice(2)}.db`);
  constructor(private readonly backend: Backend, readonly family: Family) {}

  async open(): Promise<void> {
    const options: Partial<DataSourceOptions> = this.family === 'sqlite' ? ({ database: this.file } as never) : {};
    this.base = await this.backend.open([], { ...options, synchronize: false });
  }

  async close(): Promise<void> {
    await this.backend.close(this.base);
    fs.rmSync(this.file, { force: true });
  }

  query(sql: string): Promise<unknown> {
    return this.base.query(sql);
  }

  /** A second DataSource on the same database with `entities` (no synchronize), and the warnings it logs. */
  async with<T>(entities: Function[], work: (dataSource: VectorDataSource, warnings: string[]) => Promise<T>, settings?: VectorDataSourceSettings): Promise<T> {
    const warnings: string[] = [];
    const dataSource = await new VectorDataSource({ ...this.base.options, entities, synchronize: false, logger: warningsLogger(warnings) } as DataSourceOptions, settings).initialize();
    try {
      return await work(dataSource, warnings);
    } finally {
      await dataSource.destroy();
    }
  }

  /** What migration:generate would write for `entities`: [up, down] in file order. */
  generated(entities: Function[], settings?: VectorDataSourceSettings): Promise<{ up: string[]; down: string[]; warnings: string[]; names: string[] }> {
    return this.with(
      entities,
      async (dataSource, warnings) => {
        const sql = await dataSource.driver.createSchemaBuilder().log();
        const names = dataSource.entityMetadatas.flatMap((entity) => vectorIndexesOf(entity).map((index) => index.definition.name));
        return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query).reverse(), warnings, names };
      },
      settings,
    );
  }

  /** Runs statements as a migration would (one query runner). */
  async run(statements: readonly string[]): Promise<void> {
    const runner = this.base.createQueryRunner();
    try {
      for (const statement of statements) await runner.query(statement);
    } finally {
      await runner.release();
    }
  }
}

const FAMILIES: Family[] = ['postgres', 'mariadb', 'libsql', 'sqlite'];
// Each family on its first backend (sqlite, not sqlite3; libsql, not libsql-memory), and PostgreSQL on PGlite too.
const SELECTED = FAMILIES.flatMap((family) => {
  const first = BACKENDS.find((b) => b.name === family);
  const pglite = family === 'postgres' ? BACKENDS.filter((b) => b.name === 'pglite') : [];
  return [...(first ? [first] : []), ...pglite].map((backend) => ({ family, backend }));
}).filter((s): s is { family: Family; backend: Backend } => sqlFamily(s.backend.name) === s.family);

describe.each(SELECTED)('adopting a $family database on $backend.name', ({ family, backend }) => {
  const db = new Database(backend, family);
  beforeAll(() => db.open());
  afterAll(() => db.close());

  if (family === 'postgres') {
    it("a column made by TypeORM's own vector type, switched to @VectorColumn: no changes", async () => {
      @Entity('pg_own') class Own { @PrimaryGeneratedColumn() id!: number; @Column({ type: 'vector', length: 16 } as never) embedding!: string; }
      await db.with([Own], (dataSource) => dataSource.synchronize());
      @Entity('pg_own') class Switched { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) @VectorIndex({ metric: 'cosine' }) embedding!: number[]; }
      const { up } = await db.generated([Switched]);
      expect(up).toEqual(['CREATE INDEX "pg_own_embedding_hnsw_cosine" ON "pg_own" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 16, ef_construction = 64)']);
    });

    it('an hnsw index written without WITH means pgvector defaults: adopted under its name, no DDL', async () => {
      await db.query('CREATE TABLE pg_a (id serial PRIMARY KEY, embedding vector(16) NOT NULL)');
      await db.query('CREATE INDEX pg_a_embedding_idx ON pg_a USING hnsw (embedding vector_l2_ops)');
      @Entity('pg_a') class A { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) @VectorIndex({ metric: 'l2', name: 'pg_a_embedding_idx' }) embedding!: number[]; }
      expect(await db.generated([A])).toMatchObject({ up: [], down: [], warnings: [] });
    });

    it('an ivfflat index written without WITH means lists 100: adopted under its name; other lists are a commented change', async () => {
      await db.query('CREATE TABLE pg_i (id serial PRIMARY KEY, embedding vector(16) NOT NULL)');
      await db.query('CREATE INDEX pg_i_ivf ON pg_i USING ivfflat (embedding vector_cosine_ops)');
      @Entity('pg_i') class Same { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) @VectorIndex({ kind: 'ivfflat', metric: 'cosine' }) embedding!: number[]; }
      expect(await db.generated([Same])).toEqual({ up: [], down: [], warnings: [], names: ['pg_i_ivf'] });
      @Entity('pg_i') class Other { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) @VectorIndex({ kind: 'ivfflat', metric: 'cosine', lists: 50, name: 'pg_i_ivf' }) embedding!: number[]; }
      expect((await db.generated([Other])).up).toEqual([
        '/* typeorm-vector: vector index pg_i_ivf differs from its @VectorIndex (lists 100 -> 50): dropped and rebuilt */ DROP INDEX "pg_i_ivf"',
        'CREATE INDEX "pg_i_ivf" ON "pg_i" USING ivfflat ("embedding" vector_cosine_ops) WITH (lists = 50)',
      ]);
    });

    it('an unnamed @VectorIndex adopts an index of another name that means the same; another m is a commented change', async () => {
      await db.query('CREATE TABLE pg_b (id serial PRIMARY KEY, embedding vector(16) NOT NULL)');
      await db.query('CREATE INDEX items_hnsw ON pg_b USING hnsw (embedding vector_cosine_ops) WITH (m = 24)');
      @Entity('pg_b') class B { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) @VectorIndex({ metric: 'cosine', m: 24 }) embedding!: number[]; }
      expect(await db.generated([B])).toEqual({ up: [], down: [], warnings: [], names: ['items_hnsw'] });
      @Entity('pg_b') class B32 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) @VectorIndex({ metric: 'cosine', m: 32, name: 'items_hnsw' }) embedding!: number[]; }
      const changed = await db.generated([B32]);
      expect(changed.up).toEqual([
        '/* typeorm-vector: vector index items_hnsw differs from its @VectorIndex (m 24 -> 32): dropped and rebuilt */ DROP INDEX "items_hnsw"',
        'CREATE INDEX "items_hnsw" ON "pg_b" USING hnsw ("embedding" vector_cosine_ops) WITH (m = 32, ef_construction = 64)',
      ]);
      expect(changed.down[1]).toBe("CREATE INDEX items_hnsw ON public.pg_b USING hnsw (embedding vector_cosine_ops) WITH (m='24')");
    });

    it('an index no @VectorIndex declares is kept with one warning, or dropped by TypeORM when asked', async () => {
      @Entity('pg_b') class Plain { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) embedding!: number[]; }
      const kept = await db.generated([Plain]);
      expect(kept.up).toEqual([]);
      expect(kept.warnings).toEqual([
        "typeorm-vector keeps vector index items_hnsw on pg_b.embedding, which no @VectorIndex declares (TypeORM would drop it); declare it with @VectorIndex({ metric: 'cosine', name: 'items_hnsw', m: 24 }) on Plain.embedding to adopt it, or pass { undeclaredVectorIndexes: 'drop' } to VectorDataSource to let TypeORM drop it.",
      ]);
      const dropped = await db.generated([Plain], { undeclaredVectorIndexes: 'drop' });
      expect(dropped.up).toEqual(['DROP INDEX "public"."items_hnsw"']);
      expect(dropped.down).toEqual(["CREATE INDEX items_hnsw ON public.pg_b USING hnsw (embedding vector_cosine_ops) WITH (m='24')"]);
      // synchronize keeps it too.
      await db.with([Plain], (dataSource) => dataSource.synchronize());
      expect(await db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'pg_b'")).toContainEqual({ indexname: 'items_hnsw' });
    });

    it("LangChain's unconstrained vector column gets ALTER COLUMN TYPE vector(16), not DROP/ADD; rows of another dimension count are named", async () => {
      await db.query('CREATE TABLE lc (id serial PRIMARY KEY, content text, embedding vector)');
      const sixteen = `[${Array.from({ length: 16 }, (_, i) => i / 16).join(',')}]`;
      await db.query(`INSERT INTO lc (content, embedding) SELECT 'doc ' || g, '${sixteen}' FROM generate_series(1, 200) g`);
      @Entity('lc') class Lc { @PrimaryGeneratedColumn() id!: number; @Column({ type: 'text', nullable: true }) content!: string | null; @VectorColumn(16, { nullable: true }) embedding!: number[] | null; }
      const { up, down } = await db.with([Lc], async (dataSource) => {
        const sql = await dataSource.driver.createSchemaBuilder().log();
        return { up: sql.upQueries.map((q) => q.query), down: sql.downQueries.map((q) => q.query).reverse() };
      });
      const own = up.filter((q) => q.includes('"embedding"'));
      expect(own).toHaveLength(2);
      expect(own[0]).toMatch(/^\/\* typeorm-vector: lc\.embedding changes from an unconstrained vector to 16 dimensions .*\*\/ DO \$tv\$/);
      expect(own[1]).toBe('ALTER TABLE "lc" ALTER COLUMN "embedding" TYPE vector(16)');
      expect(up.join('\n')).not.toMatch(/DROP COLUMN "embedding"|ADD "embedding"/);
      expect(down).toEqual(['/* typeorm-vector: restores lc.embedding to unconstrained dimensions */ ALTER TABLE "lc" ALTER COLUMN "embedding" TYPE vector']);
      // A row of 3 dimensions: the guard names it.
      await db.query(`INSERT INTO lc (id, content, embedding) VALUES (9001, 'odd', '[1,2,3]')`);
      await expect(db.run(own)).rejects.toThrow('lc.embedding has 1 rows whose vectors do not have 16 dimensions (id 9001); re-embed them, delete them or set them to NULL, then run this again.');
      await db.query('DELETE FROM lc WHERE id = 9001');
      await db.run(own);
      expect(await db.query("SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'lc'::regclass AND attname = 'embedding'")).toEqual([{ type: 'vector(16)' }]);
      expect(await db.query('SELECT count(*)::int AS n FROM lc WHERE vector_dims(embedding) = 16')).toEqual([{ n: 200 }]);
      expect((await db.generated([Lc])).up).toEqual([]);
    });

    it("LangChain's own TypeORMVectorStore table, mapped as docs/adopting.md maps it with @VectorColumn(1536): only the guard and ALTER COLUMN TYPE vector(1536)", async () => {
      // LangChain's ensureTableInDatabase(), word for word (PGlite has gen_random_uuid() but not uuid-ossp).
      const uuid = backend.name === 'pglite' ? 'gen_random_uuid()' : 'uuid_generate_v4()';
      if (backend.name !== 'pglite') await db.query('CREATE EXTENSION IF NOT EXISTS "uuid-ossp"');
      await db.query(`CREATE TABLE IF NOT EXISTS lc_documents ("id" uuid NOT NULL DEFAULT ${uuid} PRIMARY KEY, "pageContent" text, metadata jsonb, embedding vector)`);
      const vector = (n: number) => `[${Array.from({ length: n }, (_, i) => ((i % 7) - 3) / 10).join(',')}]`;
      await db.query(`INSERT INTO lc_documents ("pageContent", metadata, embedding) SELECT 'doc ' || g, '{"source":"test"}', '${vector(1536)}' FROM generate_series(1, 20) g`);
      @Entity('lc_documents')
      class LangchainDocument {
        @PrimaryGeneratedColumn('uuid') id!: string;
        @Column({ type: 'text', nullable: true }) pageContent!: string | null;
        @Column({ type: 'jsonb', nullable: true }) metadata!: object | null;
        @VectorColumn(1536, { nullable: true }) embedding!: number[] | null;
      }
      const { up, down } = await db.generated([LangchainDocument]);
      expect(up).toHaveLength(2);
      expect(up[0]).toMatch(/^\/\* typeorm-vector: lc_documents\.embedding changes from an unconstrained vector to 1536 dimensions \(a guard names the rows of another dimension count\) \*\/ DO \$tv\$/);
      expect(up[1]).toBe('ALTER TABLE "lc_documents" ALTER COLUMN "embedding" TYPE vector(1536)');
      expect(down).toEqual(['/* typeorm-vector: restores lc_documents.embedding to unconstrained dimensions */ ALTER TABLE "lc_documents" ALTER COLUMN "embedding" TYPE vector']);
      const odd = (await db.query(`INSERT INTO lc_documents ("pageContent", embedding) VALUES ('odd', '${vector(3)}') RETURNING id`)) as Array<{ id: string }>;
      await expect(db.run(up)).rejects.toThrow(`lc_documents.embedding has 1 rows whose vectors do not have 1536 dimensions (id ${odd[0]!.id}); re-embed them, delete them or set them to NULL, then run this again.`);
      await db.query(`DELETE FROM lc_documents WHERE id = '${odd[0]!.id}'`);
      await db.run(up);
      expect(await db.query('SELECT count(*)::int AS n FROM lc_documents WHERE vector_dims(embedding) = 1536')).toEqual([{ n: 20 }]);
      expect((await db.generated([LangchainDocument])).up).toEqual([]);
    });

    it('a changed dimension count on an indexed column with rows: drop index, alter, recreate, with a re-embed comment; down restores', async () => {
      await db.query('CREATE TABLE pg_d (id serial PRIMARY KEY, embedding vector(3))');
      await db.query("INSERT INTO pg_d (embedding) SELECT ('[' || g || ',1,2]')::vector FROM generate_series(1, 300) g");
      await db.query('CREATE INDEX pg_d_idx ON pg_d USING hnsw (embedding vector_l2_ops)');
      @Entity('pg_d') class D4 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4, { nullable: true }) @VectorIndex({ metric: 'l2', name: 'pg_d_idx' }) embedding!: number[] | null; }
      const { up, down } = await db.generated([D4]);
      expect(up).toEqual([
        '/* typeorm-vector: pg_d.embedding changes from 3 to 4 dimensions: existing vectors must be re-embedded (they are cleared to NULL); its vector indexes are dropped first and recreated after */ DROP INDEX "pg_d_idx"',
        'ALTER TABLE "pg_d" ALTER COLUMN "embedding" TYPE vector(4) USING NULL',
        'CREATE INDEX "pg_d_idx" ON "pg_d" USING hnsw ("embedding" vector_l2_ops) WITH (m = 16, ef_construction = 64)',
      ]);
      await db.run(up);
      expect(await db.query('SELECT count(*)::int AS n FROM pg_d WHERE embedding IS NULL')).toEqual([{ n: 300 }]);
      expect(await db.query("SELECT indexname FROM pg_indexes WHERE tablename = 'pg_d'")).toContainEqual({ indexname: 'pg_d_idx' });
      expect((await db.generated([D4])).up).toEqual([]);
      await db.run(down);
      expect(await db.query("SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'pg_d'::regclass AND attname = 'embedding'")).toEqual([{ type: 'vector(3)' }]);
      expect(await db.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'pg_d_idx'")).toEqual([{ indexdef: "CREATE INDEX pg_d_idx ON public.pg_d USING hnsw (embedding vector_l2_ops)" }]);
    });
  }

  if (family === 'mariadb') {
    it("a column made by TypeORM's own vector type, switched to @VectorColumn: no changes", async () => {
      @Entity('m_own') class Own { @PrimaryGeneratedColumn() id!: number; @Column({ type: 'vector', length: 4 } as never) embedding!: Buffer; }
      await db.with([Own], (dataSource) => dataSource.synchronize());
      expect(String(((await db.query('SHOW CREATE TABLE m_own')) as Array<Record<string, string>>)[0]!['Create Table'])).toMatch(/`embedding` vector\(4\) NOT NULL/);
      @Entity('m_own') class Switched { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) embedding!: number[]; }
      expect(await db.generated([Switched])).toMatchObject({ up: [], down: [], warnings: [] });
    });

    it("a VECTOR INDEX written without M or DISTANCE means the server's defaults (M 6, euclidean): adopted; another M or DISTANCE is a change", async () => {
      await db.query('CREATE TABLE m_a (id int AUTO_INCREMENT PRIMARY KEY, embedding VECTOR(4) NOT NULL, VECTOR INDEX m_a_idx (embedding))');
      @Entity('m_a') class Same { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ metric: 'l2', m: 6 }) embedding!: number[]; }
      expect(await db.generated([Same])).toEqual({ up: [], down: [], warnings: [], names: ['m_a_idx'] });
      @Entity('m_a') class OtherM { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ metric: 'l2', name: 'm_a_idx' }) embedding!: number[]; }
      const m = await db.generated([OtherM]);
      expect(m.up).toEqual(['/* typeorm-vector: vector index m_a_idx differs from its @VectorIndex (m 6 -> 16): dropped and rebuilt */ DROP INDEX `m_a_idx` ON `m_a`', 'CREATE VECTOR INDEX `m_a_idx` ON `m_a` (`embedding`) M=16 DISTANCE=euclidean']);
      expect(m.down).toEqual(['/* typeorm-vector: restores vector index m_a_idx as it was */ DROP INDEX `m_a_idx` ON `m_a`', 'CREATE VECTOR INDEX `m_a_idx` ON `m_a` (`embedding`) M=6 DISTANCE=euclidean']);
      @Entity('m_a') class Cosine { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ metric: 'cosine', m: 6, name: 'm_a_idx' }) embedding!: number[]; }
      const cosine = await db.generated([Cosine]);
      expect(cosine.up[0]).toMatch(/\(metric l2 -> cosine\): dropped and rebuilt \*\/ DROP INDEX/);
      await db.run(cosine.up);
      expect((await db.generated([Cosine])).up).toEqual([]);
      await db.run(cosine.down);
      expect((await db.generated([Same])).up).toEqual([]);
    });

    it("an index built under a session's own mhnsw_default_m / mhnsw_default_distance (SHOW CREATE TABLE writes them in lower case) is read with those", async () => {
      await db.query('SET STATEMENT mhnsw_default_m = 12, mhnsw_default_distance = cosine FOR CREATE TABLE m_s (id int AUTO_INCREMENT PRIMARY KEY, embedding VECTOR(4) NOT NULL, VECTOR INDEX m_s_idx (embedding))');
      expect(String(((await db.query('SHOW CREATE TABLE m_s')) as Array<Record<string, string>>)[0]!['Create Table'])).toMatch(/VECTOR KEY `m_s_idx` \(`embedding`\) `m`='12' `distance`='cosine'/);
      @Entity('m_s') class Same { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ metric: 'cosine', m: 12 }) embedding!: number[]; }
      expect(await db.generated([Same])).toEqual({ up: [], down: [], warnings: [], names: ['m_s_idx'] });
      @Entity('m_s') class Other { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ metric: 'cosine', name: 'm_s_idx' }) embedding!: number[]; }
      expect((await db.generated([Other])).up[0]).toMatch(/vector index m_s_idx differs from its @VectorIndex \(m 12 -> 16\): dropped and rebuilt/);
    });

    it('a changed dimension count on an indexed column with rows: a guard names the rows first, then drop index, MODIFY in place, recreate, with a re-embed comment; down restores', async () => {
      await db.query('CREATE TABLE m_d (id int AUTO_INCREMENT PRIMARY KEY, embedding VECTOR(3) NOT NULL, VECTOR INDEX m_d_idx (embedding) M=8 DISTANCE=euclidean)');
      await db.query("INSERT INTO m_d (embedding) VALUES (VEC_FromText('[1,2,3]')), (VEC_FromText('[4,5,6]'))");
      @Entity('m_d') class D4 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ metric: 'l2', m: 8, name: 'm_d_idx' }) embedding!: number[]; }
      const { up, down } = await db.generated([D4]);
      expect(up).toHaveLength(4);
      expect(up[0]).toMatch(/^\/\* typeorm-vector: m_d\.embedding changes from 3 to 4 dimensions: existing vectors must be re-embedded \(a guard refuses rows while any are stored\); its vector indexes are dropped first and recreated after \*\/ BEGIN NOT ATOMIC /);
      expect(up.slice(1)).toEqual(['DROP INDEX `m_d_idx` ON `m_d`', 'ALTER TABLE `m_d` MODIFY `embedding` VECTOR(4) NOT NULL', 'CREATE VECTOR INDEX `m_d_idx` ON `m_d` (`embedding`) M=8 DISTANCE=euclidean']);
      expect(down.slice(1)).toEqual(['DROP INDEX `m_d_idx` ON `m_d`', 'ALTER TABLE `m_d` MODIFY `embedding` VECTOR(3) NOT NULL', 'CREATE VECTOR INDEX `m_d_idx` ON `m_d` (`embedding`) M=8 DISTANCE=euclidean']);
      // MariaDB would pad [1,2,3] to [1,2,3,0]: the guard refuses before anything changes (its DDL is not transactional).
      await expect(db.run(up)).rejects.toThrow('m_d.embedding has 2 rows whose vectors do not have 4 dimensions (id 1, 2); re-embed them, delete them or set them to NULL, then run this again.');
      expect(String(((await db.query('SHOW CREATE TABLE m_d')) as Array<Record<string, string>>)[0]!['Create Table'])).toMatch(/`embedding` vector\(3\) NOT NULL[\s\S]*VECTOR KEY `m_d_idx`/);
      await db.query('DELETE FROM m_d');
      await db.run(up);
      expect((await db.generated([D4])).up).toEqual([]);
      await db.query("INSERT INTO m_d (embedding) VALUES (VEC_FromText('[1,2,3,4]'))");
      await expect(db.run(down)).rejects.toThrow(/^m_d\.embedding has 1 rows whose vectors do not have 3 dimensions \(id 3\)/);
      await db.query('DELETE FROM m_d');
      await db.run(down);
      expect(String(((await db.query('SHOW CREATE TABLE m_d')) as Array<Record<string, string>>)[0]!['Create Table'])).toMatch(/`embedding` vector\(3\) NOT NULL[\s\S]*VECTOR KEY `m_d_idx` \(`embedding`\) `M`='8' `DISTANCE`='euclidean'/);
    });

    it('a nullable column of another dimension count is cleared to NULL, then modified in place', async () => {
      await db.query('CREATE TABLE m_n (id int AUTO_INCREMENT PRIMARY KEY, embedding VECTOR(3) NULL)');
      await db.query("INSERT INTO m_n (embedding) VALUES (VEC_FromText('[1,2,3]')), (NULL)");
      @Entity('m_n') class N4 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4, { nullable: true }) embedding!: number[] | null; }
      const { up } = await db.generated([N4]);
      expect(up).toEqual([
        '/* typeorm-vector: m_n.embedding changes from 3 to 4 dimensions: existing vectors must be re-embedded (they are cleared to NULL) */ UPDATE `m_n` SET `embedding` = NULL WHERE `embedding` IS NOT NULL AND LENGTH(`embedding`) <> 16',
        'ALTER TABLE `m_n` MODIFY `embedding` VECTOR(4) NULL',
      ]);
      await db.run(up);
      expect(await db.query('SELECT COUNT(*) AS n FROM m_n WHERE embedding IS NULL')).toEqual([{ n: '2' }]);
      expect((await db.generated([N4])).up).toEqual([]);
    });

    it('a VECTOR INDEX no @VectorIndex declares is kept, with one warning', async () => {
      await db.query('CREATE TABLE m_b (id int AUTO_INCREMENT PRIMARY KEY, embedding VECTOR(4) NOT NULL, VECTOR INDEX m_b_idx (embedding) M=8 DISTANCE=cosine)');
      @Entity('m_b') class Plain { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) embedding!: number[]; }
      const kept = await db.generated([Plain]);
      expect(kept.up).toEqual([]);
      expect(kept.warnings).toEqual([expect.stringContaining("@VectorIndex({ metric: 'cosine', name: 'm_b_idx', m: 8 })")]);
    });
  }

  if (family === 'libsql') {
    it("libsql_vector_idx without settings means libSQL's defaults (cosine, max_neighbors 3(floor(sqrt(d))+1)): adopted; other settings are a change", async () => {
      await db.query('CREATE TABLE "l_a" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "embedding" F32_BLOB(16) NOT NULL)');
      await db.query('CREATE INDEX l_a_idx ON l_a (libsql_vector_idx(embedding))');
      @Entity('l_a') class Same { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) @VectorIndex({ metric: 'cosine', maxNeighbors: 15 }) embedding!: number[]; }
      expect(await db.generated([Same])).toEqual({ up: [], down: [], warnings: [], names: ['l_a_idx'] });
      @Entity('l_a') class Other { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) @VectorIndex({ metric: 'cosine', name: 'l_a_idx' }) embedding!: number[]; }
      const changed = await db.generated([Other]);
      expect(changed.up[0]).toBe('/* typeorm-vector: vector index l_a_idx differs from its @VectorIndex (maxNeighbors 15 -> 64): dropped and rebuilt */ DROP INDEX "l_a_idx"');
      expect(changed.down).toContain('CREATE INDEX l_a_idx ON l_a (libsql_vector_idx(embedding))');
      @Entity('l_a') class Plain { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) embedding!: number[]; }
      const kept = await db.generated([Plain]);
      expect(kept.up).toEqual([]);
      expect(kept.warnings).toEqual([expect.stringContaining("@VectorIndex({ metric: 'cosine', name: 'l_a_idx', maxNeighbors: 15 })")]);
    });
  }

  if (family === 'libsql') {
    it('a changed dimension count on an indexed F32_BLOB column with rows: cleared (nullable) or refused by a guard naming the rows, before the table copy; the index comes back after it', async () => {
      const index = `CREATE INDEX "l_d_idx" ON "l_d" (libsql_vector_idx("embedding", 'metric=l2', 'max_neighbors=64', 'compress_neighbors=float32'))`;
      await db.query('CREATE TABLE "l_d" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "embedding" F32_BLOB(3))');
      await db.query("INSERT INTO l_d (embedding) VALUES (vector32('[1,2,3]')), (vector32('[4,5,6]'))");
      await db.query(index);
      @Entity('l_d') class D4 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4, { nullable: true }) @VectorIndex({ metric: 'l2', name: 'l_d_idx' }) embedding!: number[] | null; }
      const { up, down } = await db.generated([D4]);
      const other = (n: number) => `"embedding" IS NOT NULL AND (typeof("embedding") <> 'blob' OR length("embedding") <> ${4 * n})`;
      expect(up[0]).toBe('/* typeorm-vector: l_d.embedding changes from 3 to 4 dimensions: existing vectors must be re-embedded (they are cleared to NULL): the vectors are checked before TypeORM copies the table, and its vector indexes, which the table copy drops, are recreated after it */ DROP INDEX "l_d_idx"');
      expect(up[1]).toBe(`UPDATE "l_d" SET "embedding" = NULL WHERE ${other(4)}`);
      expect(up.slice(2, -1).join('\n')).toMatch(/^CREATE TABLE "temporary_l_d" .*"embedding" F32_BLOB\(4\)/);
      expect(up.at(-1)).toBe(`/* typeorm-vector: recreates the vector indexes of l_d.embedding after the table copy */ ${index}`);
      expect(down[0]).toBe('/* typeorm-vector: restores l_d.embedding to 3 dimensions: the vectors are checked before TypeORM copies the table back */ DROP INDEX "l_d_idx"');
      expect(down[1]).toBe(`UPDATE "l_d" SET "embedding" = NULL WHERE ${other(3)}`);
      expect(down.at(-1)).toBe(`/* typeorm-vector: recreates the vector indexes of l_d.embedding as they were */ ${index}`);
      await db.run(up);
      expect(await db.query('SELECT count(*) AS n FROM l_d WHERE embedding IS NULL')).toEqual([{ n: 2 }]);
      expect(await db.query("SELECT sql FROM sqlite_master WHERE name = 'l_d_idx'")).toEqual([{ sql: index }]);
      expect((await db.generated([D4])).up).toEqual([]);
      await db.query("UPDATE l_d SET embedding = vector32('[1,2,3,4]') WHERE id = 1");
      await db.run(down);
      expect(await db.query('SELECT count(*) AS n FROM l_d WHERE embedding IS NULL')).toEqual([{ n: 2 }]);
      expect(await db.query("SELECT sql FROM sqlite_master WHERE name = 'l_d_idx'")).toEqual([{ sql: index }]);

      // NOT NULL: a guard names the rows before anything changes.
      await db.query('CREATE TABLE "l_g" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "embedding" F32_BLOB(3) NOT NULL)');
      await db.query("INSERT INTO l_g (embedding) VALUES (vector32('[1,2,3]'))");
      @Entity('l_g') class G4 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ metric: 'l2', name: 'l_g_idx' }) embedding!: number[]; }
      const guarded = await db.generated([G4]);
      expect(guarded.up[0]).toMatch(/^\/\* typeorm-vector: l_g\.embedding changes from 3 to 4 dimensions: existing vectors must be re-embedded \(a guard refuses rows while any are stored\).*\*\/ SELECT json_extract/);
      await expect(db.run(guarded.up)).rejects.toThrow("l_g.embedding has 1 rows whose vectors do not have 4 dimensions (id 1); re-embed them, delete them or set them to NULL, then run this again.");
      expect(await db.query("SELECT type FROM pragma_table_info('l_g') WHERE name = 'embedding'")).toEqual([{ type: 'F32_BLOB(3)' }]);
      await db.query('DELETE FROM l_g');
      await db.run(guarded.up);
      expect((await db.generated([G4])).up).toEqual([]);
    });
  }

  if (family === 'sqlite') {
    it('a vec0 index rebuilt for other dimensions: old vectors cleared first (nullable) or a guard naming them (NOT NULL)', async () => {
      @Entity('v_d') class D3 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(3, { nullable: true }) @VectorIndex({ kind: 'vec0', metric: 'l2', name: 'v_d_vec' }) embedding!: number[] | null; }
      await db.with([D3], async (dataSource) => {
        await dataSource.synchronize();
        await dataSource.getRepository(D3).insert([{ embedding: [1, 2, 3] }, { embedding: [4, 5, 6] }]);
      });
      @Entity('v_d') class D4 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4, { nullable: true }) @VectorIndex({ kind: 'vec0', metric: 'l2', name: 'v_d_vec' }) embedding!: number[] | null; }
      const { up, down } = await db.generated([D4]);
      const other = (n: number) => `"embedding" IS NOT NULL AND (typeof("embedding") <> 'blob' OR length("embedding") <> ${4 * n})`;
      expect(up[0]).toBe(`/* typeorm-vector: vector index v_d_vec differs from its @VectorIndex (dimensions 3 -> 4): dropped and rebuilt */ /* typeorm-vector: vectors of v_d.embedding must have 4 dimensions: re-embed them (a nullable column's others are set to NULL, a NOT NULL column's stop this migration) */ UPDATE "v_d" SET "embedding" = NULL WHERE ${other(4)}`);
      expect(down.some((statement) => statement.includes(`UPDATE "v_d" SET "embedding" = NULL WHERE ${other(3)}`))).toBe(true);
      await db.run(up);
      expect(await db.query('SELECT count(*) AS n FROM v_d WHERE embedding IS NULL')).toEqual([{ n: 2 }]);
      expect((await db.generated([D4])).up).toEqual([]);

      @Entity('v_g') class G3 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(3) @VectorIndex({ kind: 'vec0', metric: 'l2', name: 'v_g_vec' }) embedding!: number[]; }
      await db.with([G3], async (dataSource) => {
        await dataSource.synchronize();
        await dataSource.getRepository(G3).insert([{ embedding: [1, 2, 3] }]);
      });
      @Entity('v_g') class G4 { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ kind: 'vec0', metric: 'l2', name: 'v_g_vec' }) embedding!: number[]; }
      const guarded = await db.generated([G4]);
      await expect(db.run(guarded.up)).rejects.toThrow('v_g.embedding has 1 rows whose vectors do not have 4 dimensions (id 1); re-embed them, delete them or set them to NULL, then run this again.');
      await db.query('DELETE FROM v_g');
      await db.run(guarded.up);
      expect((await db.generated([G4])).up).toEqual([]);
    });
  }

  if (family === 'libsql') {
    it('a kept index (no @VectorIndex) comes back as it was after TypeORM copies its table, in up, down and synchronize', async () => {
      const index = "CREATE INDEX l_k_idx ON l_k (libsql_vector_idx(embedding, 'metric=l2'))";
      await db.query('CREATE TABLE "l_k" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "embedding" F32_BLOB(4) NOT NULL)');
      await db.query(index);
      // A new column: SQLite's ALTER is TypeORM's table copy, whose DROP TABLE drops the index.
      @Entity('l_k') class K { @PrimaryGeneratedColumn() id!: number; @Column({ type: 'text', nullable: true }) title!: string | null; @VectorColumn(4) embedding!: number[]; }
      const { up, down } = await db.generated([K]);
      expect(up.at(-1)).toBe(`/* typeorm-vector: brings back vector index l_k_idx, which no @VectorIndex declares, after the table copy */ ${index}`);
      expect(down.at(-1)).toBe(index);
      const indexSql = () => db.query("SELECT sql FROM sqlite_master WHERE name = 'l_k_idx'");
      await db.run(up);
      expect(await indexSql()).toEqual([{ sql: index }]);
      await db.run(down);
      expect(await indexSql()).toEqual([{ sql: index }]);
      await db.with([K], (dataSource) => dataSource.synchronize());
      expect(await db.query("SELECT name FROM pragma_table_info('l_k')")).toContainEqual({ name: 'title' });
      expect(await indexSql()).toEqual([{ sql: index }]);
    });
  }

  if (family === 'libsql') {
    // Last of the libSQL cases: after explainNearest's EXPLAIN QUERY PLAN of a vector_top_k read and
    // another statement on this second connection, libSQL keeps a lock on the file that fails the
    // base connection's writes with SQLITE_BUSY for the rest of the process (docs/libsql.md).
    it('searches read an index adopted by an unnamed @VectorIndex under its own name (vector_top_k, explainNearest)', async () => {
      await db.query('CREATE TABLE "l_s" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "embedding" F32_BLOB(16) NOT NULL)');
      await db.query('CREATE INDEX l_s_idx ON l_s (libsql_vector_idx(embedding))');
      @Entity('l_s') class Same { @PrimaryGeneratedColumn() id!: number; @VectorColumn(16) @VectorIndex({ metric: 'cosine', maxNeighbors: 15 }) embedding!: number[]; }
      await db.with([Same], async (dataSource) => {
        const repository = dataSource.getRepository(Same);
        const unit = (i: number) => Array.from({ length: 16 }, (_, j) => (j === i ? 1 : 0.01));
        await repository.insert([0, 1, 2, 3].map((i) => ({ embedding: unit(i) })));
        const query = { column: 'embedding' as const, vector: unit(2), metric: 'cosine' as const, limit: 2 };
        expect(await explainNearest(repository, query)).toMatchObject({ usesIndex: true, index: 'l_s_idx', strategy: 'index' });
        expect((await findNearest(repository, query)).map((hit) => hit.entity.id)).toEqual([3, expect.any(Number)]);
      });
    });
  }

  if (family === 'sqlite') {
    it('a kept vec0 table (no @VectorIndex) gets its triggers back after TypeORM copies the entity table', async () => {
      await db.query('CREATE TABLE "s_k" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "embedding" blob NOT NULL)');
      @Entity('s_k') class Indexed { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ kind: 'vec0', metric: 'l2', name: 's_k_vec' }) embedding!: number[]; }
      await db.run((await db.generated([Indexed])).up);
      @Entity('s_k') class K { @PrimaryGeneratedColumn() id!: number; @Column({ type: 'text', nullable: true }) title!: string | null; @VectorColumn(4) embedding!: number[]; }
      const { up, warnings } = await db.generated([K]);
      expect(warnings).toEqual([expect.stringContaining("@VectorIndex({ metric: 'l2', name: 's_k_vec' })")]);
      expect(up.slice(-3).map((q) => /CREATE TRIGGER "(\w+)"/.exec(q)?.[1])).toEqual(['s_k_vec_insert', 's_k_vec_update', 's_k_vec_delete']);
      await db.run(up);
      expect((await db.generated([K])).up).toEqual([]);
    });

    it('a vec0 table of the same meaning but other text (default metric, made by hand without triggers) is adopted; its triggers are added', async () => {
      await db.query('CREATE TABLE "s_a" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "embedding" blob NOT NULL)');
      await db.query('CREATE VIRTUAL TABLE s_a_vec USING vec0(embedding float[4])');
      @Entity('s_a') class Same { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ kind: 'vec0', metric: 'l2', name: 's_a_vec' }) embedding!: number[]; }
      const { up, down } = await db.generated([Same]);
      expect(up).toHaveLength(3);
      expect(up[0]).toMatch(/^\/\* typeorm-vector: adopts s_a_vec, adding the triggers .*\*\/ CREATE TRIGGER "s_a_vec_insert"/);
      expect(down).toHaveLength(3);
      await db.run(up);
      expect((await db.generated([Same])).up).toEqual([]);
      @Entity('s_a') class Cosine { @PrimaryGeneratedColumn() id!: number; @VectorColumn(4) @VectorIndex({ kind: 'vec0', metric: 'cosine', name: 's_a_vec' }) embedding!: number[]; }
      expect((await db.generated([Cosine])).up[0]).toMatch(/\(metric l2 -> cosine\): dropped and rebuilt \*\/ DROP TRIGGER IF EXISTS "s_a_vec_delete"/);
    });
  }
});
