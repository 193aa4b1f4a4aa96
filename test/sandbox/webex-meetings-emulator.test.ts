import { createEmulators } from '../../app/emulators';
import { WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { startTestService, type TestService } from '../helpers/service';

async function connectSandboxPerson(service: TestService, email: string): Promise<{ access: string; refresh: string }> {
  const base = `${service.url}/sandbox/webex/v1`;
  const redirectUri = 'http://127.0.0.1:1/callback';
  // Registered for integration "c", as on developer.webex.com.
  (service.emulators.find((e) => e instanceof WebexEmulator) as WebexEmulator).registerRedirectUri('c', redirectUri);
  const authorize = await fetch(
    `${base}/authorize?${new URLSearchParams({ client_id: 'c', response_type: 'code', redirect_uri: redirectUri, state: 's-1', email, scope: 'meeting:schedules_write' })}`,
    { redirect: 'manual' },
  );
  expect(authorize.status).toBe(302);
  const back = new URL(authorize.headers.get('location')!);
  expect(back.searchParams.get('state')).toBe('s-1');
  const token = await fetch(`${base}/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'c', client_secret: 'x', code: back.searchParams.get('code')!, redirect_uri: redirectUri }),
  });
  expect(token.status).toBe(200);
  const json = (await token.json()) as { access_token: string; refresh_token: string; expires_in: number; token_type: string };
  expect(json).toMatchObject({ expires_in: 1209600, token_type: 'Bearer' });
  // The code works once.
  const again = await fetch(`${base}/access_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'c', client_secret: 'x', code: back.searchParams.get('code')!, redirect_uri: redirectUri }),
  });
  expect(again.status).toBe(400);
  return { access: json.access_token, refresh: json.refresh_token };
}

describe('the Webex emulator: meetings, personal room and OAuth', () => {
  let service: TestService;
  let token: string;
  let base: string;
  const api = (path: string, init: RequestInit = {}, bearer = token) =>
    fetch(`${base}${path}`, { ...init, headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', ...(init.headers ?? {}) } });

  beforeAll(async () => {
    service = await startTestService();
    base = `${service.url}/sandbox/webex/v1`;
    token = (await connectSandboxPerson(service, 'anna@example.com')).access;
  });
  afterAll(() => service.dispose());

  it('knows the connected person at /people/me', async () => {
    const me = (await (await api('/people/me')).json()) as { emails: string[] };
    expect(me.emails).toEqual(['anna@example.com']);
  });

  it('creates, lists, gets and deletes a meeting with the documented shapes', async () => {
    const start = new Date(Date.now() + 86_400_000);
    const end = new Date(start.getTime() + 30 * 60_000);
    const created = await api('/meetings', { method: 'POST', body: JSON.stringify({ title: 'Sprint review', start: start.toISOString(), end: end.toISOString(), timezone: 'Europe/Amsterdam' }) });
    expect(created.status).toBe(200);
    const series = (await created.json()) as Record<string, unknown>;
    expect(series).toMatchObject({ title: 'Sprint review', meetingType: 'meetingSeries', timezone: 'Europe/Amsterdam', hostEmail: 'anna@example.com', scheduledType: 'meeting' });
    expect(series.webLink).toMatch(/^https:\/\//);
    expect(series.meetingNumber).toMatch(/^\d{9,11}$/);

    const list = (await (await api(`/meetings?meetingType=scheduledMeeting&from=${new Date().toISOString()}&to=${new Date(Date.now() + 7 * 86_400_000).toISOString()}`)).json()) as { items: Record<string, unknown>[] };
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ meetingSeriesId: series.id, meetingType: 'scheduledMeeting' });
    const occurrenceId = String(list.items[0]!.id);
    expect(occurrenceId.startsWith(`${String(series.id)}_`)).toBe(true);

    expect((await api(`/meetings/${occurrenceId}`)).status).toBe(200);
    expect((await api(`/meetings/${occurrenceId}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api(`/meetings/${String(series.id)}`)).status).toBe(404);
  });

  it('refuses a start in the past, a missing title and a bad token', async () => {
    const past = await api('/meetings', { method: 'POST', body: JSON.stringify({ title: 'x', start: '2020-01-01T10:00:00Z', end: '2020-01-01T11:00:00Z' }) });
    expect(past.status).toBe(400);
    expect(((await past.json()) as { message: string; trackingId: string }).trackingId).toBeDefined();
    const untitled = await api('/meetings', { method: 'POST', body: JSON.stringify({ start: new Date(Date.now() + 3_600_000).toISOString(), end: new Date(Date.now() + 7_200_000).toISOString() }) });
    expect(untitled.status).toBe(400);
    expect((await api('/people/me', {}, 'nonsense')).status).toBe(401);
  });

  it('keeps Webex\'s time rules: not before the current minute, the current minute moves on, 10 minutes to 23 h 59 min', async () => {
    // developer.webex.com "Create a Meeting" (webex-openapi-specs public-spec/webex-meeting.json), `start`/`end`.
    const minute = 60_000;
    const thisMinute = Math.floor(Date.now() / minute) * minute;
    const create = (start: number, end: number, extra: Record<string, unknown> = {}) =>
      api('/meetings', { method: 'POST', body: JSON.stringify({ title: 'x', start: new Date(start).toISOString(), end: new Date(end).toISOString(), ...extra }) });
    const previousMinute = await create(thisMinute - 1, thisMinute + 30 * minute);
    expect(previousMinute.status).toBe(400);
    expect(await previousMinute.json()).toMatchObject({ message: expect.stringMatching(/before current date and time/), errors: [expect.objectContaining({ description: expect.any(String) })] });

    const now = await create(Date.now(), Date.now() + 30 * minute);
    expect(now.status).toBe(200);
    const started = Date.parse(((await now.json()) as { start: string }).start);
    expect(started % minute).toBe(0);
    expect(started).toBeGreaterThan(Date.now() - 1000);

    expect((await create(thisMinute + 60 * minute, thisMinute + 65 * minute)).status).toBe(400);
    expect((await create(thisMinute + 60 * minute, thisMinute + 60 * minute + 24 * 60 * minute)).status).toBe(400);
    expect((await create(thisMinute + 60 * minute, thisMinute + 60 * minute + (23 * 60 + 59) * minute)).status).toBe(200);
    const crowd = Array.from({ length: 1001 }, (_, i) => ({ email: `p${i}@example.com` }));
    expect((await create(thisMinute + 60 * minute, thisMinute + 90 * minute, { invitees: crowd })).status).toBe(400);
  });

  it('does not show one person the meetings of another', async () => {
    const other = (await connectSandboxPerson(service, 'bob@example.com')).access;
    const start = new Date(Date.now() + 3_600_000);
    const created = (await (await api('/meetings', { method: 'POST', body: JSON.stringify({ title: 'Private', start: start.toISOString(), end: new Date(start.getTime() + 60_000).toISOString() }) })).json()) as { id: string };
    expect((await api(`/meetings/${created.id}`, {}, other)).status).toBe(404);
  });

  it('answers the personal meeting room', async () => {
    const room = (await (await api('/meetingPreferences/personalMeetingRoom')).json()) as Record<string, unknown>;
    expect(room.personalMeetingRoomLink).toBe('https://sandbox.webex.com/meet/anna');
    expect(room.hostPin).toMatch(/^\d{4}$/);
  });

  it('refreshes with the refresh token', async () => {
    const { refresh } = await connectSandboxPerson(service, 'carla@example.com');
    const res = await fetch(`${base}/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'c', client_secret: 'x', refresh_token: refresh }),
    });
    const json = (await res.json()) as { access_token: string };
    expect((await api('/people/me', {}, json.access_token)).status).toBe(200);
  });

  it('logs what it received at /sandbox/webex/_log, hiding the bearer token', async () => {
    const log = (await (await fetch(`${service.url}/sandbox/webex/_log`)).json()) as { requests: { path: string; headers: Record<string, string> }[] };
    const create = log.requests.find((r) => r.path === '/sandbox/webex/v1/meetings');
    expect(create?.headers.authorization).toBe('[hidden]');
  });
});

describe('the Webex emulator under load and delay', () => {
  it('answers 429 with Retry-After past its rate limit (SANDBOX_WEBEX_RATE_LIMIT)', async () => {
    const service = await startTestService({ emulators: createEmulators({ SANDBOX_WEBEX_RATE_LIMIT: '2' }) });
    try {
      const { access } = await connectSandboxPerson(service, 'anna@example.com');
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i += 1) {
        const res = await fetch(`${service.url}/sandbox/webex/v1/people/me`, { headers: { authorization: `Bearer ${access}` } });
        statuses.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
      expect(statuses).toContain(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    } finally {
      await service.dispose();
    }
  });

  it('adds the configured latency to each API call (SANDBOX_WEBEX_LATENCY_MS)', async () => {
    const service = await startTestService({ emulators: createEmulators({ SANDBOX_WEBEX_LATENCY_MS: '300' }) });
    try {
      const { access } = await connectSandboxPerson(service, 'anna@example.com');
      const began = Date.now();
      await fetch(`${service.url}/sandbox/webex/v1/people/me`, { headers: { authorization: `Bearer ${access}` } });
      expect(Date.now() - began).toBeGreaterThanOrEqual(290);
    } finally {
      await service.dispose();
    }
  });
});
