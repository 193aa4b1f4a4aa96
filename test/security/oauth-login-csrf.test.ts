import { connectHint, translate } from '../../core';
import { WEBEX_OAUTH_COOKIE } from '../../inbound';
import { startTestService, type TestService } from '../helpers/service';
import { buttonUrl, openConnectLink, runCommand, slackOf } from '../slack/slack-helpers';

/**
 * Issue 13, must-fix 5: "Webex OAuth login-CSRF". A Connect link made for one Slack user,
 * opened by another person, linked that person's Webex account to the first user.
 */
describe('connecting a Webex account (login CSRF)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
    // Eve, the Slack user who makes the link; Bob, who is tricked into opening it (Dutch).
    slackOf(service).addUser({ id: 'U0EVE', name: 'eve', realName: 'Eve', email: 'eve@example.com', tz: 'Europe/Amsterdam', locale: 'en-US' });
    slackOf(service).addUser({ id: 'U0BOB', name: 'bob', realName: 'Bob', email: 'bob@example.com', tz: 'Europe/Amsterdam', locale: 'nl-NL' });
    // Their verified Slack addresses are kept (and so can be checked) in a domain the administrator allowed.
    await service.organisations.allow('email-domain', 'example.com', 'test:admin');
  });
  afterAll(() => service.dispose());

  const linkFor = async (user: string) => buttonUrl((await runCommand(service, 'connect', user)).answer);
  const connected = async (user: string) => {
    const { answer } = await runCommand(service, 'list', user);
    return !String(answer.body.text ?? '').match(/not connected|niet gekoppeld/);
  };

  it('refuses a link opened by someone whose Webex account has another e-mail address, in the language of the link\'s user', async () => {
    const link = await linkFor('U0EVE');
    // Bob opens Eve's link and signs in to Webex as himself.
    const callback = await openConnectLink(link, 'bob@example.com');
    expect(callback.status).toBe(403);
    expect(await callback.text()).toContain(translate('en-US', 'meetings.oauth.wrongAccount', connectHint('en-US', 'slack')).replace(/'/g, '&#39;'));
    expect(await connected('U0EVE')).toBe(false);
  });

  it('refuses a callback that comes back to another browser than the one that opened the link', async () => {
    const link = await linkFor('U0BOB');
    // The link is opened in one browser…
    const opened = await fetch(link, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    const setCookie = opened.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${WEBEX_OAUTH_COOKIE}=[A-Za-z0-9_-]{20,};`));
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\/oauth\/webex/);
    const authorizeUrl = new URL(opened.headers.get('location')!);
    authorizeUrl.searchParams.set('email', 'bob@example.com');
    const authorize = await fetch(authorizeUrl, { redirect: 'manual' });
    // …and the callback (with its code) arrives in a browser without that cookie.
    const elsewhere = await fetch(authorize.headers.get('location')!);
    expect(elsewhere.status).toBe(403);
    expect(await elsewhere.text()).toContain(translate('nl-NL', 'meetings.oauth.otherBrowser', connectHint('nl-NL', 'slack')));
    expect(await connected('U0BOB')).toBe(false);
  });

  it('binds a link to the first browser that opens it', async () => {
    const link = await linkFor('U0BOB');
    const first = await fetch(link, { redirect: 'manual' });
    expect(first.status).toBe(302);
    const second = await fetch(link, { redirect: 'manual' });
    expect(second.status).toBe(403);
    const page = await second.text();
    expect(page).toContain(translate('nl-NL', 'meetings.oauth.otherBrowser', connectHint('nl-NL', 'slack')));
    // A link made in Slack says the Slack way to ask again.
    expect(page).toContain('typ /webex connect in Slack');
    // The first browser may open it again (a reload).
    const again = await fetch(link, { redirect: 'manual', headers: { cookie: (first.headers.get('set-cookie') ?? '').split(';')[0]! } });
    expect(again.status).toBe(302);
  });

  it('connects the person whose Webex account has their Slack e-mail address, in the browser that opened the link', async () => {
    const callback = await openConnectLink(await linkFor('U0BOB'), 'Bob@Example.com');
    expect(callback.status).toBe(200);
    expect(await callback.text()).toContain(translate('nl-NL', 'meetings.oauth.connected'));
    expect(callback.headers.get('set-cookie')).toMatch(new RegExp(`^${WEBEX_OAUTH_COOKIE}=; .*Max-Age=0`));
    expect(await connected('U0BOB')).toBe(true);
  });
});
