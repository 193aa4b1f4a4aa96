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

interface ServiceRun {
  load: LoadResult;
  /** Events in the table after the run (warmup included). */
  committed: number;
  rssMaxBytes: number;
}

function load(url: string, seconds: number, connections: number, prefix: string): Promise<LoadResult> {
  const options: LoadOptions = { url: `${url}/hooks/jira`, connections, seconds, warmupSeconds: 2, secret, prefix };
  return runJson<LoadResult>('load.js', [JSON.stringify(options)]);
}

async function baseline(kind: 'http' | 'restify', seconds: number, connections: number): Promise<LoadResult> {
  const port = freePort();
  const child = spawn(process.execPath, [`${__dirname}/baseline-server.js`, kind, String(port)], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitFor(`http://127.0.0.1:${port}/readyz`);
    return await load(`http://127.0.0.1:${port}`, seconds, connections, `baseline-${kind}`);
  } finally {
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill();
    });
  }
}

async function een(kind: 'sqlite' | 'postgres', seconds: number, connections: number): Promise<ServiceRun> {
  const webex = await startBenchWebex(50, 1);
  const store = await benchStore(kind);
  try {
    const seed = store.open();
    await seed.migrate();
    await new SubscriptionRepository(seed.db).subscribe({ spaceId: webex.spaces[0]!, source: 'jira', sourceKey: 'KAN', locale: 'en' });
    await seed.close();

    const { service } = startService({ ...store.env, ...webex.env, JIRA_WEBHOOK_SECRET: secret, EEN_LOG_LEVEL: 'error' }, store.dataDir);
    let result: LoadResult;
    let rssMaxBytes: number;
    try {
      await waitFor(`${service.url}/readyz`);
      const rss = sampleRss(service.child.pid);
      result = await load(service.url, seconds, connections, `een-${kind}`);
      rssMaxBytes = rss.stop();
    } finally {
      await service.stop();
    }
    const check = store.open();
    const committed = await countRows(check, 'notification_events');
    await check.close();
    return { load: result, committed, rssMaxBytes };
  } finally {
    await store.dispose();
    await webex.close();
  }
}

export async function webhookIngest(seconds = 10, connections = 50): Promise<BenchResult> {
  const bare = await baseline('http', seconds, connections);
  const plain = await baseline('restify', seconds, connections);
  const sqlite = await een('sqlite', seconds, connections);
  const postgres = await een('postgres', seconds, connections);

  const metrics: Record<string, number> = {
    seconds,
    connections,
    bareHttpRequestsPerSecond: bare.requestsPerSecond,
    bareHttpP50Ms: bare.latencyMs.p50,
    bareHttpP99Ms: bare.latencyMs.p99,
    restifyRequestsPerSecond: plain.requestsPerSecond,
    restifyP50Ms: plain.latencyMs.p50,
    restifyP99Ms: plain.latencyMs.p99,
  };
  const restify = (value: number) => ({ name: 'plain restify', value });
  const figures: Figure[] = [
    figure('requests/s, plain restify route', plain.requestsPerSecond, 'req/s', { baseline: { name: 'bare node:http', value: bare.requestsPerSecond } }),
  ];
  for (const [name, run] of [['SQLite', sqlite], ['PostgreSQL', postgres]] as const) {
    const key = name === 'SQLite' ? 'sqlite' : 'postgres';
    const acknowledged = run.load.acknowledged + run.load.warmupAcknowledged;
    const lost = Math.max(0, acknowledged - run.committed);
    const rate = run.load.requestsPerSecond;
    const p99 = run.load.latencyMs.p99;
    const rssMB = Math.round(run.rssMaxBytes / MB);
    Object.assign(metrics, {
      [`${key}RequestsPerSecond`]: rate,
      [`${key}P50Ms`]: run.load.latencyMs.p50,
      [`${key}P99Ms`]: p99,
      [`${key}MaxMs`]: run.load.latencyMs.max,
      [`${key}RatioToRestify`]: round(rate / plain.requestsPerSecond),
      [`${key}RatioToBareHttp`]: round(rate / bare.requestsPerSecond),
      [`${key}Acknowledged`]: acknowledged,
      [`${key}Committed`]: run.committed,
      [`${key}Non2xx`]: run.load.non2xx,
      [`${key}ErrorsAndTimeouts`]: run.load.errors + run.load.timeouts,
      [`${key}AcknowledgedNotCommitted`]: lost,
      [`${key}RssMaxMB`]: rssMB,
    });
    figures.push(
      figure(`requests/s, een-bridge on ${name}`, rate, 'req/s', { baseline: restify(plain.requestsPerSecond), target: '≥ 0.60 × restify', met: rate >= 0.6 * plain.requestsPerSecond }),
      figure(`requests/s, een-bridge on ${name} vs bare node:http`, rate, 'req/s', { baseline: { name: 'bare node:http', value: bare.requestsPerSecond } }),
      figure(`p50 latency on ${name}`, run.load.latencyMs.p50, 'ms', { baseline: restify(plain.latencyMs.p50) }),
      figure(`p99 latency on ${name}`, p99, 'ms', { baseline: restify(plain.latencyMs.p99), target: '< 10 ms', met: p99 < 10 }),
      figure(`acknowledged but not committed on ${name}`, lost, 'events', { target: '0', met: lost === 0 && acknowledged > 0 }),
      figure(`RSS under ingest load on ${name} (footprint)`, rssMB, 'MB', { target: '< 300 MB', met: run.rssMaxBytes < 300 * MB }),
    );
  }
  return writeResult({
    name: 'webhook-ingest',
    notes: [
      `Each event goes to one subscribed space; the outbox worker sends to a Webex emulator limited to 50 requests/s meanwhile.`,
      `Latencies in ms as autocannon measures them (whole ms); rates count 2xx answers over the ${seconds} s measured, after a 2 s warmup.`,
      `"Committed" counts the events table after the run; it may exceed the acknowledged count by requests in flight when the load stopped.`,
    ],
    figures,
    metrics,
    targets: targetsOf(figures),
  });
}
