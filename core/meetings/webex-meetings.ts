import { z } from 'zod';
import { UpstreamError, UserError } from '../errors';
import type { Meeting, Meetings, NewMeeting, PersonalRoom, WebexCredentials, WebexIdentity } from './meetings-port';

export const DEFAULT_WEBEX_API_URL = 'https://webexapis.com/v1';

export interface WebexMeetingsClientOptions {
  /** e.g. https://webexapis.com/v1; a function because the sandbox URL is known only after listen. */
  baseUrl: () => string;
  /** A 429 whose Retry-After is at most this many seconds is waited out once; longer ones fail fast. */
  maxRetryAfterSeconds?: number;
  timeoutMs?: number;
}

// Response shapes: https://developer.webex.com/docs/api/v1/meetings/get-a-meeting (only what we use).
const meetingSchema = z.object({
  id: z.string(),
  title: z.string().default(''),
  start: z.string(),
  end: z.string(),
  timezone: z.string().default('UTC'),
  webLink: z.string(),
  meetingNumber: z.string().default(''),
  password: z.string().optional(),
  state: z.string().default('active'),
  hostEmail: z.string().optional(),
  sipAddress: z.string().optional(),
});
const listSchema = z.object({ items: z.array(meetingSchema) });
// https://developer.webex.com/docs/api/v1/meeting-preferences/get-personal-meeting-room-options
const personalRoomSchema = z.object({
  personalMeetingRoomLink: z.string(),
  topic: z.string().optional(),
  sipAddress: z.string().optional(),
});
// https://developer.webex.com/docs/api/v1/people/get-my-own-details
const personSchema = z.object({ id: z.string(), emails: z.array(z.string()), displayName: z.string().default('') });
const errorSchema = z.object({ message: z.string().optional() }).passthrough();

function toMeeting(m: z.infer<typeof meetingSchema>): Meeting {
  return {
    id: m.id,
    title: m.title,
    start: m.start,
    end: m.end,
    timeZone: m.timezone,
    webLink: m.webLink,
    meetingNumber: m.meetingNumber,
    password: m.password,
    state: m.state,
    hostEmail: m.hostEmail,
    sipAddress: m.sipAddress,
  };
}

/** Retry-After is whole seconds for Webex (REST API basics, "Rate Limiting"); an HTTP date is accepted too. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (!header) return 60;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const date = Date.parse(header);
  return Number.isNaN(date) ? 60 : Math.max(0, Math.ceil((date - now) / 1000));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The Webex Meetings REST API, acting as the person whose credentials are passed. */
export class WebexMeetingsClient implements Meetings {
  private readonly maxRetryAfter: number;
  private readonly timeoutMs: number;

  constructor(private readonly options: WebexMeetingsClientOptions) {
    this.maxRetryAfter = options.maxRetryAfterSeconds ?? 2;
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async create(credentials: WebexCredentials, meeting: NewMeeting): Promise<Meeting> {
    // https://developer.webex.com/docs/api/v1/meetings/create-a-meeting
    const body = {
      title: meeting.title,
      start: meeting.start.toISOString(),
      end: meeting.end.toISOString(),
      timezone: meeting.timeZone,
      enabledAutoRecordMeeting: meeting.autoRecord,
      ...(meeting.password ? { password: meeting.password } : {}),
      ...(meeting.invitees.length > 0
        ? { invitees: meeting.invitees.map((i) => ({ email: i.email, ...(i.displayName ? { displayName: i.displayName } : {}) })) }
        : {}),
      sendEmail: meeting.invitees.length > 0,
    };
    return toMeeting(meetingSchema.parse(await this.call(credentials, 'POST', '/meetings', body)));
  }

  async listUpcoming(credentials: WebexCredentials, range: { from: Date; to: Date; max: number }): Promise<Meeting[]> {
    // https://developer.webex.com/docs/api/v1/meetings/list-meetings
    const query = new URLSearchParams({
      meetingType: 'scheduledMeeting',
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      max: String(range.max),
    });
    const { items } = listSchema.parse(await this.call(credentials, 'GET', `/meetings?${query}`));
    return items.map(toMeeting).sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
  }

  async get(credentials: WebexCredentials, id: string): Promise<Meeting> {
    return toMeeting(meetingSchema.parse(await this.call(credentials, 'GET', `/meetings/${encodeURIComponent(id)}`)));
  }

  async delete(credentials: WebexCredentials, id: string): Promise<void> {
    await this.call(credentials, 'DELETE', `/meetings/${encodeURIComponent(id)}`);
  }

  async personalRoom(credentials: WebexCredentials): Promise<PersonalRoom> {
    const room = personalRoomSchema.parse(await this.call(credentials, 'GET', '/meetingPreferences/personalMeetingRoom'));
    return { link: room.personalMeetingRoomLink, topic: room.topic, sipAddress: room.sipAddress };
  }

  async me(credentials: WebexCredentials): Promise<WebexIdentity> {
    return personSchema.parse(await this.call(credentials, 'GET', '/people/me'));
  }

  /** One request with Webex's rules: a single refresh after 401, a single short wait after 429. */
  private async call(credentials: WebexCredentials, method: string, path: string, body?: unknown): Promise<unknown> {
    let token = await credentials.accessToken();
    let refreshed = false;
    let waited = false;
    for (;;) {
      const res = await this.send(method, path, token, body);
      if (res.status === 401) {
        if (refreshed) throw new UserError('meetings.reconnect', {}, 401);
        refreshed = true;
        token = await credentials.refresh();
        continue;
      }
      if (res.status === 429) {
        const seconds = retryAfterSeconds(res.headers.get('retry-after'));
        if (!waited && seconds <= this.maxRetryAfter) {
          waited = true;
          await sleep(seconds * 1000);
          continue;
        }
        throw new UpstreamError('Webex', 429, 'upstream.rateLimited', seconds);
      }
      const text = await res.text();
      if (res.status === 404) throw new UserError('meetings.notFound', {}, 404);
      if (res.status >= 400 && res.status < 500) {
        throw new UserError('meetings.webexRefused', { message: webexMessage(text) || `HTTP ${res.status}` }, 400);
      }
      if (!res.ok) throw new UpstreamError('Webex', res.status, 'upstream.unavailable', undefined, webexMessage(text));
      if (text.length === 0) return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new UpstreamError('Webex', res.status, 'upstream.unavailable', undefined, 'response is not JSON');
      }
    }
  }

  private async send(method: string, path: string, token: string, body: unknown): Promise<Response> {
    try {
      return await fetch(`${this.options.baseUrl().replace(/\/+$/, '')}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new UpstreamError('Webex', undefined, 'upstream.unavailable', undefined, (err as Error).message);
    }
  }
}

function webexMessage(text: string): string {
  try {
    const parsed = errorSchema.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data.message ?? '').slice(0, 200) : '';
  } catch {
    return '';
  }
}
