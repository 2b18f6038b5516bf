/**
 * Finds the database servers the tests need, in this order: URLs from environment variables
 * (TEST_POSTGRES_URL, TEST_MARIADB_URL); testcontainers, where a container runtime answers;
 * otherwise scripts/provision-test-db.sh (Debian, root), which starts PostgreSQL 17 + pgvector and
 * MariaDB 11.8 from a cached trixie root folder. A server that cannot be had fails the run, with
 * what was tried.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

export interface ServerUrls {
  TEST_POSTGRES_URL: string;
  TEST_MARIADB_URL: string;
}

export interface StartedServers {
  urls: ServerUrls;
  /** How the servers were found, for the log. */
  source: string;
  stop(): Promise<void>;
}

const NAMES = ['TEST_POSTGRES_URL', 'TEST_MARIADB_URL'] as const;

export async function startServers(): Promise<StartedServers> {
  const tried: string[] = [];
  const fromEnv = NAMES.every((name) => process.env[name]);
  if (fromEnv) {
    return { urls: pickUrls(process.env), source: 'environment variables', stop: async () => {} };
  }
  tried.push(`environment variables (${NAMES.filter((n) => !process.env[n]).join(', ')} not set)`);

  const containers = await tryTestcontainers();
  if ('servers' in containers) return containers.servers;
  tried.push(`testcontainers (${containers.reason})`);

  const script = path.resolve(__dirname, '../../scripts/provision-test-db.sh');
  const result = spawnSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * 60_000 });
  if (result.status === 0) {
    const urls = pickUrls(parseEnvLines(result.stdout));
    return {
      urls,
      source: 'scripts/provision-test-db.sh',
      stop: async () => {
        spawnSync('bash', [script, 'stop'], { stdio: 'inherit' });
      },
    };
  }
  tried.push(`scripts/provision-test-db.sh (exit ${result.status ?? result.signal}${result.error ? `: ${result.error.message}` : ''})`);
  throw new Error(
    `No PostgreSQL/MariaDB test servers could be started; tried ${tried.join('; ')}. Set TEST_POSTGRES_URL and TEST_MARIADB_URL, or run the tests as root on Debian so the provisioning script can start them.`,
  );
}

async function tryTestcontainers(): Promise<{ servers: StartedServers } | { reason: string }> {
  const tc = await import('testcontainers');
  try {
    await tc.getContainerRuntimeClient();
  } catch (error) {
    return { reason: (error as Error).message };
  }
  const postgres = await new tc.GenericContainer('pgvector/pgvector:pg17')
    .withEnvironment({ POSTGRES_PASSWORD: 'postgres', POSTGRES_DB: 'typeorm_vector_test' })
    .withExposedPorts(5432)
    .withWaitStrategy(tc.Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const mariadb = await new tc.GenericContainer('mariadb:11.8')
    .withEnvironment({ MARIADB_ROOT_PASSWORD: 'vector', MARIADB_DATABASE: 'typeorm_vector_test', MARIADB_USER: 'vector', MARIADB_PASSWORD: 'vector' })
    .withExposedPorts(3306)
    .withWaitStrategy(tc.Wait.forLogMessage(/ready for connections/, 2))
    .start();
  return {
    servers: {
      urls: {
        TEST_POSTGRES_URL: `postgres://postgres:postgres@${postgres.getHost()}:${postgres.getMappedPort(5432)}/typeorm_vector_test`,
        TEST_MARIADB_URL: `mysql://root:vector@${mariadb.getHost()}:${mariadb.getMappedPort(3306)}/typeorm_vector_test`,
      },
      source: 'testcontainers',
      stop: async () => {
        await Promise.all([postgres.stop(), mariadb.stop()]);
      },
    },
  };
}

function parseEnvLines(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}

function pickUrls(source: Record<string, string | undefined>): ServerUrls {
  const missing = NAMES.filter((name) => !source[name]);
  if (missing.length) throw new Error(`Test server URLs missing: ${missing.join(', ')}.`);
  return { TEST_POSTGRES_URL: source.TEST_POSTGRES_URL!, TEST_MARIADB_URL: source.TEST_MARIADB_URL! };
}
