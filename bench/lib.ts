import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const root = path.resolve(__dirname, '../..');
export const resultsDir = path.join(root, 'bench', 'results');

/**
 * One figure of the summary table: what een-bridge measured, against what baseline measured in
 * the same run (ratio = value / baseline), and the target it is held to.
 */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  baseline?: { name: string; value: number };
  ratio?: number;
  /** The target as people read it, e.g. "≥ 0.60 × restify" or "< 10 ms". */
  target?: string;
  met?: boolean;
}

export interface BenchResult {
  name: string;
  /** What was measured, on which machine, when. */
  at: string;
  node: string;
  cpus: number;
  /** The main commit measured, when run from a git checkout. */
  commit?: string;
  /** How to read the figures: what was run, and what was interpreted how. */
  notes?: string[];
  /** Tables of their own, such as where a missed target's time went (docs/performance.md shows them after the notes). */
  tables?: { title: string; header: string[]; rows: string[][] }[];
  figures?: Figure[];
  metrics: Record<string, number>;
  /** Each target with the measured value and whether it was met. */
  targets: { name: string; value: number; limit: string; met: boolean }[];
}

/** A figure against a baseline; the ratio is worked out here so every table computes it alike. */
export function figure(name: string, value: number, unit: string, more: Omit<Figure, 'name' | 'value' | 'unit' | 'ratio'> = {}): Figure {
  const ratio = more.baseline && more.baseline.value !== 0 ? round(value / more.baseline.value) : undefined;
  return { name, value, unit, ...more, ...(ratio !== undefined ? { ratio } : {}) };
}

/** The targets of a list of figures, for results that state them both ways. */
export function targetsOf(figures: Figure[]): BenchResult['targets'] {
  return figures
    .filter((f) => f.target !== undefined && f.met !== undefined)
    .map((f) => ({ name: f.name, value: f.value, limit: f.target!, met: f.met! }));
}

function gitCommit(): string | undefined {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export function writeResult(result: Omit<BenchResult, 'at' | 'node' | 'cpus'>): BenchResult {
  const commit = gitCommit();
  const full: BenchResult = { ...result, at: new Date().toISOString(), node: process.version, cpus: os.cpus().length, ...(commit ? { commit } : {}) };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(path.join(resultsDir, `${result.name}.json`), JSON.stringify(full, null, 2) + '\n');
  return full;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * A random port below Linux's ephemeral range (32768-60999): under load the machine's outgoing
 * loopback connections hold ports in that range, and a server picked there failed with
 * EADDRINUSE mid-run.
 */
export function freePort(): number {
  return 20000 + Math.floor(Math.random() * 12000);
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
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

export function newDataDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'een-bench-'));
}

/** Starts the built service in sandbox mode in its own process, as `npm start` does. */
export function startService(env: Record<string, string> = {}, dataDir = newDataDir(), cpuProfileDir = process.env.BENCH_CPU_PROF): { service: RunningService; startedAt: bigint } {
  const port = freePort();
  const startedAt = process.hrtime.bigint();
  // A V8 CPU profile of each of the service's threads, written to cpuProfileDir when it stops
  // (bench/cpu-profile.ts reads them; Chrome DevTools opens them). BENCH_CPU_PROF=<dir> asks for
  // them from every service a benchmark starts, to find where a missed target's time goes.
  const profile = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfileDir)}`] : [];
  const child = spawn(process.execPath, [...profile, path.join(root, 'dist/bin/een-bridge.js'), 'serve'], {
    env: { PATH: process.env.PATH ?? '', EEN_PORT: String(port), EEN_HOST: '127.0.0.1', EEN_DATA_DIR: dataDir, EEN_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const service: RunningService = {
    child,
    url: `http://127.0.0.1:${port}`,
    dataDir,
    rssBytes: () => rssOf(child.pid),
    stop: (graceMs = 60_000) =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        // A graceful stop finishes the outbox round in flight; a round stuck behind a slow
        // query must not hold the whole benchmark run past its time budget.
        const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(kill);
          resolve();
        });
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

/**
 * CPU time (user + system) a process and its main thread have used so far, in ms, from
 * /proc/<pid>/stat and /proc/<pid>/task/<pid>/stat (fields 14 and 15, in clock ticks of 10 ms:
 * proc(5)). Time spent waiting for a CPU is not in it, so per request it is steadier than a
 * rate on a machine shared with other work.
 */
export function cpuMsOf(pid: number | undefined): { process: number; mainThread: number } {
  if (!pid) return { process: NaN, mainThread: NaN };
  const ticks = (file: string) => {
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  return { process: ticks(`/proc/${pid}/stat`), mainThread: ticks(`/proc/${pid}/task/${pid}/stat`) };
}

/**
 * CPU time (user + system) the PostgreSQL server's processes on this machine have used, ms: every
 * process named `postgres` (the postmaster and its backends; proc(5) /proc/<pid>/comm). Backends
 * that exit between two readings take their time with them, so take both readings while the
 * service's connections are open. NaN where /proc cannot be read.
 */
export function postgresCpuMs(): number {
  let total = 0;
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        total += (Number(fields[11]) + Number(fields[12])) * 10;
      } catch {
        // The process ended while it was read.
      }
    }
  } catch {
    return NaN;
  }
  return total;
}

/** A child process's stdout as one JSON value, once it exits 0. */
export function runJson<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'dist/bench', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`${script} exited with ${code}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  });
}

/** Samples a process's RSS every `everyMs` until stopped; answers the largest sample in bytes. */
export function sampleRss(pid: number | undefined, everyMs = 100): { stop(): number } {
  let max = 0;
  const sample = () => {
    try {
      max = Math.max(max, rssOf(pid));
    } catch {
      // The process exited between samples; the samples so far stand.
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      return max;
    },
  };
}

export const MB = 2 ** 20;

export function round(x: number, digits = 2): number {
  return Number(x.toFixed(digits));
}
