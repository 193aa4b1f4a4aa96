import nock from 'nock';
import { UpstreamError, UserError, WebexMeetingsClient, type WebexCredentials } from '../../core/internal';

const api = 'https://webexapis.test/v1';
// Shape from https://developer.webex.com/docs/api/v1/meetings/create-a-meeting (response example, trimmed).
const meetingJson = {
  id: '870f51ff287b41be84648412901e0402',
  meetingNumber: '123456789',
  title: 'Sprint review',
  password: 'BgJep@43',
  meetingType: 'meetingSeries',
  state: 'active',
  timezone: 'Europe/Amsterdam',
  start: '2026-11-29T14:00:00+01:00',
  end: '2026-11-29T14:30:00+01:00',
  hostEmail: 'anna@example.com',
  webLink: 'https://site4-example.webex.com/site4/j.php?MTID=md41817da6a55b0925530cb88b3577b1e',
  sipAddress: '123456789@site4-example.webex.com',
};

function credentials(tokens = ['old-token', 'new-token']): WebexCredentials & { refreshes: number } {
  const c = {
    refreshes: 0,
    accessToken: async () => tokens[0]!,
    refresh: async () => {
      c.refreshes += 1;
      return tokens[c.refreshes] ?? 'exhausted';
    },
  };
  return c;
}

describe('WebexMeetingsClient', () => {
  const client = new WebexMeetingsClient({ baseUrl: () => api, maxRetryAfterSeconds: 1 });
  // Loopback stays open: the client under test talks to nock's hosts only, and a service another
  // test file left in this jest worker must not fail this file with a refused loopback request.
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1:') || host.startsWith('localhost:'));
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  const newMeeting = {
    title: 'Sprint review',
    start: new Date('2026-11-29T13:00:00Z'),
    end: new Date('2026-11-29T13:30:00Z'),
    timeZone: 'Europe/Amsterdam',
    invitees: [{ email: 'bob@example.com' }],
    autoRecord: false,
  };

  it('creates a meeting with the documented fields and bearer token', async () => {
    const scope = nock(api, { reqheaders: { authorization: 'Bearer old-token' } })
      .post('/meetings', {
        title: 'Sprint review',
        start: '2026-11-29T13:00:00.000Z',
        end: '2026-11-29T13:30:00.000Z',
        timezone: 'Europe/Amsterdam',
        enabledAutoRecordMeeting: false,
        invitees: [{ email: 'bob@example.com' }],
        sendEmail: true,
      })
      .reply(200, meetingJson);
    const meeting = await client.create(credentials(), newMeeting);
    expect(meeting).toMatchObject({ id: meetingJson.id, webLink: meetingJson.webLink, meetingNumber: '123456789', timeZone: 'Europe/Amsterdam' });
    scope.done();
  });

  it('lists scheduled meetings in a range, soonest first', async () => {
    nock(api)
      .get('/meetings')
      .query({ meetingType: 'scheduledMeeting', from: '2026-11-28T00:00:00.000Z', to: '2026-12-28T00:00:00.000Z', max: '20' })
      .reply(200, { items: [{ ...meetingJson, id: 'b', start: '2026-12-02T10:00:00Z' }, { ...meetingJson, id: 'a', start: '2026-11-30T10:00:00Z' }] });
    const list = await client.listUpcoming(credentials(), { from: new Date('2026-11-28T00:00:00Z'), to: new Date('2026-12-28T00:00:00Z'), max: 20 });
    expect(list.map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('deletes a meeting (204) and reads the personal room and the person', async () => {
    nock(api).delete('/meetings/abc').reply(204);
    nock(api).get('/meetingPreferences/personalMeetingRoom').reply(200, {
      topic: "Anna's Personal Room",
      hostPin: '4325',
      personalMeetingRoomLink: 'https://site4-example.webex.com/meet/anna',
      sipAddress: 'anna@site4-example.webex.com',
    });
    nock(api).get('/people/me').reply(200, { id: 'Y2lzY29', emails: ['anna@example.com'], displayName: 'Anna' });
    await expect(client.delete(credentials(), 'abc')).resolves.toBeUndefined();
    expect(await client.personalRoom(credentials())).toEqual({
      link: 'https://site4-example.webex.com/meet/anna',
      topic: "Anna's Personal Room",
      sipAddress: 'anna@site4-example.webex.com',
    });
    expect((await client.me(credentials())).emails).toEqual(['anna@example.com']);
  });

  it('refreshes the token once after a 401 and retries with the new one', async () => {
    nock(api, { reqheaders: { authorization: 'Bearer old-token' } }).get('/people/me').reply(401, { message: 'expired' });
    nock(api, { reqheaders: { authorization: 'Bearer new-token' } }).get('/people/me').reply(200, { id: 'p', emails: [], displayName: 'A' });
    const creds = credentials();
    await client.me(creds);
    expect(creds.refreshes).toBe(1);
  });

  it('asks the user to reconnect when the refreshed token is refused too', async () => {
    nock(api).get('/people/me').times(2).reply(401, { message: 'The request requires a valid access token' });
    const creds = credentials();
    const err = await client.me(creds).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).key).toBe('meetings.reconnect');
    expect(creds.refreshes).toBe(1);
  });

  it('waits out a short Retry-After once', async () => {
    nock(api).get('/people/me').reply(429, { message: 'Too many requests' }, { 'Retry-After': '1' });
    nock(api).get('/people/me').reply(200, { id: 'p', emails: [], displayName: 'A' });
    const began = Date.now();
    await client.me(credentials());
    expect(Date.now() - began).toBeGreaterThanOrEqual(950);
  });

  it('fails fast on a long Retry-After, carrying the seconds', async () => {
    nock(api).get('/people/me').reply(429, { message: 'Too many requests' }, { 'Retry-After': '30' });
    const err = await client.me(credentials()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 429, retryAfterSeconds: 30, key: 'upstream.rateLimited' });
  });

  it("passes on Webex's message for a refused request, and turns 5xx into an upstream error", async () => {
    nock(api).post('/meetings').reply(400, { message: 'Password does not meet the complexity rules', errors: [], trackingId: 'x' });
    nock(api).post('/meetings').reply(503, { message: 'down' });
    await expect(client.create(credentials(), newMeeting)).rejects.toMatchObject({ key: 'meetings.webexRefused', params: { message: 'Password does not meet the complexity rules' } });
    await expect(client.create(credentials(), newMeeting)).rejects.toBeInstanceOf(UpstreamError);
  });

  it('says Webex is unreachable when the connection fails', async () => {
    const offline = new WebexMeetingsClient({ baseUrl: () => 'http://127.0.0.1:9', timeoutMs: 2000 });
    nock.enableNetConnect('127.0.0.1:9');
    await expect(offline.me(credentials())).rejects.toMatchObject({ key: 'upstream.unavailable', status: undefined });
  });
});

// nock patches node:http for the whole Jest worker, and a later test file in it would still go
// through it (its keep-alive agent's sockets were not reused: test/unit/http-transport.test.ts).
afterAll(() => nock.restore());
