/**
 * PGlite databases for the `pglite` test backend. Starting PGlite runs initdb inside WebAssembly
 * (seconds on this machine), so a test file starts as few as it can: each database begins as a
 * copy of a template folder (initdb done, pgvector created; built once, then cached in the OS temp
 * folder under the PGlite and pgvector versions), and a database a closed DataSource gave back is
 * reset (every schema dropped, `public` and pgvector recreated) and lent to the next `open()` of the
 * same file. Two DataSources open at once get two databases. All are closed, and their folders
 * removed, after the file's last test.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { PgliteInstance } from '../../src';

interface PgliteModule {
  PGlite: new (options: Record<string, unknown>) => PgliteInstance;
}

/**
 * Drops everything a test made and leaves what a fresh `pglite()` database has: `public` and
 * pgvector. Separate statements: a multi-statement string is one implicit transaction, and
 * DISCARD ALL must run outside one.
 */
const RESET_SQL = [
  'ROLLBACK',
  `DO $$
DECLARE s text;
BEGIN
  FOR s IN SELECT nspname FROM pg_namespace
    WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
  LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', s);
  END LOOP;
END $$`,
  'CREATE SCHEMA public; CREATE EXTENSION vector',
  'DISCARD ALL',
];

const free: PgliteInstance[] = [];
const opened: Array<{ instance: PgliteInstance; dir: string }> = [];

/**
 * A reset PGlite database with pgvector for one DataSource; give it back with `returnPgliteDatabase`.
 *
 * @example
 * const instance = await borrowPgliteDatabase(); new VectorDataSource({ ...pglite({ instance }), entities });
 */
export async function borrowPgliteDatabase(): Promise<PgliteInstance> {
  const instance = free.pop() ?? (await openCopyOfTemplate());
  for (const statement of RESET_SQL) await instance.exec(statement);
  return instance;
}

/** Lends `instance` to the next `borrowPgliteDatabase()` of this test file. */
export function returnPgliteDatabase(instance: PgliteInstance): void {
  if (!instance.closed) free.push(instance);
}

/** Closes every database this file opened and removes their folders. */
export async function closePgliteDatabases(): Promise<void> {
  free.length = 0;
  for (const { instance, dir } of opened.splice(0)) {
    if (!instance.closed) await instance.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// Registered by every test file that loads the backends; a no-op in files that never borrowed one.
if (typeof afterAll === 'function') afterAll(closePgliteDatabases);

async function openCopyOfTemplate(): Promise<PgliteInstance> {
  const template = await templateFolder();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-pglite-'));
  fs.cpSync(template, dir, { recursive: true });
  const instance = newPglite(dir);
  opened.push({ instance, dir });
  await instance.waitReady;
  return instance;
}

/**
 * The template folder of the installed PGlite and pgvector versions (initdb done, pgvector created),
 * built on first use (atomically, so two workers may race). Copy it; never open it.
 *
 * @example
 * fs.cpSync(await templateFolder(), dir, { recursive: true });
 */
export async function templateFolder(): Promise<string> {
  // Neither package exports its package.json; both keep their entry point in dist/.
  const versions = ['@electric-sql/pglite', '@electric-sql/pglite-pgvector'].map(
    (name) => (JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve(name)), '..', 'package.json'), 'utf8')) as { version: string }).version,
  );
  const folder = path.join(os.tmpdir(), `typeorm-vector-pglite-template-${versions.join('-')}`);
  if (fs.existsSync(folder)) return folder;
  const building = fs.mkdtempSync(`${folder}.building-`);
  const instance = newPglite(building);
  try {
    await instance.waitReady;
    await instance.exec('CREATE EXTENSION vector');
  } finally {
    await instance.close();
  }
  try {
    fs.renameSync(building, folder);
  } catch (error) {
    // Another worker finished first: use its template.
    fs.rmSync(building, { recursive: true, force: true });
    if (!fs.existsSync(folder)) throw error;
  }
  return folder;
}

/** A PGlite database with pgvector loaded, in `dataDir`. */
export function newPglite(dataDir: string): PgliteInstance {
  const { PGlite } = require('@electric-sql/pglite') as PgliteModule;
  const { vector } = require('@electric-sql/pglite-pgvector') as { vector: unknown };
  return new PGlite({ dataDir, extensions: { vector }, relaxedDurability: true });
}
