import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../app/cli';
import { frameworkWebhookName, type WebexWebhook } from '../../core/internal';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { startWebexOutside, type WebexOutside } from '../helpers/reliability';
import { startTestService } from '../helpers/service';
import { freePort } from '../helpers/processes';

type Row = { webhook: string; resource: string; targetUrl: string; action?: string; plan?: string };

/**
 * `webex setup` against the Webex emulator on its own server, used as the real API would be;
 * and a service starting against it, as after an upgrade from the version whose setup made
 * "een-bridge messages" and "een-bridge card actions".
 */
describe('een-bridge webex setup', () => {
  let webex: WebexOutside;
  let botEmail: string;
  let dataDir: string;
  const auth = { authorization: `Bearer ${SANDBOX_WEBEX_BOT_TOKEN}` };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-webex-setup-'));
    webex = await startWebexOutside();
    const me = (await (await fetch(`${webex.base}/v1/people/me`, { headers: auth })).json()) as { emails: string[] };
    botEmail = me.emails[0]!;
  });
  afterAll(async () => {
    await webex.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    for (const h of await hooks()) await fetch(`${webex.base}/v1/webhooks/${h.id}`, { method: 'DELETE', headers: auth });
  });

  const env = (extra: Record<string, string> = {}) => ({
    EEN_DATA_DIR: dataDir,
    WEBEX_API_URL: `${webex.base}/v1`,
    WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN,
    WEBEX_WEBHOOK_SECRET: 'first-secret',
    ...extra,
  });

  async function setupWith(environment: Record<string, string>, ...argv: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(['webex', 'setup', ...argv], { env: environment, cwd: dataDir, out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  async function setupRows(environment: Record<string, string>, ...argv: string[]): Promise<Row[]> {
    const result = await setupWith(environment, ...argv, '--json');
    expect({ code: result.code, err: result.err }).toEqual({ code: 0, err: '' });
    return JSON.parse(result.out) as Row[];
  }

  async function hooks(): Promise<WebexWebhook[]> {
    return ((await (await fetch(`${webex.base}/v1/webhooks`, { headers: auth })).json()) as { items: WebexWebhook[] }).items;
  }

  async function register(name: string, targetUrl: string, resource: string, event: string): Promise<void> {
    const res = await fetch(`${webex.base}/v1/webhooks`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ name, targetUrl, resource, event, secret: 'old-secret' }),
    });
    expect(res.status).toBe(200);
  }

  const shape = (all: WebexWebhook[]) => all.map((h) => `${h.name} ${h.resource}/${h.event} -> ${h.targetUrl}`).sort();

  it("registers the bot framework's pair once, updates it in place, and never duplicates", async () => {
    const first = await setupRows(env(), '--public-url', 'https://een.example.nl');
    expect(first.map((r) => [r.webhook, r.resource, r.action])).toEqual([
      ['bot framework: all events (een.example.nl)', 'all/all', 'created'],
      ['bot framework: card actions (een.example.nl)', 'attachmentActions/created', 'created'],
    ]);
    const name = frameworkWebhookName('https://een.example.nl/webex/events', botEmail);
    expect(shape(await hooks())).toEqual([
      `${name} all/all -> https://een.example.nl/webex/events`,
      `${name} attachmentActions/created -> https://een.example.nl/webex/events`,
    ]);

    expect((await setupRows(env(), '--public-url', 'https://een.example.nl')).map((r) => r.action)).toEqual(['unchanged', 'unchanged']);

    const rotated = await setupRows(env({ WEBEX_WEBHOOK_SECRET: 'rotated-secret' }), '--public-url', 'https://een.example.nl');
    expect(rotated.map((r) => r.action)).toEqual(['updated', 'updated']);
    const now = await hooks();
    expect(now).toHaveLength(2);
    for (const h of now) expect(h).toMatchObject({ name, targetUrl: 'https://een.example.nl/webex/events', secret: 'rotated-secret', status: 'active' });
  });

  it('removes the webhooks older een-bridge versions made, and copies of its own', async () => {
    await register('een-bridge messages', 'https://een.example.nl/webex/events', 'messages', 'created');
    await register('een-bridge card actions', 'https://een.example.nl/webex/events', 'attachmentActions', 'created');
    const name = frameworkWebhookName('https://een.example.nl/webex/events', botEmail);
    await register(name, 'https://een.example.nl/webex/events', 'all', 'all');
    await register(name, 'https://een.example.nl/webex/events', 'all', 'all');

    const rows = await setupRows(env(), '--public-url', 'https://een.example.nl');
    expect(rows.map((r) => `${r.webhook}: ${r.action}`)).toEqual([
      'bot framework: all events (een.example.nl): updated',
      'bot framework: all events (een.example.nl): removed (duplicate)',
      'bot framework: card actions (een.example.nl): created',
      'een-bridge messages: removed (old een-bridge webhook)',
      'een-bridge card actions: removed (old een-bridge webhook)',
    ]);
    expect(shape(await hooks())).toEqual([
      `${name} all/all -> https://een.example.nl/webex/events`,
      `${name} attachmentActions/created -> https://een.example.nl/webex/events`,
    ]);
  });

  it("keeps the bot's webhooks for an earlier public URL unless told, and never touches others'", async () => {
    await setupRows(env(), '--public-url', 'https://oud.example.nl');
    await register('Jira automation', 'https://automation.example.nl/in', 'messages', 'created');

    const moved = await setupRows(env(), '--public-url', 'https://nieuw.example.nl');
    expect(moved.map((r) => `${r.webhook}: ${r.action}`)).toEqual([
      'bot framework: all events (nieuw.example.nl): created',
      'bot framework: card actions (nieuw.example.nl): created',
      'bot framework (oud.example.nl): left alone (other host; --prune-other-hosts removes it)',
      'bot framework (oud.example.nl): left alone (other host; --prune-other-hosts removes it)',
      'Jira automation: left alone (not een-bridge)',
    ]);
    expect(await hooks()).toHaveLength(5);

    const pruned = await setupRows(env(), '--public-url', 'https://nieuw.example.nl', '--prune-other-hosts');
    expect(pruned.map((r) => r.action)).toEqual(['unchanged', 'unchanged', 'removed (other host)', 'removed (other host)', 'left alone (not een-bridge)']);
    expect((await hooks()).map((h) => h.targetUrl).sort()).toEqual([
      'https://automation.example.nl/in',
      'https://nieuw.example.nl/webex/events',
      'https://nieuw.example.nl/webex/events',
    ]);
  });

  it('--dry-run lists what is registered and what setup would do, changing nothing', async () => {
    await register('een-bridge messages', 'https://een.example.nl/webex/events', 'messages', 'created');
    const before = await hooks();
    const plan = await setupRows(env(), '--public-url', 'https://een.example.nl', '--dry-run');
    expect(plan.map((r) => `${r.resource} ${r.plan}`)).toEqual(['all/all create', 'attachmentActions/created create', 'messages/created remove old een-bridge webhook']);
    expect(await hooks()).toEqual(before);

    const table = await setupWith(env(), '--public-url', 'https://een.example.nl', '--dry-run');
    expect(table.out.split('\n')[0]).toMatch(/^WEBHOOK\s+RESOURCE\s+TARGET URL\s+PLAN$/);
  });

  it('the service, starting after an upgrade, removes the old webhooks and registers what setup would', async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    await register('een-bridge messages', `${publicUrl}/webex/events`, 'messages', 'created');
    await register('een-bridge card actions', `${publicUrl}/webex/events`, 'attachmentActions', 'created');
    // Another deployment's old webhook is not this service's to remove.
    await register('een-bridge messages', 'https://elders.example.nl/webex/events', 'messages', 'created');
    const secret = 'upgrade-webex-secret';
    const service = await startTestService({
      env: { EEN_PORT: String(port), EEN_PUBLIC_URL: publicUrl, WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN, WEBEX_WEBHOOK_SECRET: secret, WEBEX_API_URL: `${webex.base}/v1` },
    });
    try {
      const name = frameworkWebhookName(`${publicUrl}/webex/events`, botEmail);
      expect(shape(await hooks())).toEqual([
        `${name} all/all -> ${publicUrl}/webex/events`,
        `${name} attachmentActions/created -> ${publicUrl}/webex/events`,
        'een-bridge messages messages/created -> https://elders.example.nl/webex/events',
      ]);
      expect(service.logLines().some((l) => l.msg === 'removed the Webex webhooks an older een-bridge registered')).toBe(true);
      // The framework's name is the one setup computes, so setup finds the pair current.
      const rows = await setupRows(env({ WEBEX_WEBHOOK_SECRET: secret }), '--public-url', publicUrl);
      expect(rows.map((r) => `${r.webhook}: ${r.action}`)).toEqual([
        'bot framework: all events (127.0.0.1:' + port + '): unchanged',
        'bot framework: card actions (127.0.0.1:' + port + '): unchanged',
        'een-bridge messages (elders.example.nl): left alone (other host; --prune-other-hosts removes it)',
      ]);
    } finally {
      await service.dispose();
    }
  });

  it('says which credential Webex refused, exit code 1', async () => {
    const result = await setupWith(env({ WEBEX_BOT_TOKEN: 'revoked' }), '--public-url', 'https://een.example.nl');
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/check WEBEX_BOT_TOKEN/);
    expect(await hooks()).toEqual([]);
  });

  it.each([
    [['--public-url', 'https://een.example.nl/path'], /no path/],
    [[], /needs --public-url/],
    [['--public-url', 'https://een.example.nl', 'extra'], /unknown subcommand/],
  ])('refuses %p with usage and exit code 2', async (argv, message) => {
    const result = await setupWith(env(), ...argv);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });

  it('needs real bot settings', async () => {
    const result = await setupWith({ EEN_DATA_DIR: dataDir }, '--public-url', 'https://een.example.nl');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/needs WEBEX_BOT_TOKEN/);
  });
});
