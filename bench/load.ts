/**
 * The load generator, in its own process so it never shares an event loop with the server it
 * measures: fires signed, distinct Jira webhooks with autocannon at one URL and prints one
 * line of JSON (the LoadResult) on stdout.
 *
 *   node dist/bench/load.js '{"url":"http://127.0.0.1:3978/hooks/jira","connections":50,"seconds":10,"warmupSeconds":2,"secret":"…","prefix":"run1"}'
 *
 * Every request carries its own X-Atlassian-Webhook-Identifier (`<prefix>-<n>`) and issue, so
 * the service stores each one instead of answering "duplicate".
 */
import http from 'node:http';
import autocannon, { type Result } from 'autocannon';
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
   * A fixed offered load in requests/s instead of as fast as the server answers: an open loop
   * (requests fire when due, whether or not earlier ones were answered), over at most
   * `connections` keep-alive sockets. autocannon's own rate option sends each second's budget
   * in a burst at the start of the second, which measures the burst, not the rate.
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

async function fire(options: LoadOptions, seconds: number, next: () => number): Promise<Result> {
  return autocannon({
    url: options.url,
    method: 'POST',
    connections: options.connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => {
          const n = next();
          const body = jiraIssueBody(n);
          return {
            ...req,
            body,
            headers: {
              'content-type': 'application/json',
              'x-hub-signature': signJiraBody(body, options.secret),
              'x-atlassian-webhook-identifier': `${options.prefix}-${n}`,
            },
          };
        },
      },
    ],
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
  const start = performance.now();
  const fire = (due: number) => {
    const n = next();
    const body = jiraIssueBody(n);
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
          'x-hub-signature': signJiraBody(body, options.secret),
          'x-atlassian-webhook-identifier': `${options.prefix}-${n}`,
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
        fire(start + (sent * 1000) / rate);
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
  let n = 0;
  const next = () => (n += 1);
  if (options.overallRate) {
    process.stdout.write(`${JSON.stringify(await openLoop(options, next))}\n`);
    return;
  }
  const warmup = options.warmupSeconds > 0 ? await fire(options, options.warmupSeconds, next) : undefined;
  const r = await fire(options, options.seconds, next);
  const result: LoadResult = {
    seconds: r.duration,
    acknowledged: r['2xx'],
    warmupAcknowledged: warmup?.['2xx'] ?? 0,
    non2xx: r.non2xx + (warmup?.non2xx ?? 0),
    errors: r.errors + (warmup?.errors ?? 0),
    timeouts: r.timeouts + (warmup?.timeouts ?? 0),
    requestsPerSecond: Math.round(r['2xx'] / r.duration),
    latencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exitCode = 1;
  });
}
