/** Fresh databases for the sample app's tests, addressed by a DATABASE_URL as a user would. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { requiredUrl } from './backends';
import { withDatabase, withPgClient } from './db-clients';

export interface SampleDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new empty SQLite file, or a new PostgreSQL database (no extension: the app must create what it needs). */
export async function sampleDatabase(kind: 'sqlite' | 'postgres'): Promise<SampleDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tv-sample-'));
    return { url: path.join(dir, 'app.sqlite'), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = requiredUrl('TEST_POSTGRES_URL');
  const name = `tv_sample_${randomBytes(5).toString('hex')}`;
  await withPgClient(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  return {
    url: withDatabase(adminUrl, name),
    drop: () => withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
