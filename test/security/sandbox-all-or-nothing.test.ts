import { createHmac } from 'node:crypto';
import { runCli } from '../../app/cli';
import type { CheckResult } from '../../app/doctor/checks';
import { SANDBOX_JIRA_WEBHOOK_SECRET, SANDBOX_TRELLO_API_SECRET, loadConfig, signTrelloBody, systemNames } from '../../core';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
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
