import { randomBytes } from 'node:crypto';
import nock from 'nock';
import { SecretStore, TokenVault, UserDirectory, WebexAccounts, openStore, type Clock, type Store } from '../../core';

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
      clock,
    });
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    nock.enableNetConnect();
    await store.close();
  });

  async function connect(user: string): Promise<string> {
    const url = new URL(await accounts.beginConnect(user));
    return url.searchParams.get('state')!;
  }

  it('builds the consent URL with client id, redirect URI, scopes and a random state', async () => {
    const url = new URL(await accounts.beginConnect(userId));
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
    expect(await accounts.completeConnect(state, 'code-1')).toBe(otherId);
    expect(await accounts.isConnected(otherId)).toBe(true);
    expect(await accounts.isConnected(userId)).toBe(false);
    const row = await store.db.selectFrom('secrets').select('sealed').where('owner', '=', otherId).executeTakeFirstOrThrow();
    expect(row.sealed).not.toContain('at-1');
    expect(await accounts.credentialsFor(otherId).accessToken()).toBe('at-1');
  });

  it('accepts a state only once', async () => {
    const state = await connect(userId);
    nock(api).post('/access_token').reply(200, { access_token: 'at-2', expires_in: 3600, refresh_token: 'rt-2' });
    await accounts.completeConnect(state, 'code-2');
    await expect(accounts.completeConnect(state, 'code-2')).rejects.toMatchObject({ key: 'meetings.oauth.badState' });
  });

  it('refuses an unknown or expired state without calling Webex', async () => {
    await expect(accounts.completeConnect('made-up', 'code')).rejects.toMatchObject({ key: 'meetings.oauth.badState' });
    const state = await connect(userId);
    now = new Date(now.getTime() + 11 * 60_000);
    await expect(accounts.completeConnect(state, 'code')).rejects.toMatchObject({ key: 'meetings.oauth.badState' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('refreshes the access token before it expires', async () => {
    const state = await connect(userId);
    nock(api).post('/access_token').reply(200, { access_token: 'short', expires_in: 600, refresh_token: 'rt-3' });
    await accounts.completeConnect(state, 'code-3');
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
