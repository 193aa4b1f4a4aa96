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

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  let n = 0;
  const next = () => (n += 1);
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
