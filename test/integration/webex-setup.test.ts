import { runCli } from '../../app/cli';
import type { WebexWebhook } from '../../core';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { startTestService, type TestService } from '../helpers/service';

type Hook = WebexWebhook;

/** `webex setup` against the sandbox's Webex emulator, used as if it were the real API. */
describe('een-bridge webex setup', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
    // The sandbox service registered its own webhooks with the emulator at start; begin clean.
    const auth = { authorization: `Bearer ${SANDBOX_WEBEX_BOT_TOKEN}` };
    const existing = (await (await fetch(`${service.url}/sandbox/webex/v1/webhooks`, { headers: auth })).json()) as { items: Hook[] };
    for (const h of existing.items) await fetch(`${service.url}/sandbox/webex/v1/webhooks/${h.id}`, { method: 'DELETE', headers: auth });
  });
  afterAll(() => service.dispose());

  const env = (extra: Record<string, string> = {}) => ({
    EEN_DATA_DIR: service.dataDir,
    WEBEX_API_URL: `${service.url}/sandbox/webex/v1`,
    WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN,
    WEBEX_WEBHOOK_SECRET: 'first-secret',
    ...extra,
  });

  async function setup(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    return setupWith(env(), ...argv);
  }

  async function setupWith(environment: Record<string, string>, ...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['webex', 'setup', ...argv], { env: environment, cwd: service.dataDir, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  async function hooks(): Promise<Hook[]> {
    const res = await fetch(`${service.url}/sandbox/webex/v1/webhooks`, { headers: { authorization: `Bearer ${SANDBOX_WEBEX_BOT_TOKEN}` } });
    return ((await res.json()) as { items: Hook[] }).items;
  }

  it('registers messages and card actions once, updates them in place, and never duplicates', async () => {
    const first = await setup('--public-url', 'https://een.example.nl', '--json');
    expect(first.code).toBe(0);
    const created = JSON.parse(first.out) as { webhook: string; action: string }[];
    expect(created.map((r) => r.action)).toEqual(['created', 'created']);
    let registered = await hooks();
    expect(registered.map((h) => `${h.resource}/${h.event} -> ${h.targetUrl}`).sort()).toEqual([
      'attachmentActions/created -> https://een.example.nl/webex/events',
      'messages/created -> https://een.example.nl/webex/events',
    ]);

    const again = await setup('--public-url', 'https://een.example.nl', '--json');
    expect((JSON.parse(again.out) as { action: string }[]).map((r) => r.action)).toEqual(['unchanged', 'unchanged']);

    const moved = await setupWith(env({ WEBEX_WEBHOOK_SECRET: 'rotated-secret' }), '--public-url', 'https://een2.example.nl', '--json');
    expect((JSON.parse(moved.out) as { action: string }[]).map((r) => r.action)).toEqual(['updated', 'updated']);
    registered = await hooks();
    expect(registered).toHaveLength(2);
    for (const h of registered) expect(h).toMatchObject({ targetUrl: 'https://een2.example.nl/webex/events', secret: 'rotated-secret' });
  });

  it('removes a duplicate registration someone made by hand', async () => {
    await fetch(`${service.url}/sandbox/webex/v1/webhooks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_WEBEX_BOT_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'een-bridge messages', targetUrl: 'https://een2.example.nl/webex/events', resource: 'messages', event: 'created' }),
    });
    const result = await setupWith(env({ WEBEX_WEBHOOK_SECRET: 'rotated-secret' }), '--public-url', 'https://een2.example.nl', '--json');
    expect((JSON.parse(result.out) as { action: string }[]).map((r) => r.action)).toContain('removed (duplicate)');
    expect((await hooks()).filter((h) => h.resource === 'messages')).toHaveLength(1);
  });

  it('says which credential Webex refused, exit code 1', async () => {
    const result = await setupWith(env({ WEBEX_BOT_TOKEN: 'revoked' }), '--public-url', 'https://een.example.nl');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/check WEBEX_BOT_TOKEN/);
  });

  it.each([
    [['--public-url', 'https://een.example.nl/path'], /no path/],
    [[], /needs --public-url/],
  ])('refuses %p with usage and exit code 2', async (argv, message) => {
    const result = await setup(...argv);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });

  it('needs real bot settings', async () => {
    const result = await setupWith({ EEN_DATA_DIR: service.dataDir }, '--public-url', 'https://een.example.nl');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/needs WEBEX_BOT_TOKEN/);
  });
});
