import type { QueryRunner } from 'typeorm';
import type { VectorDialect } from '../dialects';
import { runnerConnection } from '../typeorm-internals';

/**
 * How long a connection's session values of the search settings, as last read, are trusted (1 s):
 * a change no statement through TypeORM shows (`ALTER SYSTEM` and a reload, a `SET` inside a
 * function, a raw `pg` query on a pooled client) is seen within it.
 */
export const SESSION_SETTINGS_TRUST_MS = 1000;

interface Learned {
  readonly values: ReadonlyMap<string, string>;
  readonly readAt: number;
}

const learnedByConnection = new WeakMap<object, Learned>();

/**
 * Whether the session of `runner`'s connection already holds every one of `settings` (database
 * setting name -> value), so that a search needs no transaction of its own to set them: the
 * server's defaults are what searches ask for most (pgvector's `hnsw.ef_search` 40 for a top 10,
 * iterative scans off without a filter). Only settings the dialect lists in
 * `transactionSettings.session` are compared; their session values are read once per connection
 * (one query), again after `SESSION_SETTINGS_TRUST_MS`, and at once after a statement that may
 * change them (`forgetSessionSettingsAfter`). An empty `settings` holds everywhere.
 *
 * @example
 * await sessionAlreadyHas(runner, postgresDialect, { 'hnsw.ef_search': '40' }); // true on a server at pgvector's defaults
 */
export async function sessionAlreadyHas(runner: QueryRunner, dialect: VectorDialect, settings: Readonly<Record<string, string>>): Promise<boolean> {
  const names = Object.keys(settings);
  if (!names.length) return true;
  const statements = dialect.sql.transactionSettings;
  const session = statements?.session;
  if (!statements || !session || !names.every((name) => session.includes(name))) return false;
  await runner.connect();
  const connection = runnerConnection(runner);
  if (connection === undefined) return false;
  let learned = learnedByConnection.get(connection);
  if (!learned || Date.now() - learned.readAt >= SESSION_SETTINGS_TRUST_MS) {
    const { sql, parameters } = statements.read(session);
    const [row] = (await runner.query(sql, [...parameters])) as Array<Record<string, string | null>>;
    const values = new Map<string, string>();
    session.forEach((name, i) => {
      const value = row?.[`s${i}`];
      if (typeof value === 'string') values.set(name, value);
    });
    learned = { values, readAt: Date.now() };
    // A setting the session does not know yet (pgvector's, before the extension's library is loaded there) is read again next time.
    if (values.size === session.length) learnedByConnection.set(connection, learned);
    else learnedByConnection.delete(connection);
  }
  const known = learned.values;
  return names.every((name) => known.get(name) === settings[name]);
}

/** A statement that may change session settings: SET, RESET, DISCARD (not SET LOCAL or SET TRANSACTION), or a set_config not marked local. */
const SESSION_CHANGE = /^\s*(?:(?:SET|RESET)\s+(?!LOCAL\b|TRANSACTION\b)|DISCARD\b)/i;
const SET_CONFIG = /\bset_config\s*\(([^()]*)\)/gi;

/**
 * Forgets what `sessionAlreadyHas` read of the session of `runner`'s connection when `sql` may have
 * changed it: called by VectorDataSource after every query it runs.
 *
 * @example
 * forgetSessionSettingsAfter('SET hnsw.ef_search = 200', runner); // the next search on that connection reads again
 */
export function forgetSessionSettingsAfter(sql: string, runner: QueryRunner): void {
  const connection = runnerConnection(runner);
  if (connection === undefined || !learnedByConnection.has(connection)) return;
  const setConfigs = [...sql.matchAll(SET_CONFIG)];
  const sessionSetConfig = setConfigs.some((call) => !/,\s*true\s*$/i.test(call[1]!));
  if (SESSION_CHANGE.test(sql) || sessionSetConfig) learnedByConnection.delete(connection);
}
