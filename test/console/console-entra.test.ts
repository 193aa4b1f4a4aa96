import nock from 'nock';
import { CookieJar, visit } from '../helpers/console';
import { startTestService, type TestService } from '../helpers/service';

// The console's sign-in against Microsoft Entra ID itself (CONSOLE_* set): msal-node talks to
// login.microsoftonline.com, played here by nock with the shapes of the Microsoft identity
// platform docs ("OpenID Connect on the Microsoft identity platform", "Find your app's OpenID
// configuration document URI"; "Microsoft identity platform and OAuth 2.0 authorization code
// flow", "Successful response").
const TENANT = '3f2b7c1e-4d5a-4b6c-9e8f-0a1b2c3d4e5f';
const CLIENT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
const GROUP = 'b7c6d5e4-0000-4000-8000-00000000ad77';
const LOGIN = 'https://login.microsoftonline.com';

function openIdConfiguration() {
  return {
    token_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
    jwks_uri: `${LOGIN}/${TENANT}/discovery/v2.0/keys`,
    response_modes_supported: ['query', 'fragment', 'form_post'],
    subject_types_supported: ['pairwise'],
    id_token_signing_alg_values_supported: ['RS256'],
    response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
    scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
    issuer: `${LOGIN}/${TENANT}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: 'https://graph.microsoft.com/oidc/userinfo',
    authorization_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${LOGIN}/${TENANT}/oauth2/v2.0/logout`,
    claims_supported: ['sub', 'iss', 'cloud_instance_name', 'cloud_instance_host_name', 'cloud_graph_host_name', 'msgraph_host', 'aud', 'exp', 'iat', 'auth_time', 'acr', 'nonce', 'preferred_username', 'name', 'tid', 'ver', 'at_hash', 'c_hash', 'email'],
    kerberos_endpoint: `${LOGIN}/${TENANT}/kerberos`,
    tenant_region_scope: 'EU',
    cloud_instance_name: 'microsoftonline.com',
    cloud_graph_host_name: 'graph.windows.net',
    msgraph_host: 'graph.microsoft.com',
    rbac_url: 'https://pas.windows.net',
  };
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
/** An ID token as Entra issues it (msal-node reads its claims; TLS vouches for it, OIDC Core §3.1.3.7). */
function idToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  return [b64({ typ: 'JWT', alg: 'RS256', kid: 'test-key' }), b64({ aud: CLIENT, iss: `${LOGIN}/${TENANT}/v2.0`, iat: now, nbf: now, exp: now + 3600, tid: TENANT, ver: '2.0', sub: 'sub-1', ...claims }), 'c2lnbmF0dXJl'].join('.');
}

jest.setTimeout(60_000);

describe('console sign-in with Microsoft Entra ID (CONSOLE_* set)', () => {
  let service: TestService;
  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1:') || host.startsWith('localhost:'));
    nock.enableNetConnect(/127\.0\.0\.1/);
    service = await startTestService({
      env: {
        EEN_PUBLIC_URL: 'https://een.example.nl',
        CONSOLE_TENANT_ID: TENANT,
        CONSOLE_CLIENT_ID: CLIENT,
        CONSOLE_CLIENT_SECRET: 'console-client-secret-for-tests',
        CONSOLE_ADMIN_GROUP: GROUP,
      },
    });
  });
  afterAll(async () => {
    nock.cleanAll();
    nock.enableNetConnect();
    await service?.dispose();
  });

  /** Starts a sign-in as a browser behind the https proxy would, and returns the authorize request. */
  async function start(jar: CookieJar): Promise<URL> {
    nock(LOGIN).get(`/${TENANT}/v2.0/.well-known/openid-configuration`).optionally().reply(200, openIdConfiguration());
    const res = await visit(jar, `${service.url}/console/sign-in`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!);
  }

  it('sends the browser to Entra with PKCE (S256), state, nonce and the public redirect URI', async () => {
    const jar = new CookieJar();
    const authorize = await start(jar);
    expect(`${authorize.origin}${authorize.pathname}`).toBe(`${LOGIN}/${TENANT}/oauth2/v2.0/authorize`);
    const q = authorize.searchParams;
    expect(q.get('client_id')).toBe(CLIENT);
    expect(q.get('response_type')).toBe('code');
    expect(q.get('redirect_uri')).toBe('https://een.example.nl/console/callback');
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(q.get('state')).toMatch(/^[\w-]{20,}$/);
    expect(q.get('nonce')).toMatch(/^[\w-]{20,}$/);
    expect(q.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    expect(jar.has('__Host-een_console_signin')).toBe(true);
  });

  it.each([
    ['a member of the admin group', { groups: ['0000', GROUP] }, true],
    ['someone with the admin app role', { roles: [GROUP] }, true],
    ['anyone else', { groups: ['0000'] }, false],
  ])('redeems the code with the verifier and decides by the ID token: %s', async (_who, extra, admin) => {
    const jar = new CookieJar();
    const authorize = await start(jar);
    const q = authorize.searchParams;
    let redeemed: URLSearchParams | undefined;
    nock(LOGIN)
      .post(`/${TENANT}/oauth2/v2.0/token`, (body: string | Record<string, string>) => {
        redeemed = new URLSearchParams(typeof body === 'string' ? body : body);
        return true;
      })
      // msal-node adds its client-request-id and library ids to the token URL.
      .query(true)
      .reply(200, {
        token_type: 'Bearer',
        scope: 'openid profile email User.Read',
        expires_in: 3599,
        ext_expires_in: 3599,
        access_token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2ln',
        id_token: idToken({ oid: 'oid-1', name: 'Sanne Visser', preferred_username: 'sanne@example.nl', nonce: q.get('nonce'), ...extra }),
        client_info: b64({ uid: 'oid-1', utid: TENANT }),
      });
    const back = await visit(jar, `${service.url}/console/callback?code=the-code&state=${q.get('state')}&session_state=x`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(back.status).toBe(302);
    expect(redeemed?.get('grant_type')).toBe('authorization_code');
    expect(redeemed?.get('code')).toBe('the-code');
    expect(redeemed?.get('redirect_uri')).toBe('https://een.example.nl/console/callback');
    expect(redeemed?.get('client_secret')).toBe('console-client-secret-for-tests');
    // The verifier whose S256 hash was the challenge (RFC 7636 §4.6).
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(redeemed?.get('code_verifier') ?? '').digest('base64url')).toBe(q.get('code_challenge'));
    const session = (await (await visit(jar, `${service.url}/api/console/session`, { headers: { 'x-forwarded-proto': 'https' } })).json()) as { admin: boolean; name: string };
    expect(session).toMatchObject({ admin, name: 'Sanne Visser' });
    const people = await visit(jar, `${service.url}/api/console/admin/people`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(people.status).toBe(admin ? 200 : 403);
  });

  // Group overage (learn.microsoft.com, "Configure group claims for applications"): no `groups` in
  // the token, `_claim_names`/`_claim_sources` instead; the console asks Microsoft Graph
  // (user-checkmembergroups) with an app-only token from the client-credentials grant.
  it.each([
    ['a member found by Graph', 200, { value: [GROUP] }, true],
    ['not a member according to Graph', 200, { value: [] }, false],
    ['Graph refusing the app (no GroupMember.Read.All)', 403, { error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges to complete the operation.', innerError: { date: '2026-12-01T10:00:00', 'request-id': 'r', 'client-request-id': 'c' } } }, false],
  ])('asks Graph about someone whose groups overflow the token: %s', async (_who, status, answer, admin) => {
    const jar = new CookieJar();
    const q = (await start(jar)).searchParams;
    const overage = { _claim_names: { groups: 'src1' }, _claim_sources: { src1: { endpoint: `https://graph.windows.net/${TENANT}/users/5d1c4c0e-0000-4000-8000-00000000aaaa/getMemberObjects` } } };
    nock(LOGIN)
      .post(`/${TENANT}/oauth2/v2.0/token`, (body: Record<string, string>) => new URLSearchParams(body).get('grant_type') === 'authorization_code')
      .query(true)
      .reply(200, {
        token_type: 'Bearer', scope: 'openid profile email', expires_in: 3599, ext_expires_in: 3599,
        access_token: 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.e30.c2ln',
        id_token: idToken({ oid: '5d1c4c0e-0000-4000-8000-00000000aaaa', name: 'Bram Jansen', preferred_username: 'bram@example.nl', nonce: q.get('nonce'), ...overage }),
        client_info: b64({ uid: '5d1c4c0e-0000-4000-8000-00000000aaaa', utid: TENANT }),
      });
    let credentials: URLSearchParams | undefined;
    nock(LOGIN)
      .post(`/${TENANT}/oauth2/v2.0/token`, (body: Record<string, string>) => {
        credentials = new URLSearchParams(body);
        return credentials.get('grant_type') === 'client_credentials';
      })
      .query(true)
      .optionally()
      .reply(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: 'app-only-token' });
    let asked: unknown;
    nock('https://graph.microsoft.com', { reqheaders: { authorization: 'Bearer app-only-token' } })
      .post('/v1.0/users/5d1c4c0e-0000-4000-8000-00000000aaaa/checkMemberGroups', (body: unknown) => {
        asked = body;
        return true;
      })
      .reply(status, answer);
    const back = await visit(jar, `${service.url}/console/callback?code=c&state=${q.get('state')}`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(back.status).toBe(302);
    expect(asked).toEqual({ groupIds: [GROUP] });
    const session = (await (await visit(jar, `${service.url}/api/console/session`, { headers: { 'x-forwarded-proto': 'https' } })).json()) as { admin: boolean };
    expect(session.admin).toBe(admin);
    nock.cleanAll();
  });

  it('refuses an ID token that does not carry this sign-in\'s nonce', async () => {
    const jar = new CookieJar();
    const q = (await start(jar)).searchParams;
    const token = nock(LOGIN).post(`/${TENANT}/oauth2/v2.0/token`).query(true).reply(200, {
      token_type: 'Bearer', scope: 'openid profile email', expires_in: 3599, ext_expires_in: 3599, access_token: 'a.b.c',
      id_token: idToken({ oid: 'oid-2', name: 'Replay', preferred_username: 'replay@example.nl', nonce: 'another-nonce', groups: [GROUP] }),
      client_info: b64({ uid: 'oid-2', utid: TENANT }),
    });
    const back = await visit(jar, `${service.url}/console/callback?code=c&state=${q.get('state')}`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(back.status).toBe(400);
    // Refused after the redemption, for the nonce: not for want of an answer.
    expect(token.isDone()).toBe(true);
    expect(service.logLines().some((l) => l.msg === 'console sign-in failed at the code redemption' && /nonce/.test(JSON.stringify(l.err)))).toBe(true);
    expect(jar.has('__Host-een_console')).toBe(false);
  });
});

// nock patches node:http for the whole Jest worker, and a later test file in it would still go
// through it (its keep-alive agent's sockets were not reused: test/unit/http-transport.test.ts).
afterAll(() => nock.restore());
