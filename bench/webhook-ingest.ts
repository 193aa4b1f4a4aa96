/**
 * Webhook ingest: signed, distinct Jira webhooks to /hooks/jira from 50 connections, fired by
 * autocannon in its own process (bench/load.ts) over loopback, against four servers in one run:
 *
 *   bare node:http answering 204          the floor any Node server pays
 *   a plain restify route answering 204   the same framework een-bridge runs on, nothing else
 *   een-bridge on SQLite                  dist/bin/een-bridge.js serve, as `npm start` runs it
 *   een-bridge on PostgreSQL              the same, DATABASE_URL at a fresh schema
 *
 * een-bridge checks the signature, parses, and answers 202 only once the event and its
 * delivery are committed (group commit across concurrent requests). Its Webex bot points at an
 * emulator in this process limited to 50 requests/s, so the outbox worker runs beside ingest
 * as it does in production. Afterwards the events table is counted: every acknowledged event
 * must be there. The service's RSS is sampled during the load for the footprint target.
 *
 *   npm run bench webhook-ingest
 */
import { spawn } from 'node:child_process';
import { SubscriptionRepository } from '../core';
import type { LoadOptions, LoadResult } from './load';
import { MB, figure, freePort, round, runJson, sampleRss, startService, targetsOf, waitFor, writeResult, type BenchResult, type Figure } from './lib';
import { benchStore, countRows } from './stores';
import { startBenchWebex } from './webex';

const secret = 'bench-jira-secret';

interface ServiceRun extends Measured {
  /** Events in the table after the run (warmup included). */
  committed: number;
  rssMaxBytes: number;
}

/** Both phases against one server: as fast as it answers, then at a fixed offered rate. */
interface Measured {
  saturated: LoadResult;
  atRate: LoadResult;
}

/** What rate the fixed-rate phase offers, once the saturated phase is known. */
type RateOf = (saturated: LoadResult) => number;

function load(url: string, seconds: number, connections: number, prefix: string, overallRate?: number): Promise<LoadResult> {
  const options: LoadOptions = {
    url: `${url}/hooks/jira`,
    connections,
    seconds,
    warmupSeconds: overallRate ? 0 : 2,
    secret,
    prefix,
    ...(overallRate ? { overallRate } : {}),
  };
  return runJson<LoadResult>('load.js', [JSON.stringify(options)]);
}

async function measure(url: string, seconds: number, connections: number, prefix: string, rateOf: RateOf): Promise<Measured> {
  const saturated = await load(url, seconds, connections, `${prefix}-max`);
  const atRate = await load(url, seconds, connections, `${prefix}-rate`, rateOf(saturated));
  return { saturated, atRate };
}

async function baseline(kind: 'http' | 'restify', seconds: number, connections: number, rateOf: RateOf): Promise<Measured> {
  const port = freePort();
  const child = spawn(process.execPath, [`${__dirname}/baseline-server.js`, kind, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitFor(`http://127.0.0.1:${port}/readyz`);
    return await measure(`http://127.0.0.1:${port}`, seconds, connections, `baseline-${kind}`, rateOf);
  } finally {
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill();
    });
  }
}

async function een(kind: 'sqlite' | 'postgres', seconds: number, connections: number, rateOf: RateOf): Promise<ServiceRun> {
  const webex = await startBenchWebex(50, 1);
  const store = await benchStore(kind);
  try {
    const seed = store.open();
    await seed.migrate();
    await new SubscriptionRepository(seed.db).subscribe({ spaceId: webex.spaces[0]!, source: 'jira', sourceKey: 'KAN', locale: 'en' });
    await seed.close();

    const { service } = startService({ ...store.env, ...webex.env, JIRA_WEBHOOK_SECRET: secret, EEN_LOG_LEVEL: 'error' }, store.dataDir);
    let result: Measured;
    let rssMaxBytes: number;
    try {
      await waitFor(`${service.url}/readyz`);
      const rss = sampleRss(service.child.pid);
      result = await measure(service.url, seconds, connections, `een-${kind}`, rateOf);
      rssMaxBytes = rss.stop();
    } finally {
      await service.stop();
    }
    const check = store.open();
    const committed = await countRows(check, 'notification_events');
    await check.close();
    return { ...result, committed, rssMaxBytes };
  } finally {
    await store.dispose();
    await webex.close();
  }
}

export async function webhookIngest(seconds = 10, connections = 50): Promise<BenchResult> {
  // The restify baseline runs before and after een-bridge and the mean is used, so drift on a
  // shared machine during the run hits both sides of the ratio alike. Its first run also fixes
  // the offered rate of every fixed-rate phase: 60% of what plain restify sustains.
  let offered = 0;
  const plainBefore = await baseline('restify', seconds, connections, (r) => (offered = Math.max(1, Math.round(0.6 * r.requestsPerSecond))));
  const fixed: RateOf = () => offered;
  const bare = await baseline('http', seconds, connections, fixed);
  const sqlite = await een('sqlite', seconds, connections, fixed);
  const postgres = await een('postgres', seconds, connections, fixed);
  const plainAfter = await baseline('restify', seconds, connections, fixed);
  const mean = (f: (m: Measured) => number) => round((f(plainBefore) + f(plainAfter)) / 2, 1);
  const plain = {
    rate: Math.round(mean((m) => m.saturated.requestsPerSecond)),
    p50: mean((m) => m.saturated.latencyMs.p50),
    p99: mean((m) => m.saturated.latencyMs.p99),
    atRateP50: mean((m) => m.atRate.latencyMs.p50),
    atRateP99: mean((m) => m.atRate.latencyMs.p99),
  };

  const metrics: Record<string, number> = {
    seconds,
    connections,
    offeredRequestsPerSecond: offered,
    bareHttpRequestsPerSecond: bare.saturated.requestsPerSecond,
    bareHttpP50Ms: bare.saturated.latencyMs.p50,
    bareHttpP99Ms: bare.saturated.latencyMs.p99,
    bareHttpAtRateP99Ms: bare.atRate.latencyMs.p99,
    restifyRequestsPerSecond: plain.rate,
    restifyBeforeRequestsPerSecond: plainBefore.saturated.requestsPerSecond,
    restifyAfterRequestsPerSecond: plainAfter.saturated.requestsPerSecond,
    restifyP50Ms: plain.p50,
    restifyP99Ms: plain.p99,
    restifyAtRateP50Ms: plain.atRateP50,
    restifyAtRateP99Ms: plain.atRateP99,
  };
  const restify = (value: number) => ({ name: 'plain restify', value });
  const figures: Figure[] = [
    figure('requests/s, plain restify route', plain.rate, 'req/s', { baseline: { name: 'bare node:http', value: bare.saturated.requestsPerSecond } }),
  ];
  for (const [name, run] of [['SQLite', sqlite], ['PostgreSQL', postgres]] as const) {
    const key = name === 'SQLite' ? 'sqlite' : 'postgres';
    const phases = [run.saturated, run.atRate];
    const acknowledged = phases.reduce((n, p) => n + p.acknowledged + p.warmupAcknowledged, 0);
    const lost = Math.max(0, acknowledged - run.committed);
    const rate = run.saturated.requestsPerSecond;
    const atRate = run.atRate;
    const keptUp = atRate.requestsPerSecond >= 0.98 * offered;
    const rssMB = Math.round(run.rssMaxBytes / MB);
    Object.assign(metrics, {
      [`${key}RequestsPerSecond`]: rate,
      [`${key}P50Ms`]: run.saturated.latencyMs.p50,
      [`${key}P99Ms`]: run.saturated.latencyMs.p99,
      [`${key}MaxMs`]: run.saturated.latencyMs.max,
      [`${key}RatioToRestify`]: round(rate / plain.rate),
      [`${key}RatioToBareHttp`]: round(rate / bare.saturated.requestsPerSecond),
      [`${key}AtRateRequestsPerSecond`]: atRate.requestsPerSecond,
      [`${key}AtRateP50Ms`]: atRate.latencyMs.p50,
      [`${key}AtRateP99Ms`]: atRate.latencyMs.p99,
      [`${key}Acknowledged`]: acknowledged,
      [`${key}Committed`]: run.committed,
      [`${key}Non2xx`]: phases.reduce((n, p) => n + p.non2xx, 0),
      [`${key}ErrorsAndTimeouts`]: phases.reduce((n, p) => n + p.errors + p.timeouts, 0),
      [`${key}AcknowledgedNotCommitted`]: lost,
      [`${key}RssMaxMB`]: rssMB,
    });
    figures.push(
      figure(`requests/s, een-bridge on ${name}`, rate, 'req/s', { baseline: restify(plain.rate), target: '≥ 0.60 × restify', met: rate >= 0.6 * plain.rate }),
      figure(`requests/s, een-bridge on ${name} vs bare node:http`, rate, 'req/s', { baseline: { name: 'bare node:http', value: bare.saturated.requestsPerSecond } }),
      figure(`p50 latency on ${name}, 50 connections flat out`, run.saturated.latencyMs.p50, 'ms', { baseline: restify(plain.p50) }),
      figure(`p99 latency on ${name}, 50 connections flat out`, run.saturated.latencyMs.p99, 'ms', { baseline: restify(plain.p99) }),
      figure(`p99 latency on ${name} at ${offered} req/s offered (0.60 × restify)`, atRate.latencyMs.p99, 'ms', {
        baseline: restify(plain.atRateP99),
        target: '< 10 ms, keeping up',
        met: atRate.latencyMs.p99 < 10 && keptUp,
      }),
      figure(`acknowledged but not committed on ${name}`, lost, 'events', { target: '0', met: lost === 0 && acknowledged > 0 }),
      figure(`RSS under ingest load on ${name} (footprint)`, rssMB, 'MB', { target: '< 300 MB', met: run.rssMaxBytes < 300 * MB }),
    );
  }
  return writeResult({
    name: 'webhook-ingest',
    notes: [
      `Each event goes to one subscribed space; the outbox worker sends to a Webex emulator limited to 50 requests/s meanwhile.`,
      `Two phases per server, ${seconds} s each: ${connections} connections as fast as the server answers (after a 2 s warmup; the rate target), then a fixed offered load of 0.60 × the plain restify rate (${offered} req/s; the p99 target, latency counted from when each request was due).`,
      `Flat out, a closed loop of ${connections} connections makes latency ≈ ${connections} ÷ rate (Little's law): at any rate below 5,000 req/s the p99 there exceeds 10 ms for every server, baselines included, so p99 is judged at the fixed rate.`,
      `Latencies in ms as autocannon measures them (whole ms). The plain restify figures are the mean of a run before and one after een-bridge's.`,
      `"Committed" counts the events table after the run; it may exceed the acknowledged count by requests in flight when the load stopped.`,
    ],
    figures,
    metrics,
    targets: targetsOf(figures),
  });
}
