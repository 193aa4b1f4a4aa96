import { INSTALL_STATE_COOKIE, signInstallState, verifyInstallState } from '../../slack-app/oauth-install';
import { startTestService, type TestService } from '../helpers/service';

/**
 * Issue 13, "unauthenticated amplification": every GET /slack/install wrote a row. The state is
 * now signed (HMAC, expiry) and bound to the browser by a cookie, as @slack/oauth's
 * ClearStateStore and InstallProvider do; the store is written only when Slack has granted an
 * installation (to refuse the same state twice).
 */
describe('the Slack install state', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.dispose());

  const rows = async (): Promise<number> =>
    Number((await service.store.db.selectFrom('slack_oauth_states').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('writes nothing to the store however often /slack/install is hit', async () => {
    for (let i = 0; i < 200; i += 1) {
      const r = await fetch(`${service.url}/slack/install`, { redirect: 'manual' });
      expect(r.status).toBe(302);
    }
    expect(await rows()).toBe(0);
  });

  async function start(): Promise<{ state: string; cookie: string; consent: URL }> {
    const r = await fetch(`${service.url}/slack/install`, { redirect: 'manual' });
    const consent = new URL(r.headers.get('location')!);
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${INSTALL_STATE_COOKIE}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Lax/);
    expect(setCookie).toMatch(/Path=\/slack\/oauth_redirect/);
    return { state: consent.searchParams.get('state')!, cookie: setCookie.split(';')[0]!, consent };
  }

  it('completes Slack OAuth v2 with the state round trip in the browser that started it, then writes one row', async () => {
    const { consent, cookie } = await start();
    consent.searchParams.set('team', 'T0SIGNED');
    const back = await fetch(consent, { redirect: 'manual' });
    const redirect = back.headers.get('location')!;
    const done = await fetch(redirect, { headers: { cookie } });
    expect(done.status).toBe(200);
    expect(await service.slackMeetings!.installations.find('T0SIGNED')).toBeDefined();
    expect(await rows()).toBe(1);
    expect(done.headers.get('set-cookie')).toMatch(/Max-Age=0/);

    const replay = await fetch(redirect, { headers: { cookie } });
    expect(replay.status).toBe(400);
  });

  it('refuses a state from another browser, a tampered state, an expired one and a missing one', async () => {
    const mine = await start();
    const theirs = await start();
    const redirect = (state: string) => `${service.url}/slack/oauth_redirect?code=x&state=${encodeURIComponent(state)}`;
    expect((await fetch(redirect(mine.state), { headers: { cookie: theirs.cookie } })).status).toBe(400);
    expect((await fetch(redirect(mine.state))).status).toBe(400);
    const tampered = `${mine.state.slice(0, -2)}${mine.state.endsWith('AA') ? 'BB' : 'AA'}`;
    expect((await fetch(redirect(tampered), { headers: { cookie: `${INSTALL_STATE_COOKIE}=${tampered}` } })).status).toBe(400);
    expect((await fetch(`${service.url}/slack/oauth_redirect?code=x`)).status).toBe(400);
  });

  it('signs with expiry: valid until the TTL, refused after, refused under another key', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const state = signInstallState('key-1', now, 600_000);
    expect(verifyInstallState('key-1', state, now + 599_000)).toBe(true);
    expect(verifyInstallState('key-1', state, now + 601_000)).toBe(false);
    expect(verifyInstallState('key-2', state, now)).toBe(false);
    expect(verifyInstallState('key-1', 'v1.zzzz.x.y', now)).toBe(false);
    expect(verifyInstallState('key-1', `${state}x`, now)).toBe(false);
  });
});
