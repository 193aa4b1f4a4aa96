import nock from 'nock';
import { runCli } from '../../app/cli';
import type { CheckResult } from '../../app/doctor/checks';
import { startTestService, type TestService } from '../helpers/service';

/**
 * `een-bridge doctor` for Microsoft Graph: Microsoft lists Files.ReadWrite.All as the least
 * application permission for driveItem subscriptions on OneDrive for Business ("Create
 * subscription", https://learn.microsoft.com/graph/api/subscription-post-subscriptions); an
 * app-only token lists its application permissions in the `roles` claim
 * (https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference). The token
 * endpoint and Graph are mocked with nock.
 */
describe('een-bridge doctor and Microsoft Graph permissions', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.dispose());
  afterEach(() => nock.cleanAll());

  const tenant = '2c5d1a3e-7b8f-4e6a-9d0c-1f2e3d4c5b6a';
  const driveId = 'b!doctorDrive000';
  const env = { GRAPH_TENANT_ID: tenant, GRAPH_CLIENT_ID: '7a1f0c2e-0000-4000-8000-000000000001', GRAPH_CLIENT_SECRET: 'secret', GRAPH_DRIVE_ID: driveId };
  /** An unsigned token with the claims Entra ID puts in an app-only Graph token. */
  const token = (roles: string[]) =>
    ['{"typ":"JWT","alg":"RS256"}', JSON.stringify({ aud: 'https://graph.microsoft.com', tid: tenant, roles })].map((p) => Buffer.from(p).toString('base64url')).join('.') + '.sig';
  const issues = (roles: string[]) =>
    nock('https://login.microsoftonline.com').post(`/${tenant}/oauth2/v2.0/token`).reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: token(roles) });

  async function graphRow(): Promise<CheckResult | undefined> {
    const out: string[] = [];
    await runCli(['doctor', '--json', '--timeout-ms', '3000'], { env: { EEN_DATA_DIR: service.dataDir, ...env }, cwd: service.dataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
    return (JSON.parse(out.join('\n')) as CheckResult[]).find((r) => r.check === 'Microsoft Graph (OneDrive)');
  }

  it('names Files.ReadWrite.All when the app was given only the read permissions the old docs asked for', async () => {
    issues(['Files.Read.All', 'Sites.Read.All']);
    expect(await graphRow()).toMatchObject({ status: 'failing', detail: expect.stringMatching(/lacks the Microsoft Graph application permission Files\.ReadWrite\.All.*granted: Files\.Read\.All, Sites\.Read\.All/) });
  });

  it('names it too when Graph refuses to read the drive', async () => {
    issues(['Files.ReadWrite.All']);
    nock('https://graph.microsoft.com')
      .get(`/v1.0/drives/${encodeURIComponent(driveId)}/root/delta`)
      .query({ token: 'latest' })
      .reply(403, { error: { code: 'accessDenied', message: 'Access denied', innerError: { date: '2026-12-01T12:00:00', 'request-id': 'r', 'client-request-id': 'r' } } });
    expect(await graphRow()).toMatchObject({ status: 'failing', detail: expect.stringMatching(/refused to read drive .*HTTP 403.*Files\.ReadWrite\.All/) });
  });

  it('says ok when the permission is there and the drive reads', async () => {
    issues(['Files.ReadWrite.All']);
    nock('https://graph.microsoft.com').get(`/v1.0/drives/${encodeURIComponent(driveId)}/root/delta`).query({ token: 'latest' }).reply(200, { value: [], '@odata.deltaLink': 'https://graph.microsoft.com/v1.0/drives/x/root/delta?token=1' });
    expect(await graphRow()).toMatchObject({ status: 'ok', detail: expect.stringMatching(/Files\.ReadWrite\.All; drive .* readable/) });
  });
});

// nock patches node:http for the whole Jest worker, and a later test file in it would still go
// through it (its keep-alive agent's sockets were not reused: test/unit/http-transport.test.ts).
afterAll(() => nock.restore());
