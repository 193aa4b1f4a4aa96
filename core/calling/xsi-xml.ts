import { XMLParser } from 'fast-xml-parser';
import type { CallDetail, CallLogEntry, CallStart, DirectoryEntry } from './telephony';

/**
 * Reading the Xsi-Actions v2.0 XML documents (namespace http://schema.broadsoft.com/xsi),
 * as described in the Cisco BroadWorks Xtended Services Interface specification,
 * section "User Call Commands" (/user/<userid>/calls…) and "Directories"
 * (Enterprise, CallLogs). Values stay strings: numbers have meaningful leading zeros.
 */
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === 'call' || name === 'directoryDetails' || name === 'callLogsEntry',
  processEntities: true,
});

type Node = Record<string, unknown>;

function parse(xml: string): Node {
  const doc = parser.parse(xml) as unknown;
  return doc && typeof doc === 'object' ? (doc as Node) : {};
}

function child(node: unknown, name: string): Node | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const value = (node as Node)[name];
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Node) : undefined;
}

function list(node: unknown, name: string): Node[] {
  if (!node || typeof node !== 'object') return [];
  const value = (node as Node)[name];
  return Array.isArray(value) ? value.filter((v): v is Node => !!v && typeof v === 'object') : [];
}

function text(node: unknown, name: string): string | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const value = (node as Node)[name];
  if (typeof value === 'string' || typeof value === 'number') {
    const s = String(value).trim();
    return s === '' ? undefined : s;
  }
  return undefined;
}

/** Epoch milliseconds; a value past what a Date holds (ECMA-262: 8.64e15 ms) is dropped, not kept as an Invalid Date. */
function millis(value: string | undefined): Date | undefined {
  if (!value || !/^\d+$/.test(value)) return undefined;
  const date = new Date(Number(value));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** 201 body of POST calls/new: `<CallStartInfo><callId/><externalTrackingId/></CallStartInfo>`. */
export function parseCallStartInfo(xml: string): CallStart | undefined {
  const info = child(parse(xml), 'CallStartInfo');
  const callId = text(info, 'callId');
  return callId ? { callId, externalTrackingId: text(info, 'externalTrackingId') } : undefined;
}

/** GET calls: `<Calls><call><callId/><uri/></call>…</Calls>`. */
export function parseCalls(xml: string): string[] {
  return list(child(parse(xml), 'Calls'), 'call')
    .map((c) => text(c, 'callId'))
    .filter((id): id is string => id !== undefined);
}

/** GET calls/<callid>: `<Call><callId/><personality/><state/><remoteParty>…</remoteParty><startTime/>…</Call>`. */
export function parseCall(xml: string): CallDetail | undefined {
  const call = child(parse(xml), 'Call');
  const callId = text(call, 'callId');
  if (!callId) return undefined;
  const remote = child(call, 'remoteParty');
  return {
    callId,
    state: text(call, 'state') ?? 'Released',
    remoteAddress: text(remote, 'address'),
    remoteName: text(remote, 'name'),
    startTime: millis(text(call, 'startTime')),
    answerTime: millis(text(call, 'answerTime')),
  };
}

/**
 * GET directories/CallLogs: `<CallLogs><placed|received|missed><callLogsEntry>…` (element CallLogs,
 * type CallLogsEntry in the published xsd/Directory/XSIDirectories.xsd: countryCode?, phoneNumber,
 * name, time, callLogId). `name` is required there, so a caller without a name carries the number
 * as name: that is no name to show.
 */
export function parseCallLogs(xml: string): CallLogEntry[] {
  const logs = child(parse(xml), 'CallLogs');
  const entries: CallLogEntry[] = [];
  for (const type of ['placed', 'received', 'missed'] as const) {
    for (const e of list(child(logs, type), 'callLogsEntry')) {
      const phoneNumber = text(e, 'phoneNumber');
      const callLogId = text(e, 'callLogId');
      const time = text(e, 'time');
      if (!phoneNumber || !callLogId || !time) continue;
      const name = text(e, 'name');
      entries.push({ type, callLogId, phoneNumber, countryCode: text(e, 'countryCode'), name: name === phoneNumber ? undefined : name, time });
    }
  }
  return entries.sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
}

/**
 * GET directories/Enterprise: `<Enterprise><enterpriseDirectory><directoryDetails>…`. In the
 * published schema (type UserAdditionalEnterpriseGroupDetails, xsd/XSIDataTypes.xsd) a
 * directoryDetails holds userId, names, groupId, number and extension itself, and mobile and
 * emailAddress only inside its additionalDetails (type UserAdditionalDetails).
 */
export function parseEnterpriseDirectory(xml: string): DirectoryEntry[] {
  const directory = child(child(parse(xml), 'Enterprise'), 'enterpriseDirectory');
  return list(directory, 'directoryDetails').flatMap((d) => {
    const userId = text(d, 'userId');
    if (!userId) return [];
    const firstName = text(d, 'firstName');
    const lastName = text(d, 'lastName');
    const additional = child(d, 'additionalDetails');
    return [{
      userId,
      firstName,
      lastName,
      displayName: [firstName, lastName].filter(Boolean).join(' ') || userId,
      number: text(d, 'number'),
      extension: text(d, 'extension'),
      mobile: text(additional, 'mobile'),
      email: text(additional, 'emailAddress'),
      groupId: text(d, 'groupId'),
    }];
  });
}

/** Error bodies: `<ErrorInfo><summary/><summaryEnglish/><errorCode/></ErrorInfo>`. */
export function parseErrorInfo(xml: string): { summary: string | undefined; errorCode: string | undefined } {
  try {
    const info = child(parse(xml), 'ErrorInfo');
    return { summary: text(info, 'summaryEnglish') ?? text(info, 'summary'), errorCode: text(info, 'errorCode') };
  } catch {
    return { summary: undefined, errorCode: undefined };
  }
}

/**
 * The text of an Xsi answer. BroadWorks writes its XML in ISO-8859-1 (`encoding="ISO-8859-1"`, as
 * in the BroadWorks capture src/test/resources/teststream.txt of github.com/spr-plusnet/libxsi),
 * not always UTF-8, so bytes are decoded by the charset of the
 * Content-Type, else by the XML declaration (XML 1.0 section 4.3.3, RFC 7303 section 3.2), else
 * as UTF-8. Only the charsets BroadWorks is known to use are honoured; anything else is UTF-8.
 */
export function decodeXsiBody(bytes: Uint8Array, contentType: string | null): string {
  const declared = /charset\s*=\s*"?([A-Za-z0-9._-]+)/i.exec(contentType ?? '')?.[1]
    ?? /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(latin1Head(bytes))?.[1];
  const charset = declared?.toLowerCase();
  const label = charset === 'iso-8859-1' || charset === 'latin1' || charset === 'iso_8859-1' || charset === 'us-ascii' ? 'latin1' : 'utf-8';
  return label === 'latin1' ? Buffer.from(bytes).toString('latin1') : new TextDecoder('utf-8').decode(bytes);
}

function latin1Head(bytes: Uint8Array): string {
  return Buffer.from(bytes.subarray(0, 200)).toString('latin1');
}
