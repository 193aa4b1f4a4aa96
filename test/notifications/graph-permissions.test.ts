import nock from 'nock';
import { GraphApi, UpstreamError, parseGraphNotifications } from '../../core/internal';
import { GraphEmulator, SANDBOX_GRAPH_DRIVE_ID, SANDBOX_GRAPH_TOKEN } from '../../sandbox/graph-api/graph-emulator';
import { graphChangeNotification } from '../fixtures/graph-notifications';
import { startTestService, type TestService } from '../helpers/service';

/**
 * "Create subscription" (https://learn.microsoft.com/graph/api/subscription-post-subscriptions,
 * microsoftgraph/microsoft-graph-docs-contrib api-reference/v1.0/api/subscription-post-subscriptions.md):
 * driveItem (OneDrive for Business), application: Files.ReadWrite.All, the least privileged
 * permission; reading items and delta needs Files.Read.All or higher ("driveItem: delta").
 * A refusal comes as 403 ExtensionError "Operation: Create; Exception: [Status Code: Forbidden;
 * Reason: Access denied]" (as reported in OneDrive/onedrive-api-docs#1398 and
 * microsoftgraph/msgraph-sdk-java#1209). The subscription resource: "clientState … The maximum
 * length is 128 characters" (https://learn.microsoft.com/graph/api/resources/subscription).
 */
describe('Graph permissions and clientState as Graph enforces them', () => {
  let service: TestService;
  let graph: GraphEmulator;
  let base: string;

  beforeAll(async () => {
    service = await startTestService({ store: 'sqlite' });
    graph = service.emulators.find((e): e is GraphEmulator => e instanceof GraphEmulator)!;
    base = `${service.endpoints.sandbox('graph')}/v1.0`;
  });
  afterEach(() => {
    graph.appRoles = ['Files.ReadWrite.All'];
    nock.cleanAll();
  });
  afterAll(() => service.dispose());

  const subscribe = (clientState: string) =>
    fetch(`${base}/subscriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SANDBOX_GRAPH_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        changeType: 'updated',
        resource: `/drives/${SANDBOX_GRAPH_DRIVE_ID}/root`,
        notificationUrl: `${service.url}/hooks/graph`,
        clientState,
        expirationDateTime: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    });

  it('refuses a drive subscription for an app with only Files.Read.All / Sites.Read.All, as Graph does', async () => {
    graph.appRoles = ['Files.Read.All', 'Sites.Read.All'];
    const res = await subscribe('s');
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string; innerError: Record<string, string> } };
    expect(body.error).toMatchObject({ code: 'ExtensionError', message: 'Operation: Create; Exception: [Status Code: Forbidden; Reason: Access denied]' });
    expect(Object.keys(body.error.innerError)).toEqual(expect.arrayContaining(['date', 'request-id', 'client-request-id']));
    // Reading is still allowed with Files.Read.All.
    const read = await fetch(`${base}/drives/${SANDBOX_GRAPH_DRIVE_ID}/root/delta?token=latest`, { headers: { authorization: `Bearer ${SANDBOX_GRAPH_TOKEN}` } });
    expect(read.status).toBe(200);
  });

  it('refuses reading the drive for an app with no Files or Sites permission', async () => {
    graph.appRoles = ['User.Read.All'];
    const read = await fetch(`${base}/drives/${SANDBOX_GRAPH_DRIVE_ID}/root/delta?token=latest`, { headers: { authorization: `Bearer ${SANDBOX_GRAPH_TOKEN}` } });
    expect(read.status).toBe(403);
    expect(((await read.json()) as { error: { code: string } }).error.code).toBe('accessDenied');
  });

  it('takes a clientState of 128 characters and refuses 129 with 400', async () => {
    expect((await subscribe('a'.repeat(128))).status).toBe(201);
    const long = await subscribe('a'.repeat(129));
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: { code: string; message: string } }).error.message).toMatch(/128/);
  });

  it('never sends a longer clientState, and reads none longer in a notification', async () => {
    const api = new GraphApi({ baseUrl: () => 'https://graph.example.test/v1.0', token: () => Promise.resolve('t') });
    const called = nock('https://graph.example.test').post('/v1.0/subscriptions').reply(201, {});
    await expect(
      api.createSubscription({ resource: '/drives/d/root', notificationUrl: 'https://x/hooks/graph', lifecycleNotificationUrl: 'https://x/hooks/graph', clientState: 'a'.repeat(129), expirationDateTime: '2026-12-01T00:00:00Z' }),
    ).rejects.toThrow(/128/);
    expect(called.isDone()).toBe(false);
    const tooLong = { value: [{ ...graphChangeNotification.value[0], clientState: 'a'.repeat(129) }] };
    expect(parseGraphNotifications(Buffer.from(JSON.stringify(tooLong)))).toMatchObject({ outcome: 'invalid' });
  });

  it('says which permission is missing when Graph refuses the subscription', async () => {
    graph.appRoles = ['Files.Read.All'];
    const api = new GraphApi({ baseUrl: () => base, token: () => Promise.resolve(SANDBOX_GRAPH_TOKEN) });
    const err = await api
      .createSubscription({ resource: `/drives/${SANDBOX_GRAPH_DRIVE_ID}/root`, notificationUrl: `${service.url}/hooks/graph`, lifecycleNotificationUrl: `${service.url}/hooks/graph`, clientState: 's', expirationDateTime: new Date(Date.now() + 3_600_000).toISOString() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 403, key: 'upstream.permissionMissing', message: expect.stringContaining('Files.ReadWrite.All') });
  });
});

// nock patches node:http for the whole Jest worker, and a later test file in it would still go
// through it (its keep-alive agent's sockets were not reused: test/unit/http-transport.test.ts).
afterAll(() => nock.restore());
