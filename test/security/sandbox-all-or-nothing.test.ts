import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import { isSlackResponseUrl } from '../../app/slack-settings';
import { GraphApi } from '../../core/notifications/graph-client';
import { runCli } from '../../app/cli';
import type { CheckResult } from '../../app/doctor/checks';
import { SANDBOX_JIRA_WEBHOOK_SECRET, SANDBOX_TRELLO_API_SECRET, loadConfig, signTrelloBody, systemNames } from '../../core';
import { SANDBOX_WEBEX_BOT_TOKEN, SANDBOX_WEBEX_CLIENT_ID, WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { messagingOf } from '../../sandbox/webex-api/messaging-state';
import { SANDBOX_TRELLO_API_KEY, SANDBOX_TRELLO_BOARD_ID, SANDBOX_TRELLO_TOKEN } from '../../sandbox/trello-api/trello-emulator';
import { SANDBOX_GRAPH_DRIVE_ID, SANDBOX_GRAPH_TOKEN } from '../../sandbox/graph-api/graph-emulator';
import { SANDBOX_SLACK_CLIENT_ID } from '../../sandbox/slack-api/slack-emulator';
import { SANDBOX_SLACK_SIGNING_SECRET } from '../../sandbox/slack-api/slack-emulator';
import { postJiraWebhook } from '../helpers/jira';
import { startWebexOutside, type WebexOutside } from '../helpers/reliability';
import { startTestService, type TestService } from '../helpers/service';

/**
 * Issue 13, must-fix 4: "Partly configured = partly public". One real system used to leave
 * every other system in sandbox mode on the same public port, with the sandbox's secrets from
 * the source: a Jira webhook signed with the sandbox secret reached a real Webex space.
 */
describe('sandbox mode is all or nothing (configuration)', () => {
  it('one real system switches every system without settings off', () => {
    const config = loadConfig({ WEBEX_BOT_TOKEN: 'real-bot-token', WEBEX_WEBHOOK_SECRET: 'real-webhook-secret' });
    expect(config.mode).toBe('real');
    expect(config.modeReason).toMatch(/Webex bot/);
    for (const s of systemNames) expect(config.systems[s].mode).toBe(s === 'webexBot' ? 'real' : 'off');
  });

  it('an https public URL is a deployment: nothing is emulated', () => {
    const config = loadConfig({ EEN_PUBLIC_URL: 'https://een.example.nl' });
    expect(config.mode).toBe('real');
    for (const s of systemNames) expect(config.systems[s].mode).toBe('off');
  });

  it('sandbox mode listens on loopback unless EEN_HOST says otherwise; real mode on every interface', () => {
    expect(loadConfig({})).toMatchObject({ mode: 'sandbox', host: '127.0.0.1' });
    expect(loadConfig({ EEN_PUBLIC_URL: 'http://127.0.0.1:3978' })).toMatchObject({ mode: 'sandbox', host: '127.0.0.1' });
    expect(loadConfig({ EEN_HOST: '0.0.0.0' })).toMatchObject({ mode: 'sandbox', host: '0.0.0.0' });
    expect(loadConfig({ JIRA_WEBHOOK_SECRET: 'real' })).toMatchObject({ mode: 'real', host: '0.0.0.0' });
    expect(loadConfig({ JIRA_WEBHOOK_SECRET: 'real', EEN_HOST: '10.0.0.5' }).host).toBe('10.0.0.5');
  });
});

describe('a service with one real system (the Webex bot) and nothing else configured', () => {
  let webex: WebexOutside;
  let service: TestService;

  beforeAll(async () => {
    webex = await startWebexOutside();
    service = await startTestService({
      env: { WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN, WEBEX_WEBHOOK_SECRET: 'real-webex-secret', WEBEX_API_URL: `${webex.base}/v1` },
    });
  });
  afterAll(async () => {
    await service.dispose();
    await webex.close();
  });

  it('mounts no emulator at all', async () => {
    expect(service.emulators).toEqual([]);
    for (const name of ['webex', 'slack', 'xsi', 'teams', 'trello', 'graph']) {
      expect((await fetch(`${service.url}/sandbox/${name}/_log`)).status).toBe(404);
    }
    // The Webex emulator's OAuth authorize page, which used to redirect anywhere.
    const authorize = await fetch(`${service.url}/sandbox/webex/v1/authorize?client_id=sandbox-client-id&redirect_uri=https://evil.example&response_type=code`, { redirect: 'manual' });
    expect(authorize.status).toBe(404);
  });

  it('accepts no Jira webhook signed with the sandbox secret, and posts nothing to the real Webex', async () => {
    const before = webex.messages().length;
    const res = await postJiraWebhook(service.url, {
      timestamp: Date.now(),
      webhookEvent: 'jira:issue_created',
      issue: { id: '10001', key: 'KAN-1', self: 'https://example.atlassian.net/rest/api/2/issue/10001', fields: { summary: 'x', project: { key: 'KAN' } } },
    }, { secret: SANDBOX_JIRA_WEBHOOK_SECRET });
    expect(res.status).toBe(404);
    await new Promise((r) => setTimeout(r, 200));
    expect(webex.messages().length).toBe(before);
  });

  it('accepts no Trello webhook signed with the sandbox secret', async () => {
    const url = `${service.url}/hooks/trello`;
    const body = JSON.stringify({ action: { id: 'a1', type: 'createCard', date: new Date().toISOString(), data: { board: { id: 'b1' } } }, model: { id: 'b1' } });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-trello-webhook': signTrelloBody(body, url, SANDBOX_TRELLO_API_SECRET) }, body });
    expect(res.status).toBe(404);
  });

  it('accepts no Slack request signed with the sandbox signing secret', async () => {
    const body = 'command=%2Fwebex&text=list&user_id=U1&team_id=T1';
    const ts = String(Math.floor(Date.now() / 1000));
    const signature = `v0=${createHmac('sha256', SANDBOX_SLACK_SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const res = await fetch(`${service.url}/slack/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
      body,
    });
    expect(res.status).toBe(404);
  });

  it('takes no unauthenticated Teams activity (Bot Framework auth off only in sandbox mode)', async () => {
    const res = await fetch(`${service.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"message"}' });
    expect(res.status).toBe(404);
  });

  it('says at start-up which mode is in force and that systems without settings are off', () => {
    const lines = service.logLines().map((l) => String(l.msg));
    expect(lines.some((m) => m.startsWith('real mode (settings for Webex bot)'))).toBe(true);
    expect(lines).toContain('Jira Cloud: off (no settings)');
    expect(lines).toContain('Webex bot: real');
  });

  it('een-bridge doctor says so too', async () => {
    const out: string[] = [];
    await runCli(['doctor', '--json', '--timeout-ms', '3000'], {
      env: { EEN_DATA_DIR: service.dataDir, WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN, WEBEX_WEBHOOK_SECRET: 'real-webex-secret', WEBEX_API_URL: `${webex.base}/v1` },
      cwd: service.dataDir,
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    const rows = new Map((JSON.parse(out.join('\n')) as CheckResult[]).map((r) => [r.check, r]));
    expect(rows.get('mode')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^real \(settings for Webex bot\)/) });
    expect(rows.get('Jira Cloud')).toMatchObject({ status: 'skipped', detail: expect.stringMatching(/^off \(no settings/) });
  });
});

describe('a service in sandbox mode', () => {
  it('listens on loopback by default and says it is in sandbox mode', async () => {
    const config = loadConfig({});
    expect(config.host).toBe('127.0.0.1');
    const service = await startTestService();
    try {
      expect(service.logLines().some((l) => String(l.msg).startsWith('sandbox mode (no system has settings)'))).toBe(true);
    } finally {
      await service.dispose();
    }
  });
});

describe('links a real service follows, from what it receives', () => {
  it("follows a Slack response_url only on Slack's own host", () => {
    expect(isSlackResponseUrl('https://hooks.slack.com/commands/T0001/1234/abcd')).toBe(true);
    expect(isSlackResponseUrl('https://hooks.slack.com/actions/T0001/1234/abcd')).toBe(true);
    for (const url of ['http://hooks.slack.com/commands/x', 'https://hooks.slack.com.evil.example/x', 'https://hooks.slack.com:8443/x', 'http://169.254.169.254/latest/meta-data', 'https://evil.example/hooks.slack.com', 'not a url']) {
      expect(isSlackResponseUrl(url)).toBe(false);
    }
  });

  it('refuses a signed Slack command whose response_url is elsewhere (real Slack)', async () => {
    const webex = await startWebexOutside();
    const secret = 'real-slack-signing-secret';
    const service = await startTestService({
      env: { SLACK_SIGNING_SECRET: secret, SLACK_BOT_TOKEN: 'xoxb-real', WEBEX_CLIENT_ID: 'c', WEBEX_CLIENT_SECRET: 's', WEBEX_API_URL: `${webex.base}/v1` },
    });
    try {
      const body = new URLSearchParams({ command: '/webex', text: 'list', user_id: 'U1', team_id: 'T1', channel_id: 'C1', trigger_id: 't', response_url: 'http://169.254.169.254/latest/meta-data' }).toString();
      const ts = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
      const res = await fetch(`${service.url}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
        body,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'slack.badResponseUrl' } });
    } finally {
      await service.dispose();
      await webex.close();
    }
  });

  it('sends the Graph app token to no origin but the configured Graph host', async () => {
    let tokens = 0;
    const graph = new GraphApi({ baseUrl: () => 'https://graph.microsoft.com/v1.0', token: async () => `t${++tokens}` });
    for (const link of ['https://evil.example/v1.0/drives/x/root/delta?token=1', 'http://graph.microsoft.com/v1.0/drives/x/root/delta', 'https://graph.microsoft.com.evil.example/v1.0/x']) {
      await expect(graph.deltaPage({ link })).rejects.toMatchObject({ system: 'Microsoft Graph' });
    }
    expect(tokens).toBe(0);
  });
});

describe('the emulators (sandbox mode) are no open redirect and no way into the network', () => {
  let service: TestService;
  // A server on this machine's network address (not loopback), standing in for anything on the
  // network an emulator could be made to call; it answers 200 to everything and counts.
  let inside: Server;
  let insideUrl: string;
  let calls = 0;
  beforeAll(async () => {
    service = await startTestService();
    const address = Object.values(os.networkInterfaces()).flat().find((i) => i?.family === 'IPv4' && !i.internal)?.address;
    if (!address) throw new Error('this test needs a non-loopback IPv4 address on the machine');
    inside = createServer((req, res) => {
      calls += 1;
      res.writeHead(200, { 'content-type': 'text/plain' }).end(new URL(req.url ?? '/', 'http://x').searchParams.get('validationToken') ?? 'ok');
    });
    await new Promise<void>((resolve) => inside.listen(0, address, resolve));
    insideUrl = `http://${address}:${(inside.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await service.dispose();
    await new Promise((r) => inside.close(r));
  });

  it("Webex's authorize sends a browser only to a registered redirect URI (RFC 6749 4.1.2.1)", async () => {
    // `email` signs in as that person (without it the emulator shows its sign-in page first).
    const authorize = (clientId: string, redirectUri: string) =>
      fetch(`${service.url}/sandbox/webex/v1/authorize?${new URLSearchParams({ client_id: clientId, response_type: 'code', redirect_uri: redirectUri, state: 's', email: 'anna@example.com' })}`, { redirect: 'manual' });
    for (const [clientId, uri] of [[SANDBOX_WEBEX_CLIENT_ID, 'https://evil.example/steal'], [SANDBOX_WEBEX_CLIENT_ID, `${service.url}/oauth/webex/callback/../../evil`], ['someone-else', `${service.url}/oauth/webex/callback`]] as const) {
      const res = await authorize(clientId, uri);
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.json()).toMatchObject({ message: expect.stringMatching(/redirect_uri/), trackingId: expect.any(String) });
    }
    expect((await authorize(SANDBOX_WEBEX_CLIENT_ID, `${service.url}/oauth/webex/callback`)).status).toBe(302);
  });

  it("Slack's authorize sends a browser only to the app's Redirect URL", async () => {
    const res = await fetch(`${service.url}/sandbox/slack/oauth/v2/authorize?${new URLSearchParams({ client_id: SANDBOX_SLACK_CLIENT_ID, redirect_uri: 'https://evil.example/', state: 's' })}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const ok = await fetch(`${service.url}/sandbox/slack/oauth/v2/authorize?${new URLSearchParams({ client_id: SANDBOX_SLACK_CLIENT_ID, redirect_uri: `${service.url}/slack/oauth_redirect`, state: 's' })}`, { redirect: 'manual' });
    expect(ok.status).toBe(302);
  });

  it('Trello never calls a callbackURL off this machine (HEAD check fails as unreachable)', async () => {
    const before = calls;
    const q = new URLSearchParams({ key: SANDBOX_TRELLO_API_KEY, token: SANDBOX_TRELLO_TOKEN, idModel: SANDBOX_TRELLO_BOARD_ID, callbackURL: `${insideUrl}/trello` });
    const res = await fetch(`${service.url}/sandbox/trello/1/webhooks?${q}`, { method: 'POST' });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/did not return 200 status code, got 0/);
    expect(calls).toBe(before);
  });

  it('Graph never validates a notificationUrl off this machine', async () => {
    const before = calls;
    const res = await fetch(`${service.url}/sandbox/graph/v1.0/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_GRAPH_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ changeType: 'updated', notificationUrl: `${insideUrl}/graph`, resource: `drives/${SANDBOX_GRAPH_DRIVE_ID}/root`, expirationDateTime: new Date(Date.now() + 3600_000).toISOString() }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'ValidationError' } });
    expect(calls).toBe(before);
  });

  it('Webex never delivers a webhook off this machine', async () => {
    const webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    const base = `${service.url}/sandbox/webex/v1`;
    const call = (method: string, path: string, body: unknown) =>
      fetch(`${base}${path}`, { method, headers: { authorization: `Bearer ${SANDBOX_WEBEX_BOT_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const targetUrl = `${insideUrl}/hook`;
    expect((await call('POST', '/webhooks', { name: 'x', targetUrl, resource: 'messages', event: 'created' })).status).toBe(200);
    const state = messagingOf(webex.context);
    const before = state.webhookDeliveries.length;
    const callsBefore = calls;
    await call('POST', '/messages', { toPersonEmail: 'someone@example.com', text: 'hoi' });
    await state.settled();
    const added = state.webhookDeliveries.slice(before).filter((d) => d.targetUrl === targetUrl);
    expect(added.length).toBeGreaterThan(0);
    expect(added.every((d) => d.status === 'failed')).toBe(true);
    expect(calls).toBe(callsBefore);
  });
});
