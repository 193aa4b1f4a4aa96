import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { SecretStore, TokenVault, UserDirectory, WebexAccounts, openStore, type Clock, type Store } from '../../core/internal';

const api = 'https://webexapis.test/v1';

describe('WebexAccounts (OAuth authorization code)', () => {
  let store: Store;
  let accounts: WebexAccounts;
  let secrets: SecretStore;
  let userId: string;
  let otherId: string;
  let now = new Date('2026-11-28T07:00:00Z');
  const clock: Clock = { now: () => now };

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1:') || host.startsWith('localhost:'));
    store = openStore({ kind: 'sqlite', file: ':memory:' });
    await store.migrate();
    secrets = new SecretStore(store.db, new TokenVault(randomBytes(32)), clock);
    const users = new UserDirectory(store.db, clock);
    userId = (await users.create({ email: 'anna@example.com' })).id;
    otherId = (await users.create({ email: 'bob@example.com' })).id;
    accounts = new WebexAccounts({
      db: store.db,
      secrets,
      clientId: 'client-1',
      clientSecret: 'secret-1',
      apiUrl: () => api,
      redirectUri: () => 'https://bridge.test/oauth/webex/callback',
      connectUri: () => 'https://bridge.test/oauth/webex/connect',
      clock,
    });
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.enableNetConnect();
    await store.close();
  });

  /** Makes a Connect link and opens it in a browser; the state and that browser's cookie. */
  async function open(user: string): Promise<{ state: string; browser: string }> {
    const state = new URL(await accounts.beginConnect(user)).searchParams.get('state')!;
    const opened = await accounts.openConnect(state, undefined);
    return { state, browser: opened.browserToken };
  }
  let browser = '';
  async function connect(user: string): Promise<string> {
    const opened = await open(user);
    browser = opened.browser;
    return opened.state;
  }
  /** Webex's GET /people/me for the account that consented. */
  const me = (email: string) => nock(api).get('/people/me').reply(200, { id: 'p1', emails: [email], displayName: 'x' });

  it('gives a Connect link to this service, which sends the browser on to the consent URL with client id, redirect URI, scopes and a random state', async () => {
    const link = new URL(await accounts.beginConnect(userId));
    expect(`${link.origin}${link.pathname}`).toBe('https://bridge.test/oauth/webex/connect');
    const url = new URL((await accounts.openConnect(link.searchParams.get('state')!, undefined)).authorizeUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${api}/authorize`);
    expect(url.searchParams.get('client_id')).toBe('client-1');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('redirect_uri')).toBe('https://bridge.test/oauth/webex/callback');
    expect(url.searchParams.get('scope')).toContain('meeting:schedules_write');
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(32);
  });

  it('trades the code for tokens, stores them sealed, and binds them to the state owner', async () => {
    const state = await connect(otherId);
    nock(api)
      .post('/access_token', (body: Record<string, string>) =>
        body.grant_type === 'authorization_code' && body.code === 'code-1' && body.client_secret === 'secret-1' &&
        body.redirect_uri === 'https://bridge.test/oauth/webex/callback')
      .reply(200, { access_token: 'at-1', expires_in: 1209600, refresh_token: 'rt-1', refresh_token_expires_in: 7776000, token_type: 'Bearer' });
    me('Bob@Example.com');
    expect(await accounts.completeConnect(state, 'code-1', browser)).toBe(otherId);
    expect(await accounts.isConnected(otherId)).toBe(true);
    expect(await accounts.isConnected(userId)).toBe(false);
    const row = await store.db.selectFrom('secrets').select('sealed').where('owner', '=', otherId).executeTakeFirstOrThrow();
    expect(row.sealed).not.toContain('at-1');
    expect(await accounts.credentialsFor(otherId).accessToken()).toBe('at-1');
  });

  it('accepts a state only once', async () => {
    const state = await connect(userId);
    nock(api).post('/access_token').reply(200, { access_token: 'at-2', expires_in: 3600, refresh_token: 'rt-2' });
    me('anna@example.com');
    await accounts.completeConnect(state, 'code-2', browser);
    await expect(accounts.completeConnect(state, 'code-2', browser)).rejects.toMatchObject({ key: 'meetings.oauth.badState' });
  });

  it('refuses an unknown or expired state without calling Webex', async () => {
    await expect(accounts.completeConnect('made-up', 'code', 'x')).rejects.toMatchObject({ key: 'meetings.oauth.badState' });
    const state = await connect(userId);
    now = new Date(now.getTime() + 11 * 60_000);
    await expect(accounts.completeConnect(state, 'code', browser)).rejects.toMatchObject({ key: 'meetings.oauth.badState' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('refreshes the access token before it expires', async () => {
    const state = await connect(userId);
    nock(api).post('/access_token').reply(200, { access_token: 'short', expires_in: 600, refresh_token: 'rt-3' });
    me('anna@example.com');
    await accounts.completeConnect(state, 'code-3', browser);
    expect(await accounts.credentialsFor(userId).accessToken()).toBe('short');
    now = new Date(now.getTime() + 6 * 60_000); // 4 minutes left: inside the 5-minute margin
    const refresh = nock(api)
      .post('/access_token', (body: Record<string, string>) => body.grant_type === 'refresh_token' && body.refresh_token === 'rt-3')
      .reply(200, { access_token: 'fresh', expires_in: 1209600, refresh_token: 'rt-4' });
    const creds = accounts.credentialsFor(userId);
    const [a, b] = await Promise.all([creds.accessToken(), creds.accessToken()]);
    expect([a, b]).toEqual(['fresh', 'fresh']);
    refresh.done();
  });

  it('asks to reconnect when Webex refuses the refresh token', async () => {
    nock(api).post('/access_token').reply(400, { message: 'invalid refresh token' });
    await expect(accounts.credentialsFor(userId).refresh()).rejects.toMatchObject({ key: 'meetings.reconnect' });
  });

  it('disconnect deletes the tokens', async () => {
    expect(await accounts.disconnect(userId)).toBe(true);
    expect(await accounts.isConnected(userId)).toBe(false);
    await expect(accounts.credentialsFor(userId).accessToken()).rejects.toMatchObject({ key: 'meetings.notConnected' });
  });
});

// nock patches node:http for the whole Jest worker, and a later test file in it would still go
// through it (its keep-alive agent's sockets were not reused: test/unit/http-transport.test.ts).
afterAll(() => nock.restore());
