import { timingSafeEqual } from 'node:crypto';
import type { Next, Request, RequestHandler, Response, Server } from 'restify';
import type { SystemName } from '../../core';
import { recordInto, type Emulator } from '../emulator';
import { RequestLog } from '../request-log';
import { SANDBOX_DIRECTORY, SANDBOX_XSI_CREDENTIALS, type SandboxPerson } from './directory-seed';
import { DIRECTORY_SEARCH_PARAMS, hasUnescapedSlash, matchesDirectoryQuery } from './directory-query';
import { el, errorInfo, xsiDocument, type XsiCharset } from './xml';

export interface XsiEmulatorOptions {
  /** How long the caller's own device rings before they answer (Alerting -> Active). */
  alertingMs?: number;
  /** How long the call lasts once answered (Active -> Released). */
  activeMs?: number;
  /** Extra latency per request, for benchmarks. */
  latencyMs?: number;
  credentials?: { username: string; password: string };
}

interface EmulatedCall {
  callId: string;
  extTrackingId: string;
  userId: string;
  address: string;
  state: 'Alerting' | 'Active' | 'Released';
  startTime: number;
  answerTime?: number;
  timer?: NodeJS.Timeout;
}

interface LogEntry {
  type: 'placed' | 'received' | 'missed';
  phoneNumber: string;
  /** Required in CallLogsEntry; BroadWorks keeps the number when it knows no name. */
  name: string;
  time: string;
  callLogId: string;
}

/**
 * The address forms of a call control command (Xsi spec 3.5.4): an E.164 number, an extension,
 * a user id, a SIP URI or a tel URI. Anything else is refused.
 */
const ADDRESS = /^(?:(?:tel:\s?)?\+?\d{2,15}|sip:[^\s@:]+@[^\s@]+|[^\s@:]+@[^\s@]+)$/;

/**
 * BroadWorks Xsi-Actions v2.0 under /sandbox/xsi/com.broadsoft.xsi-actions/v2.0, speaking
 * the XML of the Cisco BroadWorks Xtended Services Interface specification: click-to-dial
 * calls/new (201 CallStartInfo), calls, calls/<callid>, DELETE to release, the Enterprise
 * directory and CallLogs. A click-to-dial call rings the user's own device (Alerting), is
 * answered (Active) and ends (Released) on timers, then shows in the user's placed log.
 */
export class XsiEmulator implements Emulator {
  readonly name = 'xsi';
  readonly serves: readonly SystemName[] = ['xsi'];
  readonly log = new RequestLog();
  /** Every call ever placed, by callId, for tests and demos. */
  readonly calls = new Map<string, EmulatedCall>();
  private readonly callLogs = new Map<string, LogEntry[]>();
  private readonly people = new Map<string, SandboxPerson>(SANDBOX_DIRECTORY.map((p) => [p.userId, p]));
  private sequence = 722250;
  private closed = false;
  private readonly alertingMs: number;
  private readonly activeMs: number;
  private readonly credentials: { username: string; password: string };

  constructor(private readonly options: XsiEmulatorOptions = {}) {
    this.alertingMs = options.alertingMs ?? 3000;
    this.activeMs = options.activeMs ?? 20_000;
    this.credentials = options.credentials ?? SANDBOX_XSI_CREDENTIALS;
    this.seedCallLogs();
  }

  mount(server: Server, base: string): void {
    const root = `${base}/com.broadsoft.xsi-actions/v2.0/user/:userId`;
    const chain = (handler: (req: Request, res: Response, userId: string) => void): RequestHandler[] => [
      recordInto(this.log),
      (req: Request, res: Response, next: Next) => {
        const reply = () => {
          if (!this.authorised(req)) {
            res.setHeader('WWW-Authenticate', 'Basic realm="BroadWorks"');
            sendXml(res, 401, errorInfo(4001, 'Authentication failed'));
            return next(false);
          }
          const userId = String(req.params.userId ?? '');
          if (!this.people.has(userId) && userId !== this.credentials.username) {
            sendXml(res, 404, errorInfo(4008, `User not found: ${userId}`));
            return next(false);
          }
          handler(req, res, userId);
          next();
        };
        const latency = this.options.latencyMs ?? 0;
        if (latency > 0) setTimeout(reply, latency).unref();
        else reply();
      },
    ];

    server.post(`${root}/calls/new`, ...chain((req, res, userId) => this.placeCall(req, res, userId)));
    server.get(`${root}/calls`, ...chain((_req, res, userId) => {
      const active = [...this.calls.values()].filter((c) => c.userId === userId && c.state !== 'Released');
      const uri = (c: EmulatedCall) => `/com.broadsoft.xsi-actions/v2.0/user/${userId}/calls/${c.callId}`;
      sendXml(res, 200, xsiDocument('Calls', active.map((c) => `<call>${el('callId', c.callId)}${el('uri', uri(c))}</call>`).join(''), 'UTF-8'));
    }));
    server.get(`${root}/calls/:callId`, ...chain((req, res, userId) => {
      const call = this.activeCall(userId, String(req.params.callId ?? ''));
      if (!call) return sendXml(res, 404, errorInfo(4012, 'Call not found'));
      sendXml(res, 200, callXml(call));
    }));
    server.del(`${root}/calls/:callId`, ...chain((req, res, userId) => {
      const call = this.activeCall(userId, String(req.params.callId ?? ''));
      if (!call) return sendXml(res, 404, errorInfo(4012, 'Call not found'));
      this.release(call);
      res.sendRaw(200, '');
    }));
    server.get(`${root}/directories/Enterprise`, ...chain((req, res) => this.directory(req, res)));
    server.get(`${root}/directories/CallLogs`, ...chain((_req, res, userId) => {
      const entries = this.callLogs.get(userId) ?? [];
      const list = (type: LogEntry['type']) =>
        `<${type}>${entries
          .filter((e) => e.type === type)
          // Children in the order of type CallLogsEntry (xsd/Directory/XSIDirectories.xsd).
          .map((e) => `<callLogsEntry>${el('countryCode', '31')}${el('phoneNumber', e.phoneNumber)}${el('name', e.name)}${el('time', e.time)}${el('callLogId', e.callLogId)}</callLogsEntry>`)
          .join('')}</${type}>`;
      sendXml(res, 200, xsiDocument('CallLogs', `${list('placed')}${list('received')}${list('missed')}`));
    }));
  }

  /** Stops every call timer; nothing keeps the process alive after this. */
  close(): void {
    this.closed = true;
    for (const call of this.calls.values()) clearTimeout(call.timer);
  }

  private placeCall(req: Request, res: Response, userId: string): void {
    const address = String((req.query as Record<string, unknown> | undefined)?.address ?? '').trim();
    if (!ADDRESS.test(address)) return sendXml(res, 400, errorInfo(4003, `Invalid address: ${address.slice(0, 40)}`));
    this.sequence += 1;
    const call: EmulatedCall = {
      callId: `callhalf-${this.sequence}:0`,
      extTrackingId: `${this.sequence}:1`,
      userId,
      address: address.replace(/^tel:\s?/, '').replace(/^sip:/, ''),
      state: 'Alerting',
      startTime: Date.now(),
    };
    this.calls.set(call.callId, call);
    this.schedule(call, this.alertingMs, () => {
      call.state = 'Active';
      call.answerTime = Date.now();
      this.schedule(call, this.activeMs, () => this.release(call));
    });
    res.setHeader('Location', `/com.broadsoft.xsi-actions/v2.0/user/${userId}/calls/${call.callId}`);
    sendXml(res, 201, xsiDocument('CallStartInfo', `${el('callId', call.callId)}${el('externalTrackingId', call.extTrackingId)}`, 'UTF-8'));
  }

  private directory(req: Request, res: Response): void {
    const query = firstValues((req.query ?? {}) as Record<string, unknown>);
    const refused = refusedDirectoryQuery(query);
    if (refused) return sendXml(res, 400, errorInfo(4003, refused));
    const sortColumn = (query.sortColumn ?? 'lastName') as 'lastName' | 'firstName' | 'department';
    const hits = SANDBOX_DIRECTORY.filter((p) => matchesDirectoryQuery(p, query)).sort(bySortColumn(sortColumn));
    const start = query.start === undefined ? 1 : Number(query.start);
    // results above the configured page size get the configured page size (spec 3.5.18).
    const results = Math.min(PAGE_SIZE_MAX, query.results === undefined ? PAGE_SIZE_DEFAULT : Number(query.results));
    const page = hits.slice(start - 1, start - 1 + results);
    // directoryDetails as type UserAdditionalEnterpriseGroupDetails (xsd/XSIDataTypes.xsd): the
    // user's own elements, then mobile and emailAddress inside additionalDetails, in schema order.
    const details = page
      .map((p) =>
        `<directoryDetails>${el('userId', p.userId)}${el('firstName', p.firstName)}${el('lastName', p.lastName)}${el('groupId', p.groupId)}` +
        `${el('number', p.number)}${el('extension', p.extension)}<additionalDetails>${el('mobile', p.mobile)}${el('emailAddress', p.emailAddress)}</additionalDetails></directoryDetails>`,
      )
      .join('');
    sendXml(res, 200, xsiDocument('Enterprise',
      `${el('startIndex', start)}${el('numberOfRecords', page.length)}${el('totalAvailableRecords', hits.length)}<enterpriseDirectory>${details}</enterpriseDirectory>`));
  }

  private activeCall(userId: string, callId: string): EmulatedCall | undefined {
    const call = this.calls.get(callId);
    return call && call.userId === userId && call.state !== 'Released' ? call : undefined;
  }

  private release(call: EmulatedCall): void {
    clearTimeout(call.timer);
    if (call.state === 'Released') return;
    call.state = 'Released';
    const entries = this.callLogs.get(call.userId) ?? [];
    const called = SANDBOX_DIRECTORY.find((p) => p.extension === call.address || p.number === call.address || p.userId === call.address);
    const name = called ? `${called.firstName} ${called.lastName}` : call.address;
    entries.unshift({ type: 'placed', phoneNumber: call.address, name, time: new Date(call.startTime).toISOString(), callLogId: call.extTrackingId });
    this.callLogs.set(call.userId, entries.slice(0, 50));
  }

  private schedule(call: EmulatedCall, ms: number, then: () => void): void {
    if (this.closed) return;
    call.timer = setTimeout(then, ms);
    call.timer.unref();
  }

  private authorised(req: Request): boolean {
    const header = req.headers.authorization ?? '';
    const match = /^Basic ([A-Za-z0-9+/=]+)$/.exec(header);
    if (!match) return false;
    const given = Buffer.from(match[1]!, 'base64');
    const expected = Buffer.from(`${this.credentials.username}:${this.credentials.password}`, 'utf8');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  private seedCallLogs(): void {
    const hour = 3600_000;
    const now = Date.now();
    for (const [i, p] of SANDBOX_DIRECTORY.entries()) {
      const colleague = SANDBOX_DIRECTORY[(i + 1) % SANDBOX_DIRECTORY.length]!;
      this.callLogs.set(p.userId, [
        { type: 'received', phoneNumber: colleague.extension, name: `${colleague.firstName} ${colleague.lastName}`, time: new Date(now - hour).toISOString(), callLogId: `${9000 + i * 3}:0` },
        { type: 'placed', phoneNumber: '0612345678', name: 'Klant B.V.', time: new Date(now - 2 * hour).toISOString(), callLogId: `${9001 + i * 3}:0` },
        // A name outside ASCII, so the ISO-8859-1 answers are put to the test.
        { type: 'missed', phoneNumber: '0201234599', name: 'Café Zoë', time: new Date(now - 3 * hour).toISOString(), callLogId: `${9002 + i * 3}:0` },
      ]);
    }
  }
}

function callXml(call: EmulatedCall): string {
  const colleague = call.address.length <= 6 || call.address.includes('@');
  const remote = call.address.includes('@') ? `sip:${call.address}` : call.address.length <= 6 ? call.address : `tel:${call.address}`;
  return xsiDocument('Call',
    `${el('callId', call.callId)}${el('extTrackingId', call.extTrackingId)}${el('personality', 'Click-to-Dial')}${el('state', call.state)}` +
    `<remoteParty>${el('address', remote)}${el('callType', colleague ? 'Group' : 'Network')}</remoteParty>` +
    `${el('startTime', call.startTime)}${el('answerTime', call.answerTime)}`, 'UTF-8');
}

/**
 * BroadWorks writes its XML in ISO-8859-1 (`<?xml version="1.0" encoding="ISO-8859-1"?>`, as in
 * the BroadWorks capture src/test/resources/teststream.txt of github.com/spr-plusnet/libxsi), so
 * the emulator answers in it too, in the declaration and the Content-Type alike: a client that
 * decodes everything as UTF-8 garbles names here.
 */
function sendXml(res: Response, status: number, xml: string): void {
  const charset: XsiCharset = xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>') ? 'UTF-8' : 'ISO-8859-1';
  res.setHeader('Content-Type', `application/xml;charset=${charset}`);
  res.sendRaw(status, Buffer.from(xml, charset === 'UTF-8' ? 'utf8' : 'latin1'));
}

/** The emulator's configured page sizes (a system option in BroadWorks, spec 3.5.18). */
const PAGE_SIZE_DEFAULT = 50;
const PAGE_SIZE_MAX = 100;

/** Repeated single-value parameters count with their first value only (spec 3.3). */
function firstValues(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(query)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k] = first;
  }
  return out;
}

/**
 * What BroadWorks refuses in a directory query, as a summary naming the parameter: start and
 * results must be positive integers, results at most 1000 (spec 3.5.18 Paging Responses);
 * sortColumn is lastName, firstName or department (3.5.7.7); a `/` in a search term must be
 * escaped (3.5.17). The spec publishes no error codes for these; 4003 is the emulator's own.
 */
function refusedDirectoryQuery(query: Record<string, string>): string | undefined {
  for (const param of ['start', 'results']) {
    const value = query[param];
    if (value !== undefined && (!/^\d+$/.test(value) || Number(value) < 1 || (param === 'results' && Number(value) > 1000))) {
      return `Invalid value for ${param}: ${value.slice(0, 20)}`;
    }
  }
  if (query.sortColumn !== undefined && !['lastName', 'firstName', 'department'].includes(query.sortColumn)) {
    return `Invalid value for sortColumn: ${query.sortColumn.slice(0, 20)}`;
  }
  const slashed = DIRECTORY_SEARCH_PARAMS.find((p) => query[p] !== undefined && hasUnescapedSlash(query[p]!));
  return slashed ? `Invalid search criteria for ${slashed}: a / must be escaped as \\/` : undefined;
}

/** Directory order (spec 3.5.7.7 sortColumn, default lastName), case-insensitive. */
function bySortColumn(column: 'lastName' | 'firstName' | 'department'): (a: SandboxPerson, b: SandboxPerson) => number {
  // The seed has no departments: sorting by department keeps the directory's own order.
  const key = (p: SandboxPerson) => (column === 'department' ? '' : p[column]).toLowerCase();
  const name = (p: SandboxPerson) => `${p.lastName} ${p.firstName}`.toLowerCase();
  return (a, b) => key(a).localeCompare(key(b)) || name(a).localeCompare(name(b));
}
