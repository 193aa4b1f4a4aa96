import { createServer, type AddressInfo } from 'node:net';
import nock from 'nock';
import { runCli } from '../../app/cli';
import type { CheckResult } from '../../app/doctor/checks';
import { SANDBOX_XSI_CREDENTIALS } from '../../sandbox/broadworks-xsi/directory-seed';
import { SANDBOX_TRELLO_API_KEY, SANDBOX_TRELLO_TOKEN } from '../../sandbox/trello-api/trello-emulator';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { startTestService, type TestService } from '../helpers/service';

/**
 * The doctor is pointed at a running sandbox service whose emulators stand in for the real
 * KPN EEN, Webex and Trello; Microsoft's and Slack's token endpoints are mocked with nock.
 */
describe('een-bridge doctor', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.dispose());
  afterEach(() => nock.cleanAll());

  async function doctor(env: Record<string, string>): Promise<{ code: number; rows: Map<string, CheckResult> }> {
    const out: string[] = [];
    const code = await runCli(['doctor', '--json', '--timeout-ms', '3000'], {
      env: { EEN_DATA_DIR: service.dataDir, ...env },
      cwd: service.dataDir,
      out: (l) => out.push(l),
      err: (l) => out.push(l),
    });
    const rows = JSON.parse(out.join('\n')) as CheckResult[];
    return { code, rows: new Map(rows.map((r) => [r.check, r])) };
  }

  const realEnv = () => ({
    XSI_BASE_URL: `${service.url}/sandbox/xsi`,
    XSI_USERNAME: SANDBOX_XSI_CREDENTIALS.username,
    XSI_PASSWORD: SANDBOX_XSI_CREDENTIALS.password,
    WEBEX_API_URL: `${service.url}/sandbox/webex/v1`,
    WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN,
    WEBEX_WEBHOOK_SECRET: 'whsec',
    TRELLO_API_URL: `${service.url}/sandbox/trello/1`,
    TRELLO_API_KEY: SANDBOX_TRELLO_API_KEY,
    TRELLO_TOKEN: SANDBOX_TRELLO_TOKEN,
    TRELLO_API_SECRET: 'trello-secret',
    MICROSOFT_APP_ID: '0b5c4d0e-8a57-4c43-9c55-2f4c1b6a9d10',
    MICROSOFT_APP_PASSWORD: 'app-password',
    SLACK_SIGNING_SECRET: 'signing',
    SLACK_BOT_TOKEN: 'xoxb-real',
    JIRA_WEBHOOK_SECRET: 'jira',
  });

  it('says ok for every system whose credentials work', async () => {
    nock('https://login.microsoftonline.com').post('/botframework.com/oauth2/v2.0/token').reply(200, { token_type: 'Bearer', expires_in: 3599, access_token: 'eyJ...' });
    nock('https://slack.com').post('/api/auth.test').reply(200, { ok: true, team: 'Voorbeeld', user: 'webex', team_id: 'T1', user_id: 'U1' });
    const { code, rows } = await doctor(realEnv());
    expect(code).toBe(0);
    expect(rows.get('configuration')?.status).toBe('ok');
    expect(rows.get('store (sqlite)')).toMatchObject({ status: 'ok', detail: expect.stringMatching(/migrations applied/) });
    expect(rows.get('KPN EEN (BroadWorks Xsi-Actions)')?.status).toBe('ok');
    expect(rows.get('Webex bot')).toMatchObject({ status: 'ok', detail: 'signed in as een-bridge' });
    expect(rows.get('Trello')?.status).toBe('ok');
    expect(rows.get('Microsoft Teams (Bot Framework)')?.status).toBe('ok');
    expect(rows.get('Slack')).toMatchObject({ status: 'ok', detail: 'bot webex in workspace Voorbeeld' });
    expect(rows.get('Jira Cloud')?.status).toBe('ok');
    expect(rows.get('Microsoft Graph (OneDrive)')?.status).toBe('skipped');
  });

  it('names each system whose credentials are refused, and exits 1', async () => {
    nock('https://login.microsoftonline.com').post('/botframework.com/oauth2/v2.0/token').reply(401, { error: 'invalid_client' });
    nock('https://slack.com').post('/api/auth.test').reply(200, { ok: false, error: 'invalid_auth' });
    const { code, rows } = await doctor({ ...realEnv(), XSI_PASSWORD: 'wrong', WEBEX_BOT_TOKEN: 'revoked', TRELLO_TOKEN: 'expired' });
    expect(code).toBe(1);
    expect(rows.get('KPN EEN (BroadWorks Xsi-Actions)')).toMatchObject({ status: 'failing', detail: expect.stringMatching(/HTTP 401 \(credentials refused\)/) });
    expect(rows.get('Webex bot')).toMatchObject({ status: 'failing', detail: expect.stringMatching(/HTTP 401/) });
    expect(rows.get('Trello')).toMatchObject({ status: 'failing', detail: expect.stringMatching(/HTTP 401/) });
    expect(rows.get('Microsoft Teams (Bot Framework)')).toMatchObject({ status: 'failing', detail: expect.stringMatching(/invalid_client/) });
    expect(rows.get('Slack')).toMatchObject({ status: 'failing', detail: 'Slack says invalid_auth' });
  });

  it('reports an unreachable system with the reason, within its time limit', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const { code, rows } = await doctor({ XSI_BASE_URL: `http://127.0.0.1:${closed}`, XSI_USERNAME: 'a', XSI_PASSWORD: 'b' });
    expect(code).toBe(1);
    expect(rows.get('KPN EEN (BroadWorks Xsi-Actions)')).toMatchObject({ status: 'failing', detail: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('prints one failing configuration row and exits 2 for a wrong setting', async () => {
    const { code, rows } = await doctor({ EEN_PORT: 'abc' });
    expect(code).toBe(2);
    expect(rows.get('configuration')).toMatchObject({ status: 'failing', detail: expect.stringMatching(/EEN_PORT/) });
  });

  it('prints a table for people', async () => {
    const out: string[] = [];
    const code = await runCli(['doctor'], { env: { EEN_DATA_DIR: service.dataDir }, cwd: service.dataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^CHECK\s+STATUS\s+DETAIL$/);
    expect(out.join('\n')).toMatch(/Slack\s+skipped\s+sandbox emulator/);
  });
});

// nock patches node:http for the whole Jest worker, and a later test file in it would still go
// through it (its keep-alive agent's sockets were not reused: test/unit/http-transport.test.ts).
afterAll(() => nock.restore());
