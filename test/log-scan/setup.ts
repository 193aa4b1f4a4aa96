import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Makes the directory the suite's log lines are copied to; the workers inherit the variable. */
export default function setup(): void {
  process.env.EEN_TEST_LOG_DIR = mkdtempSync(path.join(os.tmpdir(), 'een-bridge-test-logs-'));
}
