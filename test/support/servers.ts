/**
 * Finds the database servers a run needs, and only those (Jest's global setup asks for the servers
 * of the backends TEST_BACKENDS selects: test/support/backend-names.ts), in this order for each:
 * a URL from an environment variable (TEST_POSTGRES_URL, TEST_MARIADB_URL, TEST_POSTGRES_REPLICA_URL);
 * testcontainers, where a container runtime answers (not for the standby); otherwise
 * scripts/provision-test-db.sh (Debian, root), which starts PostgreSQL 17 + pgvector, MariaDB 11.8
 * and a streaming standby of the PostgreSQL (of TEST_POSTGRES_URL's server when only the standby
 * is missing) from a cached trixie root folder on free loopback ports of this run's own. A server that cannot be had fails the run, with what was tried. `stop()` stops
 * what this call started and nothing else, so two runs on one machine never touch each other.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { StartedTestContainer } from 'testcontainers';
import type { ServerName } from './backend-names';

/** The environment variable each server's URL goes under (the tests read it with requiredUrl). */
export const URL_VARIABLES = {
  postgres: 'TEST_POSTGRES_URL',
  mariadb: 'TEST_MARIADB_URL',
  'postgres-replica': 'TEST_POSTGRES_REPLICA_URL',
} as const satisfies Record<ServerName, string>;

type UrlVariable = (typeof URL_VARIABLES)[ServerName];

/** The URLs of the servers `S` (by default the two every backend run may have), under their variable names. */
export type ServerUrls<S extends ServerName = Exclude<ServerName, 'postgres-replica'>> = { [K in S as (typeof URL_VARIABLES)[K]]: string };

export interface StartedServers<S extends ServerName = ServerName> {
  urls: ServerUrls<S>;
  /** How the servers were found, for the log. */
  source: string;
  /** Stops the servers this call started (none when their URLs came from the environment); a second call waits for the first. */
  stop(): Promise<void>;
}

/** What one way of getting servers gave: URLs for every server asked, and how to stop them. */
interface Found {
  urls: Partial<Record<UrlVariable, string>>;
  source: string;
  stop(): Promise<void>;
}

const LABELS: Record<ServerName, string> = { postgres: 'PostgreSQL', mariadb: 'MariaDB', 'postgres-replica': 'PostgreSQL standby' };
const SCRIPT = path.resolve(__dirname, '../../scripts/provision-test-db.sh');

/**
 * Starts (or finds) the servers `needed`; none when the list is empty.
 *
 * @example
 * const servers = await startServers(['postgres']);
 * try { use(servers.urls.TEST_POSTGRES_URL); } finally { await servers.stop(); }
 */
export async function startServers<S extends ServerName>(needed: readonly S[]): Promise<StartedServers<S>> {
  const wanted = [...new Set(needed)];
  const found: Found[] = [];
  const fromEnv = wanted.filter((server) => process.env[URL_VARIABLES[server]]);
  if (fromEnv.includes('postgres-replica' as S) && !fromEnv.includes('postgres' as S)) {
    throw new Error('TEST_POSTGRES_REPLICA_URL is set but TEST_POSTGRES_URL is not; set both (the replica must stream from that primary) or neither.');
  }
  if (fromEnv.length) {
    const urls = Object.fromEntries(fromEnv.map((server) => [URL_VARIABLES[server], process.env[URL_VARIABLES[server]]!]));
    found.push({ urls, source: `environment variables (${fromEnv.map((s) => URL_VARIABLES[s]).join(', ')})`, stop: async () => {} });
  }
  const missing: ServerName[] = wanted.filter((server) => !fromEnv.includes(server));
  if (missing.length) {
    const tried = [`environment variables (${missing.map((s) => URL_VARIABLES[s]).join(', ')} not set)`];
    const started = (await tryTestcontainers(missing, tried)) ?? tryProvisionScript(missing, tried);
    if (!started) {
      const variables = missing.map((s) => URL_VARIABLES[s]).join(' and ');
      throw new Error(
        `No ${missing.map((s) => LABELS[s]).join(' or ')} test server could be started; tried ${tried.join('; ')}. Set ${variables}, run the tests as root on Debian so the provisioning script can start them, or narrow TEST_BACKENDS to backends that need no server (sqlite, libsql).`,
      );
    }
    found.push(started);
  }
  // Once only: global teardown and a signal handler (test/support/global-setup.ts) may both ask.
  let stopping: Promise<void> | undefined;
  return {
    urls: Object.assign({}, ...found.map((f) => f.urls)) as ServerUrls<S>,
    source: found.map((f) => f.source).join(' and ') || 'nowhere (no server needed)',
    stop: () => (stopping ??= Promise.all(found.map((f) => f.stop())).then(() => undefined)),
  };
}

/**
 * Starts the servers in containers when a container runtime answers. If one fails to start, the
 * ones that did are stopped again, and the script gets its turn (the failure is logged and kept
 * for the final message).
 */
async function tryTestcontainers(servers: ServerName[], tried: string[]): Promise<Found | undefined> {
  if (servers.includes('postgres-replica')) {
    tried.push('testcontainers (no container definition for a streaming standby; the provisioning script starts one)');
    return undefined;
  }
  const tc = await import('testcontainers');
  try {
    await tc.getContainerRuntimeClient();
  } catch (error) {
    tried.push(`testcontainers (${(error as Error).message})`);
    return undefined;
  }
  const definitions: Record<Exclude<ServerName, 'postgres-replica'>, () => Promise<[UrlVariable, string, StartedTestContainer]>> = {
    postgres: async () => {
      const container = await new tc.GenericContainer('pgvector/pgvector:pg17')
        .withEnvironment({ POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'typeorm_vector_test' })
        .withExposedPorts(5432)
        .withWaitStrategy(tc.Wait.forLogMessage(/database system is ready to accept connections/, 2))
        .start();
      return ['TEST_POSTGRES_URL', `postgres://postgres:postgres@${container.getHost()}:${container.getMappedPort(5432)}/typeorm_vector_test`, container];
    },
    mariadb: async () => {
      const container = await new tc.GenericContainer('mariadb:11.8')
        .withEnvironment({ MARIADB_ROOT_PASSWORD: 'vector', MARIADB_DATABASE: 'typeorm_vector_test', MARIADB_USER: 'vector', MARIADB_PASSWORD: 'vector' })
        .withExposedPorts(3306)
        .withWaitStrategy(tc.Wait.forLogMessage(/ready for connections/, 2))
        .start();
      return ['TEST_MARIADB_URL', `mysql://root:vector@${container.getHost()}:${container.getMappedPort(3306)}/typeorm_vector_test`, container];
    },
  };
  const results = await Promise.allSettled(servers.map((server) => definitions[server as Exclude<ServerName, 'postgres-replica'>]()));
  const containers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value[2]] : []));
  const stop = async () => {
    await Promise.all(containers.map((c) => c.stop()));
  };
  const failures = results.flatMap((r, i) => (r.status === 'rejected' ? [`${LABELS[servers[i]!]} did not start: ${(r.reason as Error).message}`] : []));
  if (failures.length) {
    await stop();
    const reason = `testcontainers (a container runtime answers, but ${failures.join('; ')})`;
    console.error(`[typeorm-vector] ${reason}; trying scripts/provision-test-db.sh`);
    tried.push(reason);
    return undefined;
  }
  const urls = Object.fromEntries(results.map((r) => (r as PromiseFulfilledResult<[UrlVariable, string, StartedTestContainer]>).value.slice(0, 2)));
  return { urls, source: 'testcontainers', stop };
}

/**
 * Runs scripts/provision-test-db.sh for the servers (it picks free ports, so runs side by side do
 * not collide) and remembers the run id it prints: `stop` hands that id back, so only this run's
 * servers stop. The script counts this process as the run's owner (TYPEORM_VECTOR_OWNER_PID).
 */
function tryProvisionScript(servers: ServerName[], tried: string[]): Found | undefined {
  const result = spawnSync('bash', [SCRIPT, 'start', ...servers], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 20 * 60_000,
    env: { ...process.env, TYPEORM_VECTOR_OWNER_PID: String(process.pid) },
  });
  const printed = parseEnvLines(result.stdout ?? '');
  const run = printed.TYPEORM_VECTOR_RUN;
  const stop = async () => {
    if (!run) return;
    const stopped = spawnSync('bash', [SCRIPT, 'stop', run], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 5 * 60_000 });
    if (stopped.status !== 0) throw new Error(`scripts/provision-test-db.sh stop ${run} failed (exit ${stopped.status ?? stopped.signal}); its servers may still run.`);
  };
  if (result.status !== 0) {
    tried.push(`scripts/provision-test-db.sh (exit ${result.status ?? result.signal}${result.error ? `: ${result.error.message}` : ''}; its output above)`);
    return undefined;
  }
  const absent = servers.filter((server) => !printed[URL_VARIABLES[server]]);
  if (!run || absent.length) {
    // Never expected; stop whatever it started rather than leave it running.
    void stop().catch(() => undefined);
    tried.push(`scripts/provision-test-db.sh (printed no ${[...(run ? [] : ['TYPEORM_VECTOR_RUN']), ...absent.map((s) => URL_VARIABLES[s])].join(', ')})`);
    return undefined;
  }
  const urls = Object.fromEntries(servers.map((server) => [URL_VARIABLES[server], printed[URL_VARIABLES[server]]!]));
  return { urls, source: `scripts/provision-test-db.sh (run ${run})`, stop };
}

function parseEnvLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}

/** Servers of a test's own (never the run's shared ones), which it may stop and start again. */
export interface OwnServers<S extends ServerName = ServerName> {
  urls: ServerUrls<S>;
  /** Stops one server (a fast shutdown, or SIGKILL with `crash`), keeping its data. */
  down(server: S, options?: { crash?: boolean }): void;
  /** Starts it again on the same port with the same data. */
  up(server: S): void;
  /** Stops every server of this run and deletes its data. */
  stop(): void;
}

/**
 * Starts servers for one test through scripts/provision-test-db.sh, on fresh ports and data folders
 * of their own, so that a fault test can stop and restart them without touching the servers other
 * tests (or other people's runs) use; or returns why it cannot (not root, not Debian).
 *
 * @example
 * const own = startOwnServers(['postgres']);
 * if (typeof own === 'string') return console.warn(own);
 * try { own.down('postgres'); own.up('postgres'); } finally { own.stop(); }
 */
export function startOwnServers<S extends ServerName>(servers: readonly S[]): OwnServers<S> | string {
  if (process.getuid?.() !== 0) return 'the fault tests start servers of their own with scripts/provision-test-db.sh, which needs root';
  const script = (args: string[], timeout: number) => {
    const result = spawnSync('bash', [SCRIPT, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout,
      env: { ...process.env, TYPEORM_VECTOR_OWNER_PID: String(process.pid) },
    });
    if (result.status !== 0) throw new Error(`scripts/provision-test-db.sh ${args.join(' ')} failed (exit ${result.status ?? result.signal}): ${result.stderr}`);
    return result.stdout;
  };
  const printed = parseEnvLines(script(['start', ...servers], 20 * 60_000));
  const run = printed.TYPEORM_VECTOR_RUN;
  if (!run) throw new Error('scripts/provision-test-db.sh start printed no TYPEORM_VECTOR_RUN.');
  const urls = Object.fromEntries(servers.map((server) => [URL_VARIABLES[server], printed[URL_VARIABLES[server]]!])) as ServerUrls<S>;
  return {
    urls,
    down: (server, { crash = false } = {}) => void script(['down', run, server, ...(crash ? ['crash'] : [])], 60_000),
    up: (server) => void script(['up', run, server], 120_000),
    stop: () => void script(['stop', run], 5 * 60_000),
  };
}
