/** Jest global teardown: stops the servers global setup started, and only those (none when they came from the environment). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__typeormVectorServers?.stop();
}
