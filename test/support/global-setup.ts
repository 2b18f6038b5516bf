import { startServers, type StartedServers } from './servers';

declare global {
  // eslint-disable-next-line no-var
  var __typeormVectorServers: StartedServers | undefined;
}

/** Jest global setup: starts (or finds) the database servers and hands their URLs to the workers. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const servers = await startServers();
  Object.assign(process.env, servers.urls);
  globalThis.__typeormVectorServers = servers;
  console.log(`\n[typeorm-vector] test servers from ${servers.source} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
