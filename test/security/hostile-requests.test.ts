import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  JIRA_IDENTIFIER_HEADER,
  JIRA_SIGNATURE_HEADER,
  SANDBOX_JIRA_WEBHOOK_SECRET,
  SANDBOX_TRELLO_API_SECRET,
  TRELLO_SIGNATURE_HEADER,
  hmacHex,
  signJiraBody,
  signTrelloBody,
} from '../../core';
import { SANDBOX_SLACK_SIGNING_SECRET } from '../../sandbox/slack-api/slack-emulator';
import { signSlackRequest } from '../../slack-app/signature';
import { SANDBOX_WEBEX_WEBHOOK_SECRET } from '../../webex-bot/events';
import { assertBuilt } from '../helpers/built';
import { freePort, spawnCli, waitFor, type RunningCli } from '../helpers/processes';
import { healthz, rawRequest } from '../helpers/raw-http';
import { startTestService, type TestService } from '../helpers/service';

/**
 * Issue 13, must-fix 1: no request, whatever its target, framing or values, stops the service.
 * The routes come from the running server's own route table (restify's router), so a route
 * added later is attacked too without touching this file. After every case the service must
 * still answer GET /healthz on a new connection.
 */

interface Route {
  method: string;
  path: string;
}

let service: TestService;
let port: number;
let routes: Route[];
let cases = 0;

beforeAll(async () => {
  service = await startTestService();
  port = Number(new URL(service.url).port);
  routes = Object.values(service.http.restify.router.getRoutes()).map((r) => ({ method: r.method, path: String(r.path) }));
});
afterAll(async () => {
  console.log(`hostile-requests campaign: ${cases} cases over ${routes.length} mounted routes, the service answered /healthz after each`);
  await service.dispose();
});

/** A concrete path for a route pattern: `:name` becomes a plausible id, `*` a nested path. */
function concrete(path: string): string {
  return path.replace(/:[A-Za-z_]+/g, 'x1').replace(/\*/g, 'a/b');
}

function request(method: string, target: string, headers: Record<string, string> = {}, body = ''): string {
  const lines = [`${method} ${target} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body !== '' || !['GET', 'HEAD', 'DELETE', 'OPTIONS'].includes(method)) lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** Sends one hostile case, then proves the service is alive. Returns the case's status. */
async function attack(bytes: string | Buffer): Promise<number | undefined> {
  cases += 1;
  const r = await rawRequest(port, bytes);
  const alive = await healthz(port);
  if (alive !== 200) throw new Error(`the service stopped answering /healthz after:\n${String(bytes).slice(0, 300)}`);
  return r.status;
}

/** Targets that are not origin-form, or that a path parser could take for a host. */
function badTargets(path: string): string[] {
  return [
    `http://x:99999${path}`,
    `http://127.0.0.1${path}`,
    `https://[::1]:0${path}`,
    `//x${path}`,
    `//x:99999${path}`,
    '*',
    '',
    `x${path}`,
    `?${path}`,
  ];
}

/** Targets that are origin-form but hostile in their bytes; the answer may be 4xx, never 5xx. */
function oddTargets(path: string): string[] {
  return [
    `${path}%`,
    `${path}%ZZ%%00%E0%80%C0%AF`,
    `${path}?%=%&a=%ZZ&b[c][d]=1&__proto__[x]=1`,
    `${path}/..%2F..%2F..%2Fetc%2Fpasswd`,
    `${path}?${'a'.repeat(20_000)}`,
    `${path}${'/%2e%2e'.repeat(50)}`,
    `${path}?max=1e309&top=-1&from=9e15&to=NaN&limit=Infinity&since=99999999999999999999&start=9999-99-99T99:99&validationToken=%00`,
  ];
}

/** Framing an HTTP/1.1 parser has to refuse (RFC 9112 sections 3.2, 6.1, 6.3, 7.1). */
function badFraming(method: string, path: string): (string | Buffer)[] {
  return [
    Buffer.from(`${method} ${path}\0 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1'),
    Buffer.from(`${method} ${path}\x01\x7f HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'latin1'),
    `${method} ${path} HTTP/1.1\r\nConnection: close\r\n\r\n`,
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 12abc\r\n\r\n`,
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: -5\r\n\r\n`,
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd`,
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n`,
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`,
    `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 99999999999999999999\r\n\r\n`,
  ];
}

/** Runs the cases a few at a time: each is still followed by its own /healthz probe. */
async function inBatches<T>(items: T[], run: (item: T) => Promise<void>, size = 8): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

/** Every route crossed with every case of a kind. */
function each<C>(kinds: (r: Route) => C[]): [Route, C][] {
  return routes.flatMap((r) => kinds(r).map((c): [Route, C] => [r, c]));
}

const CAMPAIGN_MS = 240_000;

const deep = (n: number): string => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;

/** Out-of-range and wrongly typed JSON values. */
const hostileJson: string[] = [
  '1e309',
  '-1',
  '"NaN"',
  'null',
  '[]',
  'true',
  '{"timestamp":9e15,"date":"+275760-09-13T00:00:00.001Z","start":"9999-99-99T99:99:99Z","end":"NaN","max":1e309,"times":1e309,"retryAfter":-1,"durationMinutes":-1,"id":-1,"value":"Infinity"}',
  '{"id":[],"text":{},"roomId":7,"personId":null,"markdown":["x"],"email":1e309,"title":{"a":1},"items":"x","webhookEvent":[],"type":{},"value":[1e309]}',
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  '{"value":[{"subscriptionId":1e309,"clientState":{},"resource":[],"changeType":-1,"lifecycleEvent":9e15}]}',
  deep(5000),
  `[${'['.repeat(100_000)}${']'.repeat(100_000)}]`,
];

/** Headers that get a body past a route's signature check, so the values reach the parser. */
function signed(path: string, body: string): Record<string, string> {
  if (path === '/hooks/jira') return { [JIRA_SIGNATURE_HEADER]: signJiraBody(body, SANDBOX_JIRA_WEBHOOK_SECRET), [JIRA_IDENTIFIER_HEADER]: `hostile-${cases}` };
  if (path === '/hooks/trello') return { [TRELLO_SIGNATURE_HEADER]: signTrelloBody(body, `${service.url}/hooks/trello`, SANDBOX_TRELLO_API_SECRET) };
  if (path === '/webex/events') return { 'X-Spark-Signature': hmacHex('sha1', SANDBOX_WEBEX_WEBHOOK_SECRET, body) };
  if (path === '/slack/events') {
    const ts = Math.floor(Date.now() / 1000);
    return { 'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': signSlackRequest(SANDBOX_SLACK_SIGNING_SECRET, ts, body) };
  }
  return { Authorization: 'Bearer sandbox-token' };
}

describe('hostile requests to every mounted route', () => {
  it('mounts the routes the campaign attacks (the service, the bots and every sandbox emulator)', () => {
    const paths = new Set(routes.map((r) => r.path));
    for (const p of ['/healthz', '/hooks/graph', '/hooks/jira', '/hooks/trello', '/webex/events', '/slack/events', '/api/messages', '/slack/install']) {
      expect(paths).toContain(p);
    }
    expect([...paths].filter((p) => p.startsWith('/sandbox/')).length).toBeGreaterThan(50);
  });

  it('refuses every target that is not origin-form with 400, before any route runs', async () => {
    const failures: string[] = [];
    await inBatches(each((r) => badTargets(concrete(r.path))), async ([r, target]) => {
      const status = await attack(request(r.method, target));
      if (status !== 400) failures.push(`${r.method} ${target} -> ${status}`);
    });
    expect(failures).toEqual([]);
  }, CAMPAIGN_MS);

  it('answers odd but origin-form targets without a server error', async () => {
    const failures: string[] = [];
    await inBatches(each((r) => oddTargets(concrete(r.path))), async ([r, target]) => {
      const status = await attack(request(r.method, target));
      if (status === undefined || status >= 500) failures.push(`${r.method} ${target.slice(0, 120)} -> ${status}`);
    });
    expect(failures).toEqual([]);
  }, CAMPAIGN_MS);

  it('refuses broken framing (NUL and control bytes, no Host, bad lengths, chunked garbage) with a 4xx', async () => {
    const failures: string[] = [];
    await inBatches(each((r) => badFraming(r.method, concrete(r.path))), async ([r, bytes]) => {
      const status = await attack(bytes);
      if (status === undefined || status < 400 || status >= 500) failures.push(`${r.method} ${r.path}: ${JSON.stringify(String(bytes).slice(0, 160))} -> ${status}`);
    });
    expect(failures).toEqual([]);
  }, CAMPAIGN_MS);

  it('answers out-of-range and wrongly typed JSON values (signed where the route checks signatures) without a server error', async () => {
    const failures: string[] = [];
    const withBody = (r: Route): string[] => (r.method === 'GET' || r.method === 'HEAD' ? [] : hostileJson);
    await inBatches(each(withBody), async ([r, body]) => {
      const path = concrete(r.path);
      const status = await attack(request(r.method, path, { 'Content-Type': 'application/json', ...signed(r.path, body) }, body));
      if (status === undefined || status >= 500) failures.push(`${r.method} ${path} ${body.slice(0, 80)} -> ${status}`);
    });
    expect(failures).toEqual([]);
  }, CAMPAIGN_MS);
});

describe('a signed webhook whose numbers do not make a date', () => {
  const issue = { id: '10001', self: 'https://example.atlassian.net/rest/api/2/issue/10001', key: 'KAN-1', fields: { summary: 'x' } };

  it.each([9e15, 8.64e15 + 1, Number.MAX_SAFE_INTEGER])('refuses a Jira timestamp of %d with 400 and keeps running', async (timestamp) => {
    const body = JSON.stringify({ webhookEvent: 'jira:issue_created', timestamp, issue });
    const status = await attack(request('POST', '/hooks/jira', { 'Content-Type': 'application/json', ...signed('/hooks/jira', body) }, body));
    expect(status).toBe(400);
  });

  it('refuses a Trello action date past the last representable day with 400', async () => {
    const body = JSON.stringify({
      model: { id: 'b1' },
      action: { id: 'a1', type: 'createCard', date: '9999-12-31T23:59:60.000Z', data: { board: { id: 'b1' }, card: { id: 'c1', name: 'x' } } },
    });
    const status = await attack(request('POST', '/hooks/trello', { 'Content-Type': 'application/json', ...signed('/hooks/trello', body) }, body));
    expect(status === 400 || status === 410).toBe(true);
  });
});

describe('a handler that throws', () => {
  it('becomes a 500 with a reference, logged with that reference, and the service keeps running', async () => {
    const server = service.http.restify;
    server.get('/test-only/throws', (_req, _res, _next) => {
      throw new Error('thrown synchronously by a handler');
    });
    server.post('/test-only/throws-after-body', (_req, _res, _next) => {
      throw new Error('thrown after the body was read');
    });
    for (const raw of [
      request('GET', '/test-only/throws'),
      request('POST', '/test-only/throws-after-body', { 'Content-Type': 'application/json' }, '{}'),
    ]) {
      const r = await rawRequest(port, raw);
      expect(r.status).toBe(500);
      const ref = /reference ([0-9a-f]{8})/.exec(r.text)?.[1];
      expect(ref).toBeDefined();
      expect(r.text).not.toContain('thrown');
      expect(service.logLines().some((l) => l.ref === ref && l.level === 50)).toBe(true);
      expect(await healthz(port)).toBe(200);
    }
  });
});

describe('the built service as `npm start` runs it', () => {
  // Jest catches what a handler throws inside its own process; the report was a process that
  // died, so the absolute-form target of the report is also sent to a real child process.
  let cli: RunningCli | undefined;
  let dataDir = '';
  afterEach(async () => {
    if (cli && cli.child.exitCode === null) {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps running after POST http://x:99999/hooks/graph and a signed Jira timestamp of 9e15', async () => {
    assertBuilt();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-bridge-hostile-'));
    const childPort = await freePort();
    cli = spawnCli(['serve'], { EEN_DATA_DIR: dataDir, EEN_PORT: String(childPort), EEN_HOST: '127.0.0.1', EEN_LOG_LEVEL: 'info' });
    await waitFor(async () => (await healthz(childPort)) === 200, 30_000, 'the service to listen');

    const absolute = await rawRequest(childPort, 'POST http://x:99999/hooks/graph HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}');
    expect(absolute.status).toBe(400);
    const body = JSON.stringify({ webhookEvent: 'jira:issue_created', timestamp: 9e15, issue: { id: '1', self: 'https://x.atlassian.net/rest/api/2/issue/1', key: 'KAN-1', fields: {} } });
    const jira = await rawRequest(childPort, request('POST', '/hooks/jira', {
      'Content-Type': 'application/json',
      [JIRA_SIGNATURE_HEADER]: signJiraBody(body, SANDBOX_JIRA_WEBHOOK_SECRET),
      [JIRA_IDENTIFIER_HEADER]: 'hostile-date',
    }, body));
    expect(jira.status).toBe(400);
    expect(jira.text).toContain('timestamp');

    await new Promise((r) => setTimeout(r, 200));
    expect(cli.child.exitCode).toBeNull();
    expect(await healthz(childPort)).toBe(200);
  }, 60_000);
});
