/**
 * The ingest load generator: wrk (C, Debian package `wrk`) with bench/wrk-jira.lua, firing
 * distinct Jira webhooks that were signed and serialised before the clock started. A generator
 * that signs in JavaScript while it measures (autocannon's setupRequest) saturated at ~9,000
 * req/s on this machine and made every baseline a measure of itself (issue 17); wrk drives
 * bare node:http several times faster, and the ingest benchmark checks that headroom each run.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { signJiraBody } from '../core';
import { jiraIssueBody } from './jira-webhook';
import { root } from './lib';

const script = path.join(root, 'bench', 'wrk-jira.lua');
const openLoopScript = path.join(root, 'bench', 'wrk-open-loop.lua');

/** The wrk binary, or a clear error saying how to get it. */
export function wrkBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'wrk');
    if (fs.existsSync(candidate)) return candidate;
  }
  throw new Error('the ingest benchmark needs wrk (a C load generator): apt-get install wrk');
}

/**
 * Writes `count` distinct signed webhooks, one per line: identifier, signature, body. Distinct
 * bodies as well as identifiers, because een-bridge deduplicates a replayed body whatever its
 * identifier header says.
 */
export function preparePool(count: number, prefix: string, secret: string, first = 0): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'een-wrk-')), `${prefix}.tsv`);
  const fd = fs.openSync(file, 'w');
  try {
    const lines: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const n = first + i;
      const body = jiraIssueBody(n);
      lines.push(`${prefix}-${n}\t${signJiraBody(body, secret)}\t${body}\n`);
      if (lines.length === 5000) fs.writeSync(fd, lines.splice(0).join(''));
    }
    fs.writeSync(fd, lines.join(''));
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/**
 * The open loop's requests: `count` distinct signed webhooks dealt round-robin into one file per
 * wrk thread (<dir>/<thread>.tsv), so each thread reads only its own. Returns the directory.
 */
export function prepareThreadPools(count: number, prefix: string, secret: string, first: number, threads: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'een-wrk-open-'));
  const lines: string[][] = Array.from({ length: threads }, () => []);
  for (let i = 0; i < count; i += 1) {
    const n = first + i;
    const body = jiraIssueBody(n);
    lines[i % threads]!.push(`${prefix}-${n}\t${signJiraBody(body, secret)}\t${body}\n`);
  }
  lines.forEach((ls, t) => fs.writeFileSync(path.join(dir, `${t}.tsv`), ls.join('')));
  return path.join(dir, '0.tsv');
}

export function removePool(file: string): void {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

export interface LoadResult {
  seconds: number;
  /** Requests answered 2xx in the measured part (the warmup's are in warmupAcknowledged). */
  acknowledged: number;
  warmupAcknowledged: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
}

/** What both of wrk's loops report (bench/wrk-jira.lua, bench/wrk-open-loop.lua), latencies in µs. */
interface WrkCommonSummary {
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  timeouts: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
}

interface WrkOpenLoopSummary extends WrkCommonSummary {
  offered: number;
  answered: number;
  late: number;
  non2xx: number;
  spanUs: number;
}

interface WrkSummary extends WrkCommonSummary {
  requests: number;
  durationUs: number;
  statusErrors: number;
  wrapped: number;
}

/** A summary's latencies in ms, to 0.1 ms. */
function latencyMsOf(s: WrkCommonSummary): LoadResult['latencyMs'] {
  const ms = (us: number) => Math.round(us / 100) / 10;
  return { p50: ms(s.p50Us), p90: ms(s.p90Us), p99: ms(s.p99Us), max: ms(s.maxUs), mean: ms(s.meanUs) };
}

export interface WrkResult extends LoadResult {
  /** Requests sent again because the pool ran out (each a replay to een-bridge). */
  wrapped: number;
}

/** One closed-loop run: `connections` keep-alive connections as fast as the server answers. */
export async function runWrk(options: { url: string; connections: number; seconds: number; pool: string; threads?: number }): Promise<WrkResult> {
  const threads = options.threads ?? 2;
  const target = new URL(options.url);
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      wrkBinary(),
      ['-t', String(threads), '-c', String(options.connections), '-d', `${options.seconds}s`, '--timeout', '10s', '-s', script, `${target.origin}`, '--', options.pool, String(threads), target.pathname],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, out, errOut) => (err ? reject(new Error(`wrk failed: ${err.message}\n${errOut}`)) : resolve(out)),
    );
  });
  const line = stdout.split('\n').find((l) => l.startsWith('{"requests"'));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const s = JSON.parse(line) as WrkSummary;
  const seconds = s.durationUs / 1e6;
  const errors = s.connectErrors + s.readErrors + s.writeErrors;
  const acknowledged = s.requests - s.statusErrors;
  return {
    seconds: Math.round(seconds * 10) / 10,
    acknowledged,
    warmupAcknowledged: 0,
    non2xx: s.statusErrors,
    errors,
    timeouts: s.timeouts,
    requestsPerSecond: Math.round(acknowledged / seconds),
    latencyMs: latencyMsOf(s),
    wrapped: s.wrapped,
  };
}

/**
 * The open loop (bench/wrk-open-loop.lua): `rate` requests/s offered over `connections`
 * connections, one per wrk thread, for `seconds`; latency from when each request was due.
 * `pool` is a file of prepareThreadPools (its directory holds one file per connection).
 * wrk runs 3 s past the offered span so late answers still arrive; those due and never answered
 * count as timeouts, with their wait until the end among the latencies.
 */
export async function runWrkOpenLoop(options: { url: string; connections: number; seconds: number; rate: number; pool: string }): Promise<LoadResult> {
  const target = new URL(options.url);
  const n = options.connections;
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      wrkBinary(),
      ['-t', String(n), '-c', String(n), '-d', `${options.seconds + 3}s`, '--timeout', '10s', '-s', openLoopScript, `${target.origin}`, '--', path.dirname(options.pool), String(n), String(options.rate), target.pathname],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, out, errOut) => (err ? reject(new Error(`wrk failed: ${err.message}\n${errOut}`)) : resolve(out)),
    );
  });
  const line = stdout.split('\n').find((l) => l.startsWith('{"openLoop"'));
  if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
  const s = JSON.parse(line) as WrkOpenLoopSummary;
  const acknowledged = s.answered - s.non2xx;
  return {
    seconds: options.seconds,
    acknowledged,
    warmupAcknowledged: 0,
    non2xx: s.non2xx,
    errors: s.connectErrors + s.readErrors + s.writeErrors,
    timeouts: s.late,
    // Answered over the span they were offered for (late answers within the 3 s grace count).
    requestsPerSecond: Math.round(acknowledged / options.seconds),
    latencyMs: latencyMsOf(s),
  };
}
