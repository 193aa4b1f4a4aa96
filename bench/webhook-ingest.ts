/**
 * Webhook ingest and delivery throughput.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/webhook-ingest.js [seconds=10] [connections=20] [webexLimitPerSecond=50] [spaces=5]
 *
 * Runs the built service as its own process (SQLite, as `npm start` does) with Webex pointed at
 * an emulator in this process that answers 429 above `webexLimitPerSecond`. Phase 1 fires
 * signed, distinct Jira webhooks with autocannon and reports requests/s and latency percentiles
 * of the acknowledgement (event + deliveries committed). Phase 2 lets the outbox drain for the
 * same time and reports deliveries/s against the emulator's limit and how many 429s it caused.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { SubscriptionRepository, createHttpServer, createLogger, openStore, signJiraBody } from '../core';
import { mountEmulator } from '../sandbox/emulator';
import { membershipsFeature } from '../sandbox/webex-api/memberships';
import { messagesFeature } from '../sandbox/webex-api/messages';
import { messagingOf } from '../sandbox/webex-api/messaging-state';
import { peopleFeature } from '../sandbox/webex-api/people';
import { roomsFeature } from '../sandbox/webex-api/rooms';
import { SANDBOX_WEBEX_BOT_TOKEN, WebexEmulator } from '../sandbox/webex-api/webex-emulator';

const [seconds = 10, connections = 20, limit = 50, spaceCount = 5] = process.argv.slice(2).map(Number);
const secret = 'bench-jira-secret';
const root = path.resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function issueBody(n: number): string {
  return JSON.stringify({
    timestamp: Date.now(),
    webhookEvent: 'jira:issue_updated',
    issue_event_type_name: 'issue_generic',
    user: { accountId: '712020:bench', displayName: 'Bench Runner' },
    issue: {
      id: String(10000 + n),
      self: `https://bench.atlassian.net/rest/api/2/issue/${10000 + n}`,
      key: `KAN-${n}`,
      fields: { summary: `Bench issue ${n}`, issuetype: { name: 'Bug' }, priority: { name: 'High' }, status: { name: 'In Progress' }, project: { key: 'KAN' } },
    },
    changelog: { id: String(n), items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', fromString: 'To Do', toString: 'In Progress' }] },
  });
}

async function main(): Promise<void> {
  const log = createLogger({ level: 'silent', pretty: false });
  const emulator = new WebexEmulator({ rateLimitPerSecond: limit, features: [peopleFeature, roomsFeature, membershipsFeature, messagesFeature] });
  const webexServer = createHttpServer({ bodyLimitBytes: 1 << 20, log, isReady: async () => true });
  mountEmulator(webexServer.restify, emulator);
  const webexPort = (await webexServer.listen(0, '127.0.0.1')).port;
  const webexBase = `http://127.0.0.1:${webexPort}/sandbox/webex`;

  const state = messagingOf(emulator.context);
  const bot = emulator.context.people.get(emulator.context.tokens.get(SANDBOX_WEBEX_BOT_TOKEN)!)!;
  const spaces = Array.from({ length: spaceCount }, (_, i) => state.createRoom(`Bench ${i + 1}`, 'group', bot).id);

  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-bench-'));
  const store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
  await store.migrate();
  for (const spaceId of spaces) await new SubscriptionRepository(store.db).subscribe({ spaceId, source: 'jira', sourceKey: 'KAN', locale: 'en' });
  await store.close();

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(root, 'dist/bin/een-bridge.js'), 'serve'], {
    env: {
      PATH: process.env.PATH,
      EEN_DATA_DIR: dataDir,
      EEN_PORT: String(port),
      EEN_HOST: '127.0.0.1',
      EEN_LOG_LEVEL: 'warn',
      JIRA_WEBHOOK_SECRET: secret,
      WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN,
      WEBEX_WEBHOOK_SECRET: 'bench',
      WEBEX_API_URL: `${webexBase}/v1`,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    if ((await fetch(`${url}/readyz`).then((r) => r.status, () => 0)) === 200) break;
    await new Promise((r) => setTimeout(r, 100));
  }

  let n = 0;
  const result = await autocannon({
    url: `${url}/hooks/jira`,
    method: 'POST',
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => {
          n += 1;
          const body = issueBody(n);
          return {
            ...req,
            body,
            headers: { 'content-type': 'application/json', 'x-hub-signature': signJiraBody(body, secret), 'x-atlassian-webhook-identifier': `bench-${n}` },
          };
        },
      },
    ],
  });
  const messagesAfterIngest = state.messages.length;
  const refusedAfterIngest = emulator.limiter?.refused ?? 0;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const delivered = state.messages.length - messagesAfterIngest;
  const refused = (emulator.limiter?.refused ?? 0) - refusedAfterIngest;

  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await webexServer.close(100);
  rmSync(dataDir, { recursive: true, force: true });

  const ok = result['2xx'];
  const report = {
    ingest: {
      seconds,
      connections,
      acknowledged: ok,
      non2xx: result.non2xx,
      errors: result.errors,
      requestsPerSecond: Math.round(ok / seconds),
      latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      deliveriesQueued: ok * spaceCount,
    },
    delivery: {
      spaces: spaceCount,
      webexLimitPerSecond: limit,
      deliveredDuringIngest: messagesAfterIngest,
      deliveredInNext: `${seconds}s`,
      deliveriesPerSecond: Math.round(delivered / seconds),
      webex429s: refused,
    },
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
