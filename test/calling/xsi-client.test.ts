import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { UpstreamError, XsiClient, directoryParamSets, directoryParams } from '../../core/internal';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../fixtures/xsi', name), 'utf8');
const BASE = 'https://xsp.kpneen.example';
const USER = '0201234501@sandbox.kpneen.nl';
const ACTIONS = `/com.broadsoft.xsi-actions/v2.0/user/${encodeURIComponent(USER)}`;
const basic = `Basic ${Buffer.from('admin@kpneen.example:s3cret').toString('base64')}`;

function client(timeoutMs = 300): XsiClient {
  return new XsiClient({
    baseUrl: () => BASE,
    credentials: async () => ({ username: 'admin@kpneen.example', password: 's3cret' }),
    timeoutMs,
  });
}

async function upstreamErrorOf(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof UpstreamError) return err;
    throw err;
  }
  throw new Error('expected an UpstreamError');
}

describe('XsiClient', () => {
  // Loopback stays open: the client under test talks to nock's hosts only, and a service another
  // test file left in this jest worker must not fail this file with a refused loopback request.
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1:') || host.startsWith('localhost:'));
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('places a call with POST calls/new?address=… and Basic auth, reading CallStartInfo', async () => {
    const scope = nock(BASE, { reqheaders: { authorization: basic } })
      .post(`${ACTIONS}/calls/new`)
      .query({ address: '+31612345678' })
      .reply(201, fixture('call-start-info.xml'), { 'content-type': 'application/xml' });
    await expect(client().placeCall(USER, '+31612345678')).resolves.toEqual({ callId: 'callhalf-722253:0', externalTrackingId: '1195:1' });
    expect(scope.isDone()).toBe(true);
  });

  it('never retries calls/new after a timeout, and says the phone may still ring', async () => {
    let posts = 0;
    nock(BASE)
      .post(`${ACTIONS}/calls/new`)
      .query(true)
      .times(3)
      .delay(1000)
      .reply(() => {
        posts += 1;
        return [201, fixture('call-start-info.xml')];
      });
    const err = await upstreamErrorOf(client(100).placeCall(USER, '+31612345678'));
    expect(err.key).toBe('calling.xsi.timeout');
    await new Promise((r) => setTimeout(r, 1100));
    expect(posts).toBe(1);
  });

  it('never retries calls/new after a 5xx', async () => {
    const scope = nock(BASE).post(`${ACTIONS}/calls/new`).query(true).reply(503, fixture('error-info.xml'));
    const err = await upstreamErrorOf(client().placeCall(USER, '+31612345678'));
    expect(err).toMatchObject({ status: 503, key: 'calling.xsi.unavailable' });
    expect(scope.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it.each([
    [401, 'calling.xsi.unauthorized'],
    [403, 'calling.xsi.forbidden'],
    [404, 'calling.xsi.notFound'],
    [400, 'calling.xsi.rejected'],
    [500, 'calling.xsi.unavailable'],
  ])('maps HTTP %i to %s with the ErrorInfo summary as detail', async (status, key) => {
    nock(BASE).post(`${ACTIONS}/calls/new`).query(true).reply(status, fixture('error-info.xml'));
    const err = await upstreamErrorOf(client().placeCall(USER, '0612345678'));
    expect(err).toMatchObject({ status, key, system: 'KPN EEN' });
    expect(err.message).toContain('4008');
  });

  it('keeps only the last three digits of a number quoted in an error summary', async () => {
    nock(BASE).post(`${ACTIONS}/calls/new`).query(true).reply(400, '<ErrorInfo xmlns="http://schema.broadsoft.com/xsi"><summary>Invalid address: +31612345678</summary><errorCode>4003</errorCode></ErrorInfo>');
    const err = await upstreamErrorOf(client().placeCall(USER, '+31612345678'));
    expect(err.message).toBe('KPN EEN 400: 4003 Invalid address: ***678');
  });

  it('retries a GET after a 503 and succeeds', async () => {
    nock(BASE).get(`${ACTIONS}/calls`).reply(503, '').get(`${ACTIONS}/calls`).reply(200, fixture('calls.xml'));
    await expect(client().activeCalls(USER)).resolves.toEqual(['callhalf-722253:0']);
  });

  it('gives up on a GET after three attempts', async () => {
    const scope = nock(BASE).get(`${ACTIONS}/calls`).times(3).reply(502, '');
    await expect(client().activeCalls(USER)).rejects.toMatchObject({ key: 'calling.xsi.unavailable', status: 502 });
    expect(scope.isDone()).toBe(true);
  });

  it('does not retry a GET refused with 401', async () => {
    nock(BASE).get(`${ACTIONS}/calls`).once().reply(401, '');
    await expect(client().activeCalls(USER)).rejects.toMatchObject({ key: 'calling.xsi.unauthorized' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('reads a call and its state', async () => {
    nock(BASE).get(`${ACTIONS}/calls/${encodeURIComponent('callhalf-722253:0')}`).reply(200, fixture('call-alerting.xml'));
    await expect(client().call(USER, 'callhalf-722253:0')).resolves.toEqual({
      callId: 'callhalf-722253:0',
      state: 'Alerting',
      remoteAddress: 'tel:+31612345678',
      remoteName: undefined,
      startTime: new Date(1764310000000),
      answerTime: undefined,
    });
  });

  it('treats a 404 for a call as "the call is over"', async () => {
    nock(BASE).get(`${ACTIONS}/calls/gone`).reply(404, fixture('error-info.xml'));
    await expect(client().call(USER, 'gone')).resolves.toBeUndefined();
  });

  it('hangs up with DELETE calls/<callid>', async () => {
    const scope = nock(BASE).delete(`${ACTIONS}/calls/${encodeURIComponent('callhalf-722253:0')}`).reply(200, '');
    await client().hangUp(USER, 'callhalf-722253:0');
    expect(scope.isDone()).toBe(true);
  });

  it('reads call logs, newest first, keeping leading zeros', async () => {
    nock(BASE).get(`${ACTIONS}/directories/CallLogs`).reply(200, fixture('call-logs.xml'));
    const logs = await client().callLogs(USER);
    expect(logs.map((l) => [l.type, l.phoneNumber, l.name])).toEqual([
      ['received', '1002', 'Annelies Jansen'],
      ['placed', '0612345678', 'Klant B.V.'],
      ['missed', '0201234599', undefined],
    ]);
  });

  it('searches the enterprise directory case-insensitively by first or last name', async () => {
    nock(BASE)
      .get(`${ACTIONS}/directories/Enterprise`)
      .query({ firstName: '*anna*/i', lastName: '*anna*/i', searchCriteriaModeOr: 'true', results: '25' })
      .reply(200, fixture('enterprise-directory.xml'));
    const hits = await client().searchDirectory(USER, { name: 'anna' });
    expect(hits.map((h) => [h.displayName, h.extension, h.email])).toEqual([
      ['Anna de Vries', '1001', 'anna.devries@sandbox.kpneen.nl'],
      ['Annelies Jansen', '1002', 'annelies.jansen@sandbox.kpneen.nl'],
    ]);
  });

  it('builds directory parameters for a full name, a number, an extension and an e-mail address', () => {
    expect(directoryParams({ name: 'Anna  de Vries' })).toEqual({ firstName: '*Anna*/i', lastName: '*de Vries*/i', results: '25' });
    // Directory numbers are E.164: a national number is searched without its trunk 0.
    expect(directoryParams({ number: '020-123 4501', limit: 5 })).toEqual({ number: '*201234501*', results: '5' });
    expect(directoryParams({ extension: '1001' })).toMatchObject({ extension: '1001' });
    expect(directoryParams({ email: 'Anna@X.nl*' })).toMatchObject({ emailAddress: 'Anna@X.nl/i' });
  });

  it('searches a name of several words also as one last name (Dutch prefixes), merging the hits', async () => {
    expect(directoryParamSets({ name: 'de Vries' })).toEqual([
      { firstName: '*de*/i', lastName: '*Vries*/i', results: '25' },
      { lastName: '*de Vries*/i', results: '25' },
    ]);
    nock(BASE)
      .get(`${ACTIONS}/directories/Enterprise`)
      .query({ firstName: '*de*/i', lastName: '*Vries*/i', results: '25' })
      .reply(200, '<Enterprise xmlns="http://schema.broadsoft.com/xsi"><enterpriseDirectory/></Enterprise>')
      .get(`${ACTIONS}/directories/Enterprise`)
      .query({ lastName: '*de Vries*/i', results: '25' })
      .reply(200, fixture('enterprise-directory.xml'));
    const hits = await client().searchDirectory(USER, { name: 'de Vries' });
    expect(hits.map((h) => h.userId)).toEqual(['0201234501@sandbox.kpneen.nl', '0201234502@sandbox.kpneen.nl']);
  });

  it('survives XML that is not an Xsi document', async () => {
    nock(BASE).get(`${ACTIONS}/directories/Enterprise`).query(true).reply(200, '<html><body>login</body></html>');
    await expect(client().searchDirectory(USER, { name: 'x' })).resolves.toEqual([]);
  });
});

// nock patches node:http for the whole Jest worker, and a later test file in it would still go
// through it (its keep-alive agent's sockets were not reused: test/unit/http-transport.test.ts).
afterAll(() => nock.restore());
