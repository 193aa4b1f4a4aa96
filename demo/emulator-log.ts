import type { LoggedRequest } from '../sandbox/request-log';
import { expectStatus, jsonOf, request } from './http';
import { say } from './narrator';

/** What `GET /sandbox/<name>/_log` received since `since` (an ISO time), oldest first. */
export async function logSince(baseUrl: string, emulator: string, since: string): Promise<LoggedRequest[]> {
  const answer = await request(`${baseUrl}/sandbox/${emulator}/_log`);
  expectStatus(answer, 200, `GET /sandbox/${emulator}/_log`);
  return jsonOf<{ requests: LoggedRequest[] }>(answer).requests.filter((r) => r.at >= since);
}

/** Fields worth showing, in this order; secrets (client_secret, code, token) are never among them. */
const interesting = [
  'type', 'text', 'markdown', 'title', 'start', 'end', 'timezone', 'roomId', 'parentId', 'toPersonEmail',
  'response_type', 'channel', 'user', 'grant_type', 'redirect_uri', 'address',
] as const;

const short = (value: string, max = 90) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

function parsed(entry: LoggedRequest): Record<string, unknown> {
  if (!entry.body) return {};
  try {
    const json = JSON.parse(entry.body) as unknown;
    return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  } catch {
    return Object.fromEntries(new URLSearchParams(entry.body));
  }
}

/** The first text of an Adaptive Card attachment, as Teams and Webex show it on top. */
function cardHeadline(body: Record<string, unknown>): string | undefined {
  const attachments = body.attachments;
  if (!Array.isArray(attachments)) return undefined;
  for (const a of attachments as { contentType?: string; content?: { body?: { text?: unknown }[] } }[]) {
    if (a.contentType !== 'application/vnd.microsoft.card.adaptive') continue;
    const text = a.content?.body?.find((b) => typeof b.text === 'string')?.text;
    return typeof text === 'string' ? `card "${text}"` : 'card';
  }
  return undefined;
}

/** One line: method, path, and the interesting part of the body (and query). */
export function summarise(entry: LoggedRequest): string {
  const body = { ...entry.query, ...parsed(entry) };
  const parts: string[] = [];
  for (const key of interesting) {
    const value = body[key];
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') parts.push(`${key}=${JSON.stringify(short(String(value)))}`);
  }
  const card = cardHeadline(body);
  if (card) parts.push(short(card));
  return `${entry.method} ${entry.path}${parts.length > 0 ? `  ${parts.join(' ')}` : ''}`;
}

/** Prints what each emulator received since the story began. */
export async function showReceived(baseUrl: string, emulators: readonly string[], since: string): Promise<void> {
  say('  What the emulators received:');
  for (const name of emulators) {
    const entries = await logSince(baseUrl, name, since);
    say(`    ${name} (${entries.length} request${entries.length === 1 ? '' : 's'}):`);
    for (const entry of entries) say(`      ${summarise(entry)}`);
  }
}
