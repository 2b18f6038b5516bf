/**
 * Runs the real TypeORM CLI (`typeorm-ts-node-commonjs`, a child process) against ormconfig.ts, and
 * gives each backend a fresh database addressed by a DATABASE_URL.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { createClient } from '@libsql/client';
import { mariadbIndexLines } from './catalog';
import type { BackendName } from './backends';
import type { PgliteInstance } from '../../src';
import { requiredUrl } from './backends';
import { withDatabase, withMysqlConnection, withPgClient } from './db-clients';
import { newPglite, templateFolder } from './pglite-instances';
import { typeormChildProcess } from './typeorm-line';

const ROOT = path.resolve(__dirname, '../..');
/** The CLI of the TypeORM line under test (the child process loads that line too: typeormChildProcess). */
const CLI = typeormChildProcess.file('cli-ts-node-commonjs.js');

export interface CliResult {
  code: number;
  output: string;
  seconds: number;
}

/** A fresh database for the CLI, its migrations folder, and a function reading its schema. */
export interface CliDatabase {
  url: string;
  migrationsDir: string;
  /** Columns of `table` (name -> type) and its indexes / vec0 tables with their definitions. */
  schema(table: string): Promise<{ columns: Record<string, string>; indexes: Record<string, string>; tables: string[] }>;
  drop(): Promise<void>;
}

/**
 * Runs `typeorm-ts-node-commonjs <args> -d ormconfig.ts` (or another DataSource file, relative to
 * the repository root) in the repository root. ts-node runs in transpile-only mode
 * (TS_NODE_TRANSPILE_ONLY) to keep each call to a few seconds; tsc checks types.
 */
export function runCli(database: CliDatabase, args: string[], dataSourceFile = 'ormconfig.ts'): Promise<CliResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...typeormChildProcess.nodeArgs, CLI, ...args, '-d', dataSourceFile],
      {
        cwd: ROOT,
        env: { ...process.env, ...typeormChildProcess.env, DATABASE_URL: database.url, MIGRATIONS_DIR: database.migrationsDir, TS_NODE_TRANSPILE_ONLY: 'true' },
        timeout: 90_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}`, seconds: (Date.now() - started) / 1000 });
      },
    );
  });
}

/** A fresh database of `backend` for the CLI. */
export async function cliDatabase(backend: Exclude<BackendName, 'libsql-memory'>): Promise<CliDatabase> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), `tv-cli-${backend}-`));
  const migrationsDir = path.join(folder, 'migrations');
  fs.mkdirSync(migrationsDir);
  const cleanFolder = () => fs.rmSync(folder, { recursive: true, force: true });
  switch (backend) {
    case 'sqlite': {
      const file = path.join(folder, 'cli.sqlite');
      return {
        url: file,
        migrationsDir,
        async schema(table) {
          const db = new Database(file, { readonly: true, fileMustExist: true });
          try {
            const columns = Object.fromEntries(
              (db.prepare('SELECT name, type FROM pragma_table_info(?)').all(table) as Array<{ name: string; type: string }>).map((c) => [c.name, c.type]),
            );
            const master = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL").all() as Array<Record<string, string>>;
            const indexes = Object.fromEntries(
              master.filter((m) => (m.type === 'index' || m.type === 'trigger') && m.tbl_name === table || (m.type === 'table' && /VIRTUAL TABLE/i.test(m.sql!))).map((m) => [m.name!, m.sql!]),
            );
            return { columns, indexes, tables: master.filter((m) => m.type === 'table').map((m) => m.name!) };
          } finally {
            db.close();
          }
        },
        async drop() {
          cleanFolder();
        },
      };
    }
    case 'postgres': {
      const adminUrl = requiredUrl('TEST_POSTGRES_URL');
      const name = `tv_cli_${randomBytes(5).toString('hex')}`;
      await pgQuery(adminUrl, `CREATE DATABASE ${name}`);
      const url = withDatabase(adminUrl, name);
      return {
        url,
        migrationsDir,
        async schema(table) {
          const columns = Object.fromEntries(
            (await pgQuery(url, `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`, [table])).map((c) => [c.name, c.type]),
          );
          const indexes = Object.fromEntries(
            (await pgQuery(url, `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1`, [table])).map((i) => [i.indexname, i.indexdef]),
          );
          const tables = (await pgQuery(url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map((t) => String(t.tablename));
          return { columns, indexes, tables };
        },
        async drop() {
          await pgQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
          cleanFolder();
        },
      };
    }
    case 'libsql': {
      const file = path.join(folder, 'cli.db');
      return {
        url: `file:${file}`,
        migrationsDir,
        async schema(table) {
          const client = createClient({ url: `file:${file}` });
          try {
            const columns = Object.fromEntries(
              (await client.execute({ sql: 'SELECT name, type FROM pragma_table_info(?)', args: [table] })).rows.map((c) => [String(c.name), String(c.type)]),
            );
            const master = (await client.execute("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL")).rows;
            const indexes = Object.fromEntries(master.filter((m) => m.type === 'index' && m.tbl_name === table).map((m) => [String(m.name), String(m.sql)]));
            return { columns, indexes, tables: master.filter((m) => m.type === 'table').map((m) => String(m.name)) };
          } finally {
            client.close();
          }
        },
        async drop() {
          cleanFolder();
        },
      };
    }
    case 'mariadb': {
      const adminUrl = requiredUrl('TEST_MARIADB_URL');
      const name = `tv_cli_${randomBytes(5).toString('hex')}`;
      await mysqlQuery(adminUrl, `CREATE DATABASE ${name}`);
      const url = withDatabase(adminUrl, name);
      return {
        url,
        migrationsDir,
        async schema(table) {
          const columns = Object.fromEntries(
            (await mysqlQuery(url, 'SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [table])).map((c) => [c.name, c.type]),
          );
          const tables = (await mysqlQuery(url, 'SELECT TABLE_NAME AS name FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = DATABASE()')).map((t) => String(t.name));
          const indexes = tables.includes(table)
            ? mariadbIndexLines(String((await mysqlQuery(url, `SHOW CREATE TABLE \`${table}\``))[0]!['Create Table']))
            : {};
          return { columns, indexes, tables };
        },
        async drop() {
          await mysqlQuery(adminUrl, `DROP DATABASE IF EXISTS ${name}`);
          cleanFolder();
        },
      };
    }
    case 'pglite': {
      // A copy of the template database (initdb done), so that the first CLI step does not run initdb.
      const dataDir = path.join(folder, 'db');
      fs.cpSync(await templateFolder(), dataDir, { recursive: true });
      return {
        url: `pglite:${dataDir}`,
        migrationsDir,
        async schema(table) {
          // Read between CLI steps: a PGlite folder is open in one process at a time.
          const db = newPglite(dataDir) as PgliteInstance & { query(sql: string, parameters?: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }> };
          try {
            const rows = async (sql: string, parameters: unknown[] = []) => (await db.query(sql, parameters)).rows;
            const columns = Object.fromEntries(
              (await rows(`SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`, [table])).map((c) => [c.name, c.type]),
            );
            const indexes = Object.fromEntries(
              (await rows(`SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1`, [table])).map((i) => [i.indexname, i.indexdef]),
            );
            const tables = (await rows(`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`)).map((t) => String(t.tablename));
            return { columns, indexes, tables };
          } finally {
            await db.close();
          }
        },
        async drop() {
          cleanFolder();
        },
      };
    }
    default:
      throw new Error(`No CLI database set up for backend '${backend}'; add it to test/support/cli.ts.`);
  }
}

async function pgQuery(url: string, sql: string, parameters: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  return withPgClient(url, async (client) => (await client.query(sql, parameters)).rows);
}

async function mysqlQuery(url: string, sql: string, parameters: unknown[] = []): Promise<Array<Record<string, unknown>>> {
  return withMysqlConnection(url, async (connection) => (await connection.query(sql, parameters))[0] as Array<Record<string, unknown>>);
}
