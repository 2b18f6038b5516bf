/**
 * The headless browser of the page test (test/sample-app-web.test.ts), provided the way the database
 * servers are: scripts/provide-chromium.sh prints CHROMIUM_PATH, or Debian's /usr/bin/chromium,
 * installing the `chromium` package with apt-get first when it is missing (Debian, as root; once).
 * No browser means a failed run with the script's reason, never a skipped test.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/provide-chromium.sh');

let found: string | undefined;

/** The path of a Chromium binary for playwright-core's `executablePath`; throws saying why there is none. */
export function chromiumPath(): string {
  if (found) return found;
  const result = spawnSync('bash', [SCRIPT], { encoding: 'utf8', timeout: 20 * 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const printed = result.stdout?.trim().split('\n').pop();
  if (result.status !== 0 || !printed) {
    throw new Error(
      `No Chromium for the sample app's page test: ${SCRIPT} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr?.trim().split('\n').slice(-3).join(' ').replace(/\.$/, '')}. Install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return (found = printed);
}
