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
import { jiraIssueBody, type LoadResult } from './load';
import { root } from './lib';

const script = path.join(root, 'bench', 'wrk-jira.lua');

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

export function removePool(file: string): void {
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
}

interface WrkSummary {
  requests: number;
  durationUs: number;
  connectErrors: number;
  readErrors: number;
  writeErrors: number;
  statusErrors: number;
  timeouts: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  maxUs: number;
  meanUs: number;
  wrapped: number;
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
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    seconds: Math.round(seconds * 10) / 10,
    acknowledged,
    warmupAcknowledged: 0,
    non2xx: s.statusErrors,
    errors,
    timeouts: s.timeouts,
    requestsPerSecond: Math.round(acknowledged / seconds),
    latencyMs: { p50: ms(s.p50Us), p90: ms(s.p90Us), p99: ms(s.p99Us), max: ms(s.maxUs), mean: ms(s.meanUs) },
    wrapped: s.wrapped,
  };
}
