import { readFileSync } from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import { XsiClient } from '../../core/internal';
import { createHttpServer, type HttpServer } from '../../inbound';
import { SANDBOX_XSI_CREDENTIALS } from '../../sandbox/broadworks-xsi/directory-seed';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { mountEmulator } from '../../sandbox/emulator';
import { memoryLogger } from '../helpers/service';
import { xsiSchemaProblems } from '../helpers/xsi-schema';

/**
 * een-bridge against the published Xsi-Actions schema (test/helpers/xsi-schema.ts names the
 * XSD files): the fixtures, the emulator's answers and what the client reads from them.
 */
const fixture = (name: string) => readFileSync(path.join(__dirname, '../fixtures/xsi', name), 'utf8');
const USER = '0201234501@sandbox.kpneen.nl';

describe('Xsi fixtures follow the published schema', () => {
  it.each([
    ['enterprise-directory.xml', 'Enterprise'],
    ['call-logs.xml', 'CallLogs'],
    ['calls.xml', 'Calls'],
    ['call-alerting.xml', 'Call'],
    ['call-start-info.xml', 'CallStartInfo'],
    ['error-info.xml', 'ErrorInfo'],
  ] as const)('%s is a valid %s', (name, root) => {
    expect(xsiSchemaProblems(fixture(name), root)).toEqual([]);
  });

  it('the schema check itself refuses e-mail and mobile directly under directoryDetails', () => {
    const wrong = '<Enterprise xmlns="http://schema.broadsoft.com/xsi"><startIndex>1</startIndex><numberOfRecords>1</numberOfRecords><totalAvailableRecords>1</totalAvailableRecords>' +
      '<enterpriseDirectory><directoryDetails><userId>a@x</userId><mobile>+31612345678</mobile><emailAddress>a@x.nl</emailAddress></directoryDetails></enterpriseDirectory></Enterprise>';
    expect(xsiSchemaProblems(wrong, 'Enterprise')).toEqual([
      'Enterprise/enterpriseDirectory/directoryDetails/mobile is not allowed here (unknown or out of order)',
      'Enterprise/enterpriseDirectory/directoryDetails/emailAddress is not allowed here (unknown or out of order)',
    ]);
  });
});

describe('the Xsi client reads what the schema says', () => {
  const BASE = 'https://xsp.kpneen.example';
  const ACTIONS = `/com.broadsoft.xsi-actions/v2.0/user/${encodeURIComponent(USER)}`;
  const client = () => new XsiClient({ baseUrl: () => BASE, credentials: async () => ({ username: 'u', password: 'p' }), timeoutMs: 500 });
  // Loopback stays open: the client under test talks to nock's hosts only, and a service another
  // test file left in this jest worker must not fail this file with a refused loopback request.
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect((host) => host.startsWith('127.0.0.1:') || host.startsWith('localhost:'));
  });
  afterEach(() => nock.cleanAll());
  afterAll(() => nock.enableNetConnect());

  it('takes e-mail and mobile from directoryDetails/additionalDetails', async () => {
    nock(BASE).get(`${ACTIONS}/directories/Enterprise`).query(true).reply(200, fixture('enterprise-directory.xml'));
    const [anna, annelies] = await client().searchDirectory(USER, { name: 'anna' });
    expect(anna).toMatchObject({ userId: USER, email: 'anna.devries@sandbox.kpneen.nl', mobile: '+31612340001', number: '+31201234501', extension: '1001', groupId: 'Amsterdam' });
    expect(annelies).toMatchObject({ email: 'annelies.jansen@sandbox.kpneen.nl', mobile: undefined });
  });

  it('decodes an ISO-8859-1 answer by the charset BroadWorks declares', async () => {
    const xml = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<CallLogs xmlns="http://schema.broadsoft.com/xsi"><received><callLogsEntry>' +
      '<countryCode>31</countryCode><phoneNumber>0201234507</phoneNumber><name>Renée Çelik</name><time>2026-11-27T10:05:00.000+01:00</time><callLogId>1:0</callLogId>' +
      '</callLogsEntry></received></CallLogs>';
    nock(BASE).get(`${ACTIONS}/directories/CallLogs`).reply(200, Buffer.from(xml, 'latin1'), { 'content-type': 'application/xml;charset=ISO-8859-1' });
    const [entry] = await client().callLogs(USER);
    expect(entry?.name).toBe('Renée Çelik');
  });

  it('decodes by the XML declaration when the Content-Type names no charset', async () => {
    const xml = '<?xml version="1.0" encoding="ISO-8859-1"?>\n<ErrorInfo xmlns="http://schema.broadsoft.com/xsi"><summary>Gebruiker niet gevonden: Zoë</summary><summaryEnglish>User not found: Zoë</summaryEnglish><errorCode>4008</errorCode></ErrorInfo>';
    nock(BASE).post(`${ACTIONS}/calls/new`).query(true).reply(404, Buffer.from(xml, 'latin1'), { 'content-type': 'application/xml' });
    await expect(client().placeCall(USER, '1007')).rejects.toMatchObject({ status: 404, message: expect.stringContaining('User not found: Zoë') });
  });

  it('does not show a call log name that is only the number again', async () => {
    const logs = await (async () => {
      nock(BASE).get(`${ACTIONS}/directories/CallLogs`).reply(200, fixture('call-logs.xml'));
      return client().callLogs(USER);
    })();
    expect(logs.find((l) => l.type === 'missed')).toMatchObject({ phoneNumber: '0201234599', name: undefined });
  });
});

describe('the Xsi emulator answers what the schema allows', () => {
  let server: HttpServer;
  let base: string;
  let xsi: XsiEmulator;
  const auth = `Basic ${Buffer.from(`${SANDBOX_XSI_CREDENTIALS.username}:${SANDBOX_XSI_CREDENTIALS.password}`).toString('base64')}`;
  const actions = (p: string) => `${base}/com.broadsoft.xsi-actions/v2.0/user/${encodeURIComponent(USER)}${p}`;

  beforeAll(async () => {
    xsi = new XsiEmulator({ alertingMs: 60_000, activeMs: 60_000 });
    server = createHttpServer({ bodyLimitBytes: 1 << 20, log: memoryLogger().log, isReady: async () => true });
    mountEmulator(server.restify, xsi);
    const address = await server.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${address.port}/sandbox/xsi`;
  });
  afterAll(async () => {
    xsi.close();
    await server.close(100);
  });

  /** The body decoded by the charset the emulator declares, as a client must. */
  async function get(url: string, method = 'GET'): Promise<{ status: number; type: string; xml: string }> {
    const res = await fetch(url, { method, headers: { authorization: auth } });
    const type = res.headers.get('content-type') ?? '';
    const charset = /charset=([^;]+)/i.exec(type)?.[1] ?? 'utf-8';
    return { status: res.status, type, xml: new TextDecoder(charset).decode(await res.arrayBuffer()) };
  }

  it('lists the enterprise directory with e-mail and mobile in additionalDetails, paged', async () => {
    const { status, xml } = await get(`${actions('/directories/Enterprise')}?lastName=*jansen*/i`);
    expect(status).toBe(200);
    expect(xsiSchemaProblems(xml, 'Enterprise')).toEqual([]);
    expect(xml).toContain('<additionalDetails><mobile>+31612340002</mobile><emailAddress>annelies.jansen@sandbox.kpneen.nl</emailAddress></additionalDetails>');
    const page = await get(`${actions('/directories/Enterprise')}?start=2&results=3`);
    expect(xsiSchemaProblems(page.xml, 'Enterprise')).toEqual([]);
    expect(page.xml).toMatch(/<startIndex>2<\/startIndex><numberOfRecords>3<\/numberOfRecords><totalAvailableRecords>12<\/totalAvailableRecords>/);
  });

  it('finds a colleague by a national number: directory numbers are E.164 (type DN, xsd/XSIDataTypes.xsd)', async () => {
    const client = new XsiClient({ baseUrl: () => base, credentials: async () => SANDBOX_XSI_CREDENTIALS });
    for (const number of ['020-123 4501', '+31 20 123 4501', '0031201234501']) {
      const hits = await client.searchDirectory(USER, { number });
      expect(hits.map((h) => h.displayName)).toEqual(['Anna de Vries']);
    }
  });

  it('gives every call log entry a name, as the schema requires', async () => {
    const { xml } = await get(actions('/directories/CallLogs'));
    expect(xsiSchemaProblems(xml, 'CallLogs')).toEqual([]);
  });

  it('answers calls/new, calls and calls/<callid> with schema-valid documents', async () => {
    const started = await get(`${actions('/calls/new')}?address=0612345678`, 'POST');
    expect(started.status).toBe(201);
    expect(xsiSchemaProblems(started.xml, 'CallStartInfo')).toEqual([]);
    const callId = /<callId>([^<]+)<\/callId>/.exec(started.xml)![1]!;
    const calls = await get(actions('/calls'));
    expect(xsiSchemaProblems(calls.xml, 'Calls')).toEqual([]);
    const call = await get(actions(`/calls/${encodeURIComponent(callId)}`));
    expect(xsiSchemaProblems(call.xml, 'Call')).toEqual([]);
  });

  it.each(['+31201234502', '1002', '0201234502@sandbox.kpneen.nl', 'sip:0201234502@sandbox.kpneen.nl', 'tel:+31201234502'])(
    'takes the address forms the spec lists for calls/new: %s (Xsi spec 3.5.4)',
    async (address) => {
      const started = await get(`${actions('/calls/new')}?address=${encodeURIComponent(address)}`, 'POST');
      expect(started.status).toBe(201);
      const callId = /<callId>([^<]+)<\/callId>/.exec(started.xml)![1]!;
      const call = await get(actions(`/calls/${encodeURIComponent(callId)}`));
      expect(xsiSchemaProblems(call.xml, 'Call')).toEqual([]);
    },
  );

  it('answers errors with an ErrorInfo document', async () => {
    const missing = await get(actions('/calls/callhalf-1:0'));
    expect(missing.status).toBe(404);
    expect(xsiSchemaProblems(missing.xml, 'ErrorInfo')).toEqual([]);
    const refused = await get(`${actions('/calls/new')}?address=bel%20me`, 'POST');
    expect(refused.status).toBe(400);
    expect(xsiSchemaProblems(refused.xml, 'ErrorInfo')).toEqual([]);
  });

  it('answers call commands in UTF-8 whatever the user (Xsi spec 3.3.4 Character Sets)', async () => {
    const started = await get(`${actions('/calls/new')}?address=1002`, 'POST');
    expect(started.type).toMatch(/charset=UTF-8/i);
    expect(started.xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    const calls = await get(actions('/calls'));
    expect(calls.type).toMatch(/charset=UTF-8/i);
  });

  it.each([
    ['start=0', 'start'],
    ['start=-1', 'start'],
    ['results=0', 'results'],
    ['results=1001', 'results'],
    ['results=ten', 'results'],
    ['sortColumn=number', 'sortColumn'],
    ['lastName=de/Vries', 'lastName'],
  ])('refuses %s in a directory query with 400 and an ErrorInfo (Xsi spec 3.5.18, 3.5.7.7, 3.5.17)', async (query, param) => {
    const { status, xml } = await get(`${actions('/directories/Enterprise')}?${query}`);
    expect(status).toBe(400);
    expect(xsiSchemaProblems(xml, 'ErrorInfo')).toEqual([]);
    expect(xml).toContain(param);
  });

  it('accepts an escaped slash, and results above the configured page size as that page size (Xsi spec 3.5.17, 3.5.18)', async () => {
    expect((await get(`${actions('/directories/Enterprise')}?lastName=de\\/Vries`)).status).toBe(200);
    const big = await get(`${actions('/directories/Enterprise')}?results=1000`);
    expect(big.status).toBe(200);
    expect(big.xml).toContain('<numberOfRecords>12</numberOfRecords>');
  });

  const names = (xml: string) => [...xml.matchAll(/<firstName>([^<]+)<\/firstName><lastName>([^<]+)<\/lastName>/g)].map((m) => `${m[1]} ${m[2]}`);

  it('sorts by last name unless sortColumn says otherwise (Xsi spec 3.5.7.7)', async () => {
    const byLast = names((await get(`${actions('/directories/Enterprise')}?firstName=*a*/i`)).xml);
    // Case-insensitive: "de Groot" sorts under d, before "Jansen".
    expect(byLast).toEqual(['Bram de Groot', 'Anna de Vries', 'Annelies Jansen', 'Daan Smit', 'Sanne Visser']);
    const byFirst = names((await get(`${actions('/directories/Enterprise')}?lastName=*jansen*/i&sortColumn=firstName`)).xml);
    expect(byFirst).toEqual(['Annelies Jansen', 'Thijs Jansen']);
  });

  it('searches name against "First Last", "Last First" and "Last, First" (Xsi spec 3.5.7.7)', async () => {
    expect(names((await get(`${actions('/directories/Enterprise')}?name=anna de vries/i`)).xml)).toEqual(['Anna de Vries']);
    expect(names((await get(`${actions('/directories/Enterprise')}?name=${encodeURIComponent('de Vries, Anna')}`)).xml)).toEqual(['Anna de Vries']);
    expect(names((await get(`${actions('/directories/Enterprise')}?name=*jansen*/i`)).xml)).toEqual(['Annelies Jansen', 'Thijs Jansen']);
  });

  it('speaks ISO-8859-1 in directory answers like BroadWorks (Xsi spec 3.3.4 and the 3.5.7 examples), declared in Content-Type and the XML declaration alike', async () => {
    const { type, xml } = await get(actions('/directories/CallLogs'));
    expect(type).toMatch(/charset=ISO-8859-1/i);
    expect(xml.startsWith('<?xml version="1.0" encoding="ISO-8859-1"?>')).toBe(true);
    // The seeded missed call is from "Café Zoë": one byte per accented letter, not UTF-8's two.
    expect(xml).toContain('<name>Café Zoë</name>');
    const raw = Buffer.from(await (await fetch(actions('/directories/CallLogs'), { headers: { authorization: auth } })).arrayBuffer());
    expect(raw.includes(Buffer.from('Café Zoë', 'latin1'))).toBe(true);
  });
});

// nock patches node:http for the whole Jest worker, and a later test file in it would still go
// through it (its keep-alive agent's sockets were not reused: test/unit/http-transport.test.ts).
afterAll(() => nock.restore());
