import { appendFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every log line the suite's services write is also appended to a file in EEN_TEST_LOG_DIR
 * (made by the suite's globalSetup), with the secrets the tests configured beside it, so the
 * globalTeardown can check that no secret ever reached a log line (test/log-scan).
 */
const dir = (): string | undefined => process.env.EEN_TEST_LOG_DIR;

/** Configuration names whose values are secrets: tokens, passwords, signing secrets, keys. */
export const secretSetting = /(SECRET|TOKEN|PASSWORD|_KEY)$/;

export function captureLog(text: string): void {
  const d = dir();
  if (!d) return;
  try {
    appendFileSync(path.join(d, `log-${process.pid}.jsonl`), text);
  } catch (err) {
    // A service a test left closing may log after the run's teardown removed the directory
    // (seen with a single test file): that line comes after the scan and is not a failure.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/** Remembers the secret values of an environment a service is started with. */
export function captureSecrets(env: Readonly<Record<string, string | undefined>>): void {
  const d = dir();
  if (!d) return;
  const values = Object.entries(env)
    .filter(([name, value]) => secretSetting.test(name) && value !== undefined && value.trim() !== '')
    .map(([name, value]) => `${JSON.stringify({ name, value })}\n`);
  if (values.length > 0) appendFileSync(path.join(d, `secrets-${process.pid}.jsonl`), values.join(''));
}
