import { SignJWT, generateKeyPair } from 'jose';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { SANDBOX_TEAMS_MEMBERS, TeamsConnectorEmulator } from '../../sandbox/teams-connector/connector-emulator';
import { TabTokenVerifier, entraSso } from '../../teams-app/tab/sso';
import { startTestService, type TestService } from '../helpers/service';

describe('the Teams personal tab in sandbox mode', () => {
  let service: TestService;
  let xsi: XsiEmulator;
  let connector: TeamsConnectorEmulator;
  let token: string;

  beforeAll(async () => {
    xsi = new XsiEmulator({ alertingMs: 5000 });
    connector = new TeamsConnectorEmulator();
    service = await startTestService({ emulators: [xsi, connector] });
    const res = await fetch(`${service.url}/sandbox/teams/tab/token`, { method: 'POST' });
    token = ((await res.json()) as { token: string }).token;
  });
  afterAll(() => service.dispose());
  beforeEach(() => xsi.log.clear());

  const api = (method: string, path: string, bearer: string | undefined = token, body?: unknown, lang = 'en-US') =>
    fetch(`${service.url}/api/tab/${path}`, {
      method,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'accept-language': lang, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  const callsNew = () => xsi.log.list().filter((r) => r.method === 'POST' && r.path.endsWith('/calls/new'));

  // Runs first, on a person een-bridge has not linked yet: /me used to read the stored link only,
  // so the page said "Not linked to a KPN EEN line" while /recent (which links on first use by
  // e-mail, core/calling/line-linking.ts) listed the person's calls.
  it('says a person is linked exactly when it can list their recent calls, also on the first visit', async () => {
    const me = (await (await api('GET', 'me')).json()) as Record<string, unknown>;
    const recent = await api('GET', 'recent');
    expect(recent.status).toBe(200);
    expect(me).toMatchObject({ email: SANDBOX_TEAMS_MEMBERS[0]!.email, linked: true, number: '+31201234501' });
  });

  it('says a person without a line is not linked, and lists no calls for them', async () => {
    const stranger = await connector.signTabToken({ ...SANDBOX_TEAMS_MEMBERS[0]!, aadObjectId: '6d3f1f5e-0000-4000-8000-0000000000ff', email: 'nobody@elsewhere.example', name: 'Nobody' });
    const me = (await (await api('GET', 'me', stranger)).json()) as Record<string, unknown>;
    // elsewhere.example is no mail domain an administrator allowed, so the address is not kept.
    expect(me).toMatchObject({ email: null, linked: false, number: null });
    const recent = await api('GET', 'recent', stranger);
    expect(recent.status).toBe(403);
    expect(((await recent.json()) as { error: { code: string } }).error.code).toBe('calling.notLinked');
  });

  it('serves the page, framable by Teams only, with teams-js bundled into the page', async () => {
    const page = await fetch(`${service.url}/tab/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain('frame-ancestors');
    expect(await page.text()).toContain('<script src="tab.js"></script>');
    // The build's esbuild bundle carries @microsoft/teams-js; the server no longer serves its UMD file.
    const bundle = await fetch(`${service.url}/tab/tab.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toContain('javascript');
    expect(await bundle.text()).toContain('No Parent window found');
    expect((await fetch(`${service.url}/tab/teams-js.js`)).status).toBe(404);
  });

  it('places, follows and hangs up a call with the sandbox-signed SSO token', async () => {
    const placed = await api('POST', 'calls', token, { target: '020 123 4567' });
    expect(placed.status).toBe(200);
    const call = (await placed.json()) as { callId: string; target: string; state: string };
    expect(call).toMatchObject({ target: '020 123 4567', state: 'Alerting' });
    expect(callsNew().map((r) => r.query)).toEqual([{ address: '+31201234567' }]);
    const status = (await (await api('GET', `calls/${encodeURIComponent(call.callId)}`)).json()) as { state: string };
    expect(status.state).toBe('Alerting');
    expect((await api('DELETE', `calls/${encodeURIComponent(call.callId)}`)).status).toBe(204);
    const after = (await (await api('GET', `calls/${encodeURIComponent(call.callId)}`)).json()) as { state: string };
    expect(after.state).toBe('Released');
  });

  it('knows who the token is for and shows the linked line', async () => {
    const me = (await (await api('GET', 'me')).json()) as Record<string, unknown>;
    expect(me).toMatchObject({ email: SANDBOX_TEAMS_MEMBERS[0]!.email, linked: true, number: '+31201234501' });
  });

  it('searches the directory and lists recent calls', async () => {
    const hits = (await (await api('GET', 'directory?q=de%20groot')).json()) as { entries: { displayName: string }[] };
    expect(hits.entries.map((e) => e.displayName)).toEqual(['Bram de Groot']);
    const recent = (await (await api('GET', 'recent')).json()) as { calls: { phoneNumber: string }[] };
    expect(recent.calls.length).toBeGreaterThan(0);
  });

  it('explains a refused number in the browser\'s language, calling nothing', async () => {
    const res = await api('POST', 'calls', token, { target: '112' }, 'nl-NL,nl;q=0.9');
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('Bel 112 rechtstreeks');
    expect(callsNew()).toEqual([]);
  });

  it('refuses requests without a valid SSO token, calling nothing', async () => {
    const member = SANDBOX_TEAMS_MEMBERS[0]!;
    const { privateKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT({ tid: member.tenantId, oid: member.aadObjectId })
      .setProtectedHeader({ alg: 'ES256', kid: 'forged' })
      .setIssuer(`https://login.sandbox.invalid/${member.tenantId}/v2.0`)
      .setAudience('een-bridge-sandbox-tab')
      .setExpirationTime('1h')
      .sign(privateKey);
    const wrongAudience = await connector.signTabToken(member, { audience: 'someone-else' });
    const expired = await connector.signTabToken(member, { expiresIn: Math.floor(Date.now() / 1000) - 3600 });
    const tampered = token.replace(/\.[\w-]+\./, `.${Buffer.from(JSON.stringify({ tid: member.tenantId, oid: 'someone-else', aud: 'een-bridge-sandbox-tab' })).toString('base64url')}.`);
    const statuses: Record<string, number> = {};
    const cases = { none: '', nonsense: 'nonsense', foreign, wrongAudience, expired, tampered };
    for (const [name, bearer] of Object.entries(cases)) statuses[name] = (await api('POST', 'calls', bearer, { target: '0612345678' })).status;
    expect(statuses).toEqual({ none: 401, nonsense: 401, foreign: 401, wrongAudience: 401, expired: 401, tampered: 401 });
    expect(callsNew()).toEqual([]);
  });

  it('checks issuer and tenant, not only the signature', async () => {
    const settings = { jwksUrl: () => `${service.url}/sandbox/teams/tab/jwks`, audiences: ['een-bridge-sandbox-tab'] };
    const member = SANDBOX_TEAMS_MEMBERS[0]!;
    const ok = new TabTokenVerifier({ ...settings, issuers: (tid) => [`https://login.sandbox.invalid/${tid}/v2.0`], tenantId: undefined });
    await expect(ok.verify(`Bearer ${token}`)).resolves.toMatchObject({ aadObjectId: member.aadObjectId, tenantId: member.tenantId, email: member.email });
    const otherIssuer = new TabTokenVerifier({ ...settings, issuers: (tid) => [`https://login.microsoftonline.com/${tid}/v2.0`], tenantId: undefined });
    await expect(otherIssuer.verify(`Bearer ${token}`)).rejects.toMatchObject({ key: 'teams.tab.unauthorized', httpStatus: 401 });
    const otherTenant = new TabTokenVerifier({ ...settings, issuers: (tid) => [`https://login.sandbox.invalid/${tid}/v2.0`], tenantId: 'another-tenant' });
    await expect(otherTenant.verify(`Bearer ${token}`)).rejects.toMatchObject({ key: 'teams.tab.unauthorized' });
  });

  it('accepts the audiences Teams SSO uses for the app in real mode', () => {
    const sso = entraSso('app-id', 'https://een.example.nl', undefined, 'tenant');
    expect(sso.audiences).toEqual(['app-id', 'api://app-id', 'api://een.example.nl/app-id']);
    expect(sso.issuers('t1')).toEqual(['https://login.microsoftonline.com/t1/v2.0', 'https://sts.windows.net/t1/']);
  });
});
