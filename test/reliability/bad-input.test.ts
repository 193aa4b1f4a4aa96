import fc from 'fast-check';
import { sql } from 'kysely';
import { startTestService, type TestService } from '../helpers/service';

/**
 * Every public route gets random and mutated bodies, headers, content types and encodings.
 * What must hold for each case: never a 5xx, the process stays up, and a refused request
 * (4xx) stores nothing. Emulator routes under /sandbox are not public and are left out.
 */
// npm test runs a quick campaign; npm run test:soak runs a long one.
const RUNS_PER_ROUTE = Number(process.env.BAD_INPUT_RUNS ?? 30);

interface PublicRoute {
  method: string;
  path: string;
}

async function rowCounts(service: TestService): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely_%' and name not like 'sqlite_%'`.execute(service.store.db);
  const counts: Record<string, number> = {};
  for (const { name } of tables.rows) {
    const result = await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(service.store.db);
    counts[name] = Number(result.rows[0]?.n ?? 0);
  }
  return counts;
}

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom(
    "'; drop table users; --",
    '<script>alert(1)</script>',
    '**bold** [link](javascript:alert(1)) <@U123> <!channel>',
    '\u0000\u0001\u001b[31m\u202e',
    '{"a":'.repeat(5000),
    '%00%ff',
    'ＡＢＣ😀👨‍👩‍👧',
  ),
);

const jsonish = fc.oneof(
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.constant('['.repeat(20000) + ']'.repeat(20000)),
  fc.constant(JSON.stringify({ type: 'message', text: 'call 0900 1234567', from: { id: 'x' }, conversation: { id: 'c' }, serviceUrl: 'http://127.0.0.1:1/' })),
  fc.constant(JSON.stringify({ webhookEvent: 'jira:issue_created', issue: { key: 'X-1' } })),
  hostileText,
);

const contentTypes = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/xml',
  '',
  'application/json; charset=utf-16',
);

const headerNames = ['x-hub-signature', 'x-slack-signature', 'x-slack-request-timestamp', 'x-trello-webhook', 'x-spark-signature', 'authorization', 'x-atlassian-webhook-identifier'];

describe('bad input on every public route', () => {
  let service: TestService;
  let routes: PublicRoute[];
  let cases = 0;

  beforeAll(async () => {
    service = await startTestService();
    // restify's router lists every mounted route by name; the typings do not include it.
    const router = (service.http.restify as unknown as { router: { getRoutes(): Record<string, { method: string; path: string }> } }).router;
    const all = router.getRoutes();
    routes = Object.values(all)
      .map((r) => ({ method: r.method, path: String(r.path) }))
      .filter((r) => !r.path.startsWith('/sandbox') && !['/healthz', '/readyz', '/metrics'].includes(r.path));
  });
  afterAll(async () => {
    await service.dispose();
    // The number of cases is part of the reliability record (issue 7).
    console.log(`bad-input campaign: ${cases} cases over ${routes.length} routes`);
  });

  it('finds the public routes', () => {
    expect(routes.length).toBeGreaterThan(0);
  });

  it('never answers 5xx, never crashes, and stores nothing for a refused request', async () => {
    for (const route of routes) {
      const url = `${service.url}${route.path.replace(/:(\w+)/g, 'x')}`;
      await fc.assert(
        fc.asyncProperty(
          jsonish,
          contentTypes,
          fc.dictionary(fc.constantFrom(...headerNames), hostileText.map((v) => v.replace(/[^\t\x20-\x7e]/g, '').slice(0, 200)), { maxKeys: 4 }),
          fc.constantFrom(undefined, 'gzip', 'br'),
          async (body, type, headers, encoding) => {
            cases++;
            const before = await rowCounts(service);
            const res = await fetch(url, {
              method: route.method === 'DELETE' ? 'DELETE' : route.method,
              body: route.method === 'GET' || route.method === 'HEAD' ? undefined : body,
              headers: { ...headers, ...(type ? { 'content-type': type } : {}), ...(encoding ? { 'content-encoding': encoding } : {}) },
            });
            await res.arrayBuffer();
            if (res.status >= 500) throw new Error(`${route.method} ${route.path} answered ${res.status}`);
            if (res.status >= 400) expect(await rowCounts(service)).toEqual(before);
          },
        ),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  }, 240_000);
});
