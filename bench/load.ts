/**
 * The open-loop load generator, in its own process so it never shares an event loop with the
 * server it measures: offers signed, distinct Jira webhooks at a fixed rate to one URL and prints
 * one line of JSON (the LoadResult) on stdout. (The closed loop, as fast as the server answers,
 * is wrk: bench/wrk-load.ts.)
 *
 *   node dist/bench/load.js '{"url":"http://127.0.0.1:3978/hooks/jira","connections":50,"seconds":10,"warmupSeconds":0,"secret":"…","prefix":"run1","overallRate":2000}'
 *
 * Every request carries its own X-Atlassian-Webhook-Identifier (`<prefix>-<n>`) and issue, so
 * the service stores each one instead of answering "duplicate".
 */
import http from 'node:http';
import { signJiraBody } from '../core';

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Run first and not counted: connections, JIT and caches warm up. Its requests are stored too. */
  warmupSeconds: number;
  secret: string;
  prefix: string;
  /**
   * The fixed offered load in requests/s: an open loop (requests fire when due, whether or not
   * earlier ones were answered), over at most `connections` keep-alive sockets. (autocannon's
   * rate option sends each second's budget in a burst at its start: that measures the burst.)
   */
  overallRate?: number;
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

export function jiraIssueBody(n: number, projectKey = 'KAN'): string {
  return JSON.stringify({
    timestamp: Date.now(),
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: { accountId: '712020:bench', displayName: 'Bench Runner' },
    issue: {
      id: String(10000 + n),
      self: `https://bench.atlassian.net/rest/api/2/issue/${10000 + n}`,
      key: `${projectKey}-${n}`,
      fields: { summary: `Bench issue ${n}`, issuetype: { name: 'Bug' }, priority: { name: 'High' }, status: { name: 'In Progress' }, project: { key: projectKey } },
    },
    changelog: { id: String(n), items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', fromString: 'To Do', toString: 'In Progress' }] },
  });
}

function percentileOf(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * The open loop: request i is due at start + i / rate; its latency runs from when it was due
 * to its answer, so time spent queued behind a slow server counts (no coordinated omission).
 * Requests not answered within 5 s after the last one was due count as timeouts.
 */
async function openLoop(options: LoadOptions, next: () => number): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections });
  const rate = options.overallRate!;
  const total = Math.round(rate * options.seconds);
  const latencies: number[] = [];
  let acknowledged = 0;
  let non2xx = 0;
  let errors = 0;
  let outstanding = 0;
  // Signed and serialised before the clock starts, so the generator's own JavaScript does not
  // add to the latencies it measures (issue 17).
  const prepared = Array.from({ length: total }, () => {
    const n = next();
    const body = jiraIssueBody(n);
    return { body, signature: signJiraBody(body, options.secret), id: `${options.prefix}-${n}` };
  });
  const start = performance.now();
  const fire = (due: number, i: number) => {
    const { body, signature, id } = prepared[i]!;
    outstanding += 1;
    const req = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-hub-signature': signature,
          'x-atlassian-webhook-identifier': id,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          outstanding -= 1;
          latencies.push(performance.now() - due);
          if (res.statusCode !== undefined && res.statusCode >= 200 && res.statusCode < 300) acknowledged += 1;
          else non2xx += 1;
        });
      },
    );
    req.on('error', () => {
      outstanding -= 1;
      errors += 1;
    });
    req.end(body);
  };
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        fire(start + (sent * 1000) / rate, sent);
        sent += 1;
      }
      if (sent < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  const lastDue = start + ((total - 1) * 1000) / rate;
  while (outstanding > 0 && performance.now() < lastDue + 5000) await new Promise((r) => setTimeout(r, 10));
  const timeouts = outstanding;
  agent.destroy();
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const ms = (x: number) => Math.round(x * 10) / 10;
  return {
    seconds: ms(elapsed),
    acknowledged,
    warmupAcknowledged: 0,
    non2xx,
    errors,
    timeouts,
    // Answered within the offered span (plus the grace), over the span it was offered for.
    requestsPerSecond: Math.round(acknowledged / Math.max(options.seconds, elapsed - 5)),
    latencyMs: {
      p50: ms(percentileOf(latencies, 50)),
      p90: ms(percentileOf(latencies, 90)),
      p99: ms(percentileOf(latencies, 99)),
      max: ms(latencies[latencies.length - 1] ?? NaN),
      mean: ms(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
    },
  };
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  if (!options.overallRate) throw new Error('load.js runs the open loop only (overallRate); the closed loop is wrk (bench/wrk-load.ts)');
  let n = 0;
  process.stdout.write(`${JSON.stringify(await openLoop(options, () => (n += 1)))}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  });
}
