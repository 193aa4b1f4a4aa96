import { realSlack } from '../../app/slack-settings';
import { ConfigError } from '../../core';
import { translate } from '../../core/internal';
import { startTestService, type TestService } from '../helpers/service';
import { runCommand, slackOf, textOf } from './slack-helpers';

describe('installing the Slack app into another workspace (OAuth v2)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.dispose());

  async function install(team: string): Promise<{ status: number; text: string; redirect: URL }> {
    const start = await fetch(`${service.url}/slack/install`, { redirect: 'manual' });
    expect(start.status).toBe(302);
    const consent = new URL(start.headers.get('location')!);
    expect(consent.pathname).toBe('/sandbox/slack/oauth/v2/authorize');
    expect(consent.searchParams.get('scope')).toBe('commands,chat:write,im:write,users:read,users:read.email');
    expect(consent.searchParams.get('redirect_uri')).toBe(`${service.url}/slack/oauth_redirect`);
    consent.searchParams.set('team', team);
    const back = await fetch(consent, { redirect: 'manual' });
    const redirect = new URL(back.headers.get('location')!);
    // The browser brings back the state cookie /slack/install set (the flow is bound to it).
    const cookie = (start.headers.get('set-cookie') ?? '').split(';')[0]!;
    const done = await fetch(redirect, { headers: { cookie } });
    return { status: done.status, text: await done.text(), redirect };
  }

  it('stores the workspace bot token sealed and uses it for that workspace', async () => {
    const { status, text } = await install('T0OTHER');
    expect(status).toBe(200);
    // Installed, and told what is missing before its people can use it, in both languages.
    expect(text).toContain('een-bridge is installed in your Slack workspace, but its administrator has not allowed this workspace yet');
    expect(text).toContain('een-bridge orgs allow slack-team T0OTHER');
    expect(text).toContain('de beheerder heeft deze werkruimte nog niet toegestaan');
    const stored = await service.slackMeetings!.installations.find('T0OTHER');
    expect(stored).toMatchObject({ teamId: 'T0OTHER', botUserId: 'U0BOTT0OTHER' });
    expect(stored!.botToken).toMatch(/^xoxb-sandbox-T0OTHER-/);
    const sealed = await service.store.db.selectFrom('secrets').select('sealed').where('owner', '=', 'slack-team:T0OTHER').executeTakeFirstOrThrow();
    expect(sealed.sealed).not.toContain('xoxb');

    // Installing is the workspace's own decision; serving it is een-bridge's administrator's
    // (docs/security.md, "Served organisations"): until then its people are refused.
    const refused = await runCommand(service, 'help', 'U0OTHER', 'T0OTHER');
    expect(textOf(refused.answer)).toBe(translate('en', 'identity.notServed'));
    await service.organisations.allow('slack-team', 'T0OTHER', 'test');
    // A command from that workspace is authorised with its own token (the emulator knows no other for it).
    const { answer } = await runCommand(service, 'help', 'U0OTHER', 'T0OTHER');
    expect(textOf(answer)).toMatch(/\/webex list/);
    const lookup = await slackOf(service).waitFor((c) => c.method === 'users.info' && c.body.user === 'U0OTHER');
    expect(lookup.token).toBe(stored!.botToken);
    expect(slackOf(service).calls.some((c) => c.method === 'oauth.v2.access' && c.body.client_secret === '[hidden]')).toBe(true);
  });

  it('says only that it is installed when the workspace is served already', async () => {
    await service.organisations.allow('slack-team', 'T0SERVED', 'test');
    const { status, text } = await install('T0SERVED');
    expect(status).toBe(200);
    expect(text).toContain('een-bridge is installed in your Slack workspace. Type /webex help in any channel.');
    expect(text).not.toContain('orgs allow');
  });

  it('accepts a state once, and refuses an unknown one', async () => {
    const { redirect } = await install('T0THIRD');
    const again = await fetch(redirect);
    expect(again.status).toBe(400);
    expect(await again.text()).toMatch(/expired or was already used/);
    const forged = await fetch(`${service.url}/slack/oauth_redirect?code=x&state=forged`);
    expect(forged.status).toBe(400);
    expect(await service.slackMeetings!.installations.find('T0NOPE')).toBeUndefined();
  });
});

describe('real Slack settings', () => {
  const secret = { SLACK_SIGNING_SECRET: 's' };
  it('needs a bot token or an OAuth client', () => {
    expect(() => realSlack(secret, '')).toThrow(ConfigError);
    expect(realSlack({ ...secret, SLACK_BOT_TOKEN: 'xoxb-1' }, '').singleToken).toEqual({ botToken: 'xoxb-1' });
    const multi = realSlack({ ...secret, SLACK_CLIENT_ID: 'id', SLACK_CLIENT_SECRET: 'cs' }, 'https://bridge.example.nl');
    expect(multi.singleToken).toBeUndefined();
    expect(multi.install?.redirectUri()).toBe('https://bridge.example.nl/slack/oauth_redirect');
  });

  it('names the missing half of the OAuth client and the public URL', () => {
    expect(() => realSlack({ ...secret, SLACK_CLIENT_ID: 'id' }, 'https://x')).toThrow(/SLACK_CLIENT_SECRET/);
    expect(() => realSlack({ ...secret, SLACK_CLIENT_SECRET: 'cs' }, 'https://x')).toThrow(/SLACK_CLIENT_ID/);
    expect(() => realSlack({ ...secret, SLACK_CLIENT_ID: 'id', SLACK_CLIENT_SECRET: 'cs' }, '')).toThrow(/EEN_PUBLIC_URL/);
  });
});
