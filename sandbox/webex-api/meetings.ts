/**
 * Meetings on the Webex emulator. Shapes follow https://developer.webex.com/docs/api/v1/meetings
 * (Create a Meeting, List Meetings, Get a Meeting, Delete a Meeting): a POST creates a
 * `meetingSeries`; List Meetings with `meetingType=scheduledMeeting` returns its occurrence,
 * whose id is `<seriesId>_<yyyyMMddTHHmmssZ>` as on the real API.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { Request, Response, Server } from 'restify';
import { jsonBody } from '../../inbound';
import type { WebexContext, WebexPerson } from './webex-emulator';

interface StoredMeeting {
  id: string;
  hostId: string;
  title: string;
  start: Date;
  end: Date;
  timezone: string;
  password: string;
  meetingNumber: string;
  webLink: string;
  invitees: { email: string; displayName?: string }[];
  enabledAutoRecordMeeting: boolean;
  created: Date;
}

const SITE = 'sandbox.webex.com';
/**
 * Create a Meeting (developer.webex.com; spec webex-openapi-specs public-spec/webex-meeting.json,
 * `start`/`end`): times are kept to the minute; a `start` before the current minute is
 * refused, one within it moves to the next minute; the length is 10 minutes to 23 h 59 min.
 */
const MINUTE = 60_000;
const MIN_LENGTH_MS = 10 * MINUTE;
const MAX_LENGTH_MS = (23 * 60 + 59) * MINUTE;
/** "The maximum size of invitees is 1000." */
const MAX_INVITEES = 1000;
const toMinute = (d: Date) => new Date(Math.floor(d.getTime() / MINUTE) * MINUTE);

const compact = (d: Date) => d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

function seriesJson(m: StoredMeeting, host: WebexPerson) {
  return {
    id: m.id,
    meetingNumber: m.meetingNumber,
    title: m.title,
    password: m.password,
    phoneAndVideoSystemPassword: m.meetingNumber.slice(0, 8),
    meetingType: 'meetingSeries',
    state: 'active',
    timezone: m.timezone,
    start: m.start.toISOString(),
    end: m.end.toISOString(),
    hostUserId: host.id,
    hostDisplayName: host.displayName,
    hostEmail: host.emails[0],
    siteUrl: SITE,
    webLink: m.webLink,
    sipAddress: `${m.meetingNumber}@${SITE}`,
    dialInIpAddress: '173.243.2.68',
    enabledAutoRecordMeeting: m.enabledAutoRecordMeeting,
    allowAnyUserToBeCoHost: false,
    enabledJoinBeforeHost: false,
    enableConnectAudioBeforeHost: false,
    joinBeforeHostMinutes: 0,
    excludePassword: false,
    publicMeeting: false,
    reminderTime: 10,
    unlockedMeetingJoinSecurity: 'allowJoinWithLobby',
    sessionTypeId: 3,
    scheduledType: 'meeting',
    enabledWebcastView: false,
    enableAutomaticLock: false,
    allowFirstUserToBeCoHost: false,
    allowAuthenticatedDevices: false,
  };
}

function occurrenceJson(m: StoredMeeting, host: WebexPerson) {
  return {
    ...seriesJson(m, host),
    id: `${m.id}_${compact(m.start)}`,
    meetingSeriesId: m.id,
    meetingType: 'scheduledMeeting',
    state: 'ready',
    isModified: false,
  };
}

const isoDate = (v: unknown): Date | undefined => {
  if (typeof v !== 'string') return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
};

export function meetingsFeature(server: Server, base: string, ctx: WebexContext): void {
  const meetings = new Map<string, StoredMeeting>();
  const seriesOf = (id: string) => meetings.get(id.split('_')[0] ?? '');

  server.post(`${base}/meetings`, jsonBody(), ...ctx.authenticated((req: Request, res: Response, host: WebexPerson) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const requestedStart = isoDate(body.start);
    const requestedEnd = isoDate(body.end);
    if (typeof body.title !== 'string' || body.title.length === 0 || body.title.length > 128) {
      return ctx.fail(res, 400, 'title is required and must be at most 128 characters.');
    }
    if (!requestedStart || !requestedEnd) return ctx.fail(res, 400, 'start and end must be ISO 8601 date-times.');
    const thisMinute = toMinute(new Date());
    let start = toMinute(requestedStart);
    const end = toMinute(requestedEnd);
    if (start < thisMinute) return ctx.fail(res, 400, 'start cannot be before current date and time.');
    if (start.getTime() === thisMinute.getTime()) start = new Date(thisMinute.getTime() + MINUTE);
    if (end <= start) return ctx.fail(res, 400, 'end cannot be before current date and time or before start.');
    const length = end.getTime() - start.getTime();
    if (length < MIN_LENGTH_MS || length > MAX_LENGTH_MS) {
      return ctx.fail(res, 400, 'Duration between start and end cannot be shorter than 10 minutes or longer than 23 hours 59 minutes.');
    }
    const timezone = typeof body.timezone === 'string' ? body.timezone : 'UTC';
    if (!Intl.supportedValuesOf('timeZone').includes(timezone) && timezone !== 'UTC') return ctx.fail(res, 400, `Invalid timezone ${timezone}.`);
    const invitees = Array.isArray(body.invitees) ? body.invitees : [];
    if (invitees.length > MAX_INVITEES) return ctx.fail(res, 400, `The maximum size of invitees is ${MAX_INVITEES}.`);
    if (!invitees.every((i) => typeof i === 'object' && i !== null && typeof (i as { email?: unknown }).email === 'string' && /@/.test((i as { email: string }).email))) {
      return ctx.fail(res, 400, 'Each invitee needs a valid email.');
    }
    const id = randomBytes(16).toString('hex');
    const meeting: StoredMeeting = {
      id,
      hostId: host.id,
      title: body.title,
      start,
      end,
      timezone,
      // Webex generates a password that follows the site's rules when none is given.
      password: typeof body.password === 'string' && body.password ? body.password : `Sb${randomBytes(4).toString('hex')}!`,
      meetingNumber: String(randomInt(100_000_000, 999_999_999)) + String(randomInt(0, 9)),
      webLink: `https://${SITE}/sandbox/j.php?MTID=m${randomBytes(16).toString('hex')}`,
      invitees: invitees as StoredMeeting['invitees'],
      enabledAutoRecordMeeting: body.enabledAutoRecordMeeting === true,
      created: new Date(),
    };
    meetings.set(id, meeting);
    res.send(200, seriesJson(meeting, host));
  }));

  server.get(`${base}/meetings`, ...ctx.authenticated((req: Request, res: Response, host: WebexPerson) => {
    const q = (req.query ?? {}) as Record<string, string | undefined>;
    const from = q.from ? isoDate(q.from) : new Date();
    const to = q.to ? isoDate(q.to) : new Date(Date.now() + 7 * 86_400_000);
    if (!from || !to) return ctx.fail(res, 400, 'from and to must be ISO 8601 date-times.');
    if (from > to) return ctx.fail(res, 400, 'from cannot be after to.');
    const max = Math.min(Math.max(Number(q.max ?? 10) || 10, 1), 100);
    const mine = [...meetings.values()]
      .filter((m) => m.hostId === host.id && m.start >= from && m.start < to)
      .sort((a, b) => a.start.getTime() - b.start.getTime())
      .slice(0, max);
    const scheduled = (q.meetingType ?? 'meetingSeries') === 'scheduledMeeting';
    res.send(200, { items: mine.map((m) => (scheduled ? occurrenceJson(m, host) : seriesJson(m, host))) });
  }));

  server.get(`${base}/meetings/:meetingId`, ...ctx.authenticated((req: Request, res: Response, host: WebexPerson) => {
    const id = String(req.params.meetingId);
    const m = seriesOf(id);
    if (!m || m.hostId !== host.id) return ctx.fail(res, 404, 'The requested resource could not be found.');
    res.send(200, id.includes('_') ? occurrenceJson(m, host) : seriesJson(m, host));
  }));

  server.del(`${base}/meetings/:meetingId`, ...ctx.authenticated((req: Request, res: Response, host: WebexPerson) => {
    const m = seriesOf(String(req.params.meetingId));
    if (!m || m.hostId !== host.id) return ctx.fail(res, 404, 'The requested resource could not be found.');
    meetings.delete(m.id);
    res.send(204);
  }));
}
