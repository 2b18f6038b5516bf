import * as os from 'node:os';
import * as path from 'node:path';
import { backendFilter, REPLICA_TESTS, serversNeeded } from './backend-names';
import { startServers, type StartedServers } from './servers';

declare global {
  // eslint-disable-next-line no-var
  var __typeormVectorServers: StartedServers | undefined;
}

/**
 * Jest global setup: starts (or finds) the database servers of the backends this run tests
 * (TEST_BACKENDS; all of them when unset), and only those, and hands their URLs to the workers.
 * `TEST_BACKENDS=sqlite` starts none. The PostgreSQL standby starts only when the run may include
 * a test that needs it (a run without path patterns, or one whose patterns match REPLICA_TESTS).
 */
export default async function globalSetup(globalConfig?: GlobalConfigPart): Promise<void> {
  const needed = serversNeeded(process.env, { replica: runIncludesReplicaTests(globalConfig) });
  const selection = backendFilter() ? `TEST_BACKENDS=${process.env.TEST_BACKENDS}` : 'every backend';
  if (!needed.length) {
    console.log(`\n[typeorm-vector] ${selection} needs no database server; none started`);
    return;
  }
  const started = Date.now();
  const servers = await startServers(needed);
  Object.assign(process.env, servers.urls);
  globalThis.__typeormVectorServers = servers;
  // Ctrl-C or a kill skips Jest's global teardown: stop this run's servers anyway, so that they do
  // not outlive it (a later run never stops servers it did not start, so nothing else would).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n[typeorm-vector] ${signal}: stopping the test servers of this run`);
      void servers.stop().finally(() => process.exit(128 + os.constants.signals[signal]));
    });
  }
  console.log(`\n[typeorm-vector] ${selection}: ${needed.join(', ')} from ${servers.source} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The part of Jest's global config read here (`testPathPatterns` is a TestPathPatterns in Jest 30). */
interface GlobalConfigPart {
  rootDir?: string;
  testPathPatterns?: { isSet(): boolean; toExecutor(options: { rootDir: string }): { isMatch(path: string): boolean } };
}

/** Whether the run may include a test of REPLICA_TESTS: no path patterns, or patterns matching one. */
function runIncludesReplicaTests(globalConfig: GlobalConfigPart | undefined): boolean {
  const patterns = globalConfig?.testPathPatterns;
  const rootDir = globalConfig?.rootDir ?? path.resolve(__dirname, '../..');
  if (typeof patterns?.isSet !== 'function' || !patterns.isSet()) return true;
  const executor = patterns.toExecutor({ rootDir });
  return REPLICA_TESTS.some((file) => executor.isMatch(path.join(rootDir, file)));
}
