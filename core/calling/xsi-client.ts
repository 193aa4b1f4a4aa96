import { UpstreamError } from '../errors';
import type { MessageKey } from '../i18n';
import type { CallDetail, CallLogEntry, CallStart, DirectoryEntry, DirectoryQuery, Telephony } from './telephony';
import { decodeXsiBody, parseCall, parseCallLogs, parseCalls, parseCallStartInfo, parseEnterpriseDirectory, parseErrorInfo } from './xsi-xml';

export interface XsiCredentials {
  username: string;
  password: string;
}

export interface XsiClientOptions {
  /** Up to (not including) /com.broadsoft.xsi-actions; asked per request (sandbox port). */
  baseUrl: () => string;
  /** The enterprise administrator credential, read from the token vault. */
  credentials: () => Promise<XsiCredentials>;
  /** Per attempt. Default 5 s: a click-to-dial answer is normally well under a second. */
  timeoutMs?: number;
  /** Extra attempts for GETs after a timeout, network error or 5xx. Default 2. */
  getRetries?: number;
  fetch?: typeof fetch;
}

export const XSI_SYSTEM = 'KPN EEN';
const ACTIONS = '/com.broadsoft.xsi-actions/v2.0';

type Method = 'GET' | 'POST' | 'DELETE';

/**
 * BroadWorks Xsi-Actions v2.0 over HTTPS with Basic auth (Xsi spec, "Authentication").
 * Only GETs are retried: a POST to calls/new that timed out may still have rung the
 * user's phone, and a second POST would ring it twice and dial the number twice.
 */
export class XsiClient implements Telephony {
  private readonly timeoutMs: number;
  private readonly getRetries: number;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: XsiClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.getRetries = options.getRetries ?? 2;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async placeCall(userId: string, address: string): Promise<CallStart> {
    const body = await this.request('POST', `${userPath(userId)}/calls/new`, { address });
    const start = parseCallStartInfo(body);
    if (!start) throw new UpstreamError(XSI_SYSTEM, 201, 'calling.xsi.unavailable', undefined, 'CallStartInfo without callId');
    return start;
  }

  async activeCalls(userId: string): Promise<string[]> {
    return parseCalls(await this.request('GET', `${userPath(userId)}/calls`));
  }

  async call(userId: string, callId: string): Promise<CallDetail | undefined> {
    try {
      return parseCall(await this.request('GET', `${userPath(userId)}/calls/${encodeURIComponent(callId)}`));
    } catch (err) {
      // A released call is gone from BroadWorks: 404 here means "over", not an error.
      if (err instanceof UpstreamError && err.status === 404) return undefined;
      throw err;
    }
  }

  async hangUp(userId: string, callId: string): Promise<void> {
    await this.request('DELETE', `${userPath(userId)}/calls/${encodeURIComponent(callId)}`);
  }

  async callLogs(userId: string): Promise<CallLogEntry[]> {
    return parseCallLogs(await this.request('GET', `${userPath(userId)}/directories/CallLogs`));
  }

  async searchDirectory(userId: string, query: DirectoryQuery): Promise<DirectoryEntry[]> {
    const found = new Map<string, DirectoryEntry>();
    for (const params of directoryParamSets(query)) {
      const entries = parseEnterpriseDirectory(await this.request('GET', `${userPath(userId)}/directories/Enterprise`, params));
      for (const e of entries) if (!found.has(e.userId)) found.set(e.userId, e);
    }
    return [...found.values()].slice(0, query.limit ?? 25);
  }

  private async request(method: Method, path: string, query: Record<string, string> = {}): Promise<string> {
    const url = new URL(`${this.options.baseUrl().replace(/\/+$/, '')}${ACTIONS}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const { username, password } = await this.options.credentials();
    const headers = {
      authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`,
      accept: 'application/xml',
    };
    const attempts = method === 'GET' ? 1 + this.getRetries : 1;
    let lastError: UpstreamError | undefined;
    for (let attempt = 1; attempt <= attempts; attempt += 1) {
      if (attempt > 1) await delay(100 * 2 ** (attempt - 2));
      let res: Response;
      let body: string;
      const signal = AbortSignal.timeout(this.timeoutMs);
      try {
        res = await this.fetch(url, { method, headers, signal });
        body = decodeXsiBody(new Uint8Array(await res.arrayBuffer()), res.headers.get('content-type'));
      } catch (err) {
        lastError = failureFor(err, signal.aborted);
        continue;
      }
      if (res.ok) return body;
      lastError = errorFor(res.status, body, res.headers.get('retry-after'));
      if (res.status < 500) throw lastError;
    }
    throw lastError ?? new UpstreamError(XSI_SYSTEM, undefined, 'calling.xsi.unavailable');
  }
}

function userPath(userId: string): string {
  return `/user/${encodeURIComponent(userId)}`;
}

/**
 * A name of several words is searched twice, because Dutch surnames carry prefixes:
 * "Anna de Vries" as first name Anna + last name "de Vries", and "de Groot" as a last name.
 */
export function directoryParamSets(query: DirectoryQuery): Record<string, string>[] {
  const name = query.name?.trim().replace(/\s+/g, ' ');
  const first = directoryParams(query);
  if (!name || !name.includes(' ')) return [first];
  const { firstName: _f, lastName: _l, ...rest } = first;
  return [first, { ...rest, lastName: `*${name.replace(/[*/]/g, '')}*/i` }];
}

/**
 * Xsi directory search: `*` is a wildcard and a trailing `/i` makes a term case
 * insensitive (Xsi spec, "Enterprise" directory query parameters). One word matches
 * first or last name; "Anna de Vries" matches first name Anna and last name de Vries.
 */
export function directoryParams(query: DirectoryQuery): Record<string, string> {
  const params: Record<string, string> = {};
  const term = (s: string) => `*${s.replace(/[*/]/g, '')}*/i`;
  const name = query.name?.trim().replace(/\s+/g, ' ');
  if (name) {
    const [first, ...rest] = name.split(' ');
    if (rest.length === 0) {
      params.firstName = term(first!);
      params.lastName = term(first!);
      params.searchCriteriaModeOr = 'true';
    } else {
      params.firstName = term(first!);
      params.lastName = term(rest.join(' '));
    }
  }
  if (query.number) params.number = `*${significantDigits(query.number)}*`;
  if (query.extension) params.extension = query.extension.replace(/\D/g, '');
  if (query.email) params.emailAddress = `${query.email.trim().replace(/[*/]/g, '')}/i`;
  params.results = String(query.limit ?? 25);
  return params;
}

/**
 * The digits of a number that both its national and its E.164 form contain. Directory numbers
 * are E.164 (type DN in the published xsd/XSIDataTypes.xsd; "+19008005006" in the spec's
 * directories/Enterprise example), so "020 123 4501" is searched as *201234501*, which matches
 * "+31201234501"; "+31…" and "0031…" keep their country code, which E.164 contains too.
 */
function significantDigits(number: string): string {
  const digits = number.replace(/\D/g, '');
  if (number.trim().startsWith('+')) return digits;
  if (digits.startsWith('00')) return digits.slice(2);
  return digits.replace(/^0/, '');
}

function errorFor(status: number, body: string, retryAfter: string | null): UpstreamError {
  const { summary, errorCode } = parseErrorInfo(body);
  // Summaries can quote the dialled number; logs keep only its last three digits.
  const detail = [errorCode, summary].filter(Boolean).join(' ').replace(/\+?\d[\d\s-]{4,}(\d{3})\b/g, '***$1') || undefined;
  const key: MessageKey =
    status === 401 ? 'calling.xsi.unauthorized'
    : status === 403 ? 'calling.xsi.forbidden'
    : status === 404 ? 'calling.xsi.notFound'
    : status === 429 ? 'upstream.rateLimited'
    : status >= 500 ? 'calling.xsi.unavailable'
    : 'calling.xsi.rejected';
  const seconds = retryAfter && /^\d+$/.test(retryAfter) ? Number(retryAfter) : undefined;
  return new UpstreamError(XSI_SYSTEM, status, key, seconds, detail);
}

function failureFor(err: unknown, timedOut: boolean): UpstreamError {
  // After a timeout a POSTed call may exist: the message says to check the phone first.
  const key: MessageKey = timedOut ? 'calling.xsi.timeout' : 'calling.xsi.unavailable';
  return new UpstreamError(XSI_SYSTEM, undefined, key, undefined, timedOut ? 'timeout' : err instanceof Error ? err.message : String(err));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
