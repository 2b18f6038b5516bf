/** Short-lived admin connections to the test servers, shared by the test backends and the benchmarks. */
import { randomBytes } from 'node:crypto';
import { createConnection, type Connection } from 'mysql2/promise';
import { Client } from 'pg';

/** `url` with its database (path) replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `work` on a new pg client for `url`, and always closes it. */
export async function withPgClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Runs `work` on a new mysql2 connection for `url`, and always closes it. */
export async function withMysqlConnection<T>(url: string, work: (connection: Connection) => Promise<T>): Promise<T> {
  const connection = await createConnection(url);
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

/**
 * Creates a database named `<prefix>_<random hex>` on the PostgreSQL server of `adminUrl` (with
 * pgvector's extension), runs `work` with its URL, and always drops it: nothing else on the server
 * is touched, so the benchmarks can run on a server other runs use.
 *
 * @example
 * await withNewPgDatabase(adminUrl, 'tv_bench', async (url) => { ... }); // tv_bench_3f9a1c0b2d4e, dropped after
 */
export async function withNewPgDatabase<T>(adminUrl: string, prefix: string, work: (url: string) => Promise<T>): Promise<T> {
  const database = newDatabaseName(prefix);
  await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${database}`));
  try {
    const url = withDatabase(adminUrl, database);
    await withPgClient(url, (client) => client.query('CREATE EXTENSION IF NOT EXISTS vector'));
    return await work(url);
  } finally {
    await withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
  }
}

/**
 * Creates a database named `<prefix>_<random hex>` on the MariaDB/MySQL server of `adminUrl`, runs
 * `work` with its URL, and always drops it.
 *
 * @example
 * await withNewMysqlDatabase(adminUrl, 'tv_recall', async (url) => { ... });
 */
export async function withNewMysqlDatabase<T>(adminUrl: string, prefix: string, work: (url: string) => Promise<T>): Promise<T> {
  const database = newDatabaseName(prefix);
  await withMysqlConnection(adminUrl, (connection) => connection.query(`CREATE DATABASE ${database}`));
  try {
    return await work(withDatabase(adminUrl, database));
  } finally {
    await withMysqlConnection(adminUrl, (connection) => connection.query(`DROP DATABASE IF EXISTS ${database}`));
  }
}

function newDatabaseName(prefix: string): string {
  if (!/^[a-z_][a-z0-9_]{0,40}$/.test(prefix)) throw new Error(`Database name prefix "${prefix}" must be lower-case letters, digits and _; pick another.`);
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}
