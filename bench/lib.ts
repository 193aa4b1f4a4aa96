import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(__dirname, '../..');
export const resultsDir = path.join(root, 'bench', 'results');

export interface BenchResult {
  name: string;
  /** What was measured, on which machine, when. */
  at: string;
  node: string;
  cpus: number;
  metrics: Record<string, number>;
  /** Each target with the measured value and whether it was met. */
  targets: { name: string; value: number; limit: string; met: boolean }[];
}

export function writeResult(result: Omit<BenchResult, 'at' | 'node' | 'cpus'>): BenchResult {
  const full: BenchResult = { ...result, at: new Date().toISOString(), node: process.version, cpus: os.cpus().length };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${result.name}.json`), JSON.stringify(full, null, 2) + '\n');
  return full;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function freePort(): number {
  return 30000 + Math.floor(Math.random() * 20000);
}

export async function waitFor(url: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

export interface RunningService {
  child: ChildProcess;
  url: string;
  dataDir: string;
  rssBytes(): number;
  stop(): Promise<void>;
}

/** Starts the built service in sandbox mode in its own process, as `npm start` does. */
export function startService(env: Record<string, string> = {}): { service: RunningService; startedAt: bigint } {
  const port = freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-bench-'));
  const startedAt = process.hrtime.bigint();
  const child = spawn(process.execPath, [path.join(root, 'dist/bin/een-bridge.js'), 'serve'], {
    env: { PATH: process.env.PATH ?? '', EEN_PORT: String(port), EEN_HOST: '127.0.0.1', EEN_DATA_DIR: dataDir, EEN_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const service: RunningService = {
    child,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    rssBytes: () => rssOf(child.pid),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  return { service, startedAt };
}

export function rssOf(pid: number | undefined): number {
  if (!pid) return NaN;
  // /proc/<pid>/statm: size resident ... in pages.
  return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
}
