import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Actor } from '../actor';
import type { AuditLog } from '../audit-log';
import { isoNow, systemClock, type Clock } from '../clock';
import { UserError } from '../errors';
import { translate } from '../i18n';
import { UserDirectory, type User } from '../identity/users';
import type { Database } from '../store/schema';
import { checkMeetingRequest, type MeetingPolicy, type MeetingRequest } from './licence-policy';
import type { Meeting, MeetingInvitee, Meetings, PersonalRoom } from './meetings-port';
import { DEFAULT_TIME_ZONE, MAX_TITLE_LENGTH, parseSchedule } from './schedule-parser';
import type { WebexAccounts } from './webex-accounts';

export interface MeetingServiceOptions {
  meetings: Meetings;
  accounts: WebexAccounts;
  db: Kysely<Database>;
  audit: AuditLog;
  clock?: Clock;
  /** Where the actor's licence tier and name are read; a directory on `db` when not given. */
  users?: UserDirectory;
}

export interface StartMeetingInput {
  title?: string;
  invitees?: MeetingInvitee[];
  lengthMinutes?: number;
}

/** Either free text (`tomorrow 14:00 30m Sprint review`) or the modal's separate fields. */
export type ScheduleWhen =
  | { text: string }
  | { date: string; time: string; lengthMinutes: number };

export interface ScheduleMeetingInput {
  when: ScheduleWhen;
  title?: string;
  invitees?: MeetingInvitee[];
  password?: string;
  record?: boolean;
}

/** How long an instant meeting is booked for; it may of course end sooner. */
export const INSTANT_MEETING_MINUTES = 60;
/** How far ahead `/webex list` looks, and how many it shows. */
export const LIST_DAYS = 30;
export const LIST_MAX = 20;

/** The first whole minute after `now` (10:32:16 -> 10:33:00; 10:32:00 -> 10:33:00). */
export function nextWholeMinute(now: Date): Date {
  return new Date((Math.floor(now.getTime() / 60_000) + 1) * 60_000);
}

/**
 * The meeting use cases: start, schedule, list and cancel, under the person's licence. Every one
 * takes the one Actor (core/actor.ts, issue 14) built at the surface's edge: the language it chose
 * titles the meeting, its time zone reads the schedule; the licence tier and the name come from
 * the core user behind it, read here so no surface can hand in another's.
 */
export class MeetingService {
  private readonly clock: Clock;
  private readonly users: UserDirectory;

  constructor(private readonly options: MeetingServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.users = options.users ?? new UserDirectory(options.db, this.clock);
  }

  async startMeeting(who: Actor, input: StartMeetingInput = {}): Promise<Meeting> {
    const actor = await this.personOf(who);
    const invitees = input.invitees ?? [];
    const policy = await this.allowed(actor, 'meetings.start', {
      kind: 'space',
      participants: invitees.length + 1,
      ...(input.lengthMinutes !== undefined ? { lengthMinutes: input.lengthMinutes } : {}),
    });
    const lengthMinutes = input.lengthMinutes ?? Math.min(INSTANT_MEETING_MINUTES, policy.maxLengthMinutes ?? INSTANT_MEETING_MINUTES);
    // Webex refuses a start before the current minute, and the request takes time to get
    // there: the next whole minute is never in the past when it arrives (Create a Meeting).
    const start = nextWholeMinute(this.clock.now());
    return this.create(actor, 'meetings.start', {
      title: this.title(actor, input.title),
      start,
      end: new Date(start.getTime() + lengthMinutes * 60_000),
      timeZone: actor.timeZone || DEFAULT_TIME_ZONE,
      invitees,
      autoRecord: false,
    });
  }

  async scheduleMeeting(who: Actor, input: ScheduleMeetingInput): Promise<Meeting> {
    const actor = await this.personOf(who);
    const invitees = input.invitees ?? [];
    const policy = await this.allowed(actor, 'meetings.schedule', {
      kind: 'space',
      scheduled: true,
      participants: invitees.length + 1,
      password: Boolean(input.password),
      record: Boolean(input.record),
    });
    const when = this.resolveWhen(actor, input.when, policy);
    return this.create(actor, 'meetings.schedule', {
      title: this.title(actor, input.title ?? when.title),
      start: when.start,
      end: when.end,
      timeZone: when.timeZone,
      invitees,
      autoRecord: Boolean(input.record),
      ...(input.password ? { password: input.password } : {}),
    });
  }

  /** Upcoming scheduled meetings, soonest first; remembered so `cancel <n>` means this list's n. */
  async listMeetings(who: Actor): Promise<Meeting[]> {
    const actor = await this.personOf(who);
    const now = this.clock.now();
    const meetings = await this.options.meetings.listUpcoming(this.options.accounts.credentialsFor(actor.id), {
      from: now,
      to: new Date(now.getTime() + LIST_DAYS * 86_400_000),
      max: LIST_MAX,
    });
    const ids = JSON.stringify(meetings.map((m) => m.id));
    const listed_at = isoNow(this.clock);
    await this.options.db
      .insertInto('meeting_lists')
      .values({ user_id: actor.id, meeting_ids: ids, listed_at })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ meeting_ids: ids, listed_at }))
      .execute();
    return meetings;
  }

  /** Cancels number `position` (1-based) of the user's last list. */
  async cancelMeeting(who: Actor, position: number): Promise<Meeting> {
    const actor = await this.personOf(who);
    const row = await this.options.db.selectFrom('meeting_lists').select('meeting_ids').where('user_id', '=', actor.id).executeTakeFirst();
    const ids = row ? (JSON.parse(row.meeting_ids) as string[]) : [];
    const id = Number.isInteger(position) && position >= 1 ? ids[position - 1] : undefined;
    if (!id) throw new UserError('meetings.cancel.unknownNumber', { number: String(position), count: ids.filter(Boolean).length });
    const credentials = this.options.accounts.credentialsFor(actor.id);
    const meeting = await this.options.meetings.get(credentials, id);
    await this.options.meetings.delete(credentials, id);
    // Keep the other numbers where they were: the list on screen still shows them.
    ids[position - 1] = '';
    await this.options.db.updateTable('meeting_lists').set({ meeting_ids: JSON.stringify(ids) }).where('user_id', '=', actor.id).execute();
    await this.options.audit.record({ actor: actor.id, action: 'meetings.cancel', outcome: 'succeeded', detail: { meetingId: id } });
    return meeting;
  }

  async personalRoom(who: Actor): Promise<PersonalRoom> {
    const actor = await this.personOf(who);
    checkMeetingRequest(actor.licenceTier, { kind: 'personalRoom' });
    return this.options.meetings.personalRoom(this.options.accounts.credentialsFor(actor.id));
  }

  /**
   * The core user behind the actor, seen with the actor's language and zone: the user's licence
   * and name, the surface's choice of language (the one rule) and zone. A person een-bridge does
   * not serve has no Webex account here.
   */
  private async personOf(actor: Actor): Promise<User> {
    const id = actor.who.userId;
    const user = id === undefined ? undefined : await this.users.byId(id);
    if (!user) throw new UserError('meetings.notLinked', {}, 403);
    return { ...user, locale: actor.locale, timeZone: actor.timeZone || user.timeZone || DEFAULT_TIME_ZONE };
  }

  /** The licence check, with a refusal recorded so "why could I not…?" has an answer. */
  private async allowed(actor: User, action: string, request: MeetingRequest): Promise<MeetingPolicy> {
    try {
      return checkMeetingRequest(actor.licenceTier, request);
    } catch (err) {
      if (err instanceof UserError) {
        await this.options.audit.record({ actor: actor.id, action, outcome: 'denied', detail: { reason: err.key, ...err.params } });
      }
      throw err;
    }
  }

  private resolveWhen(actor: User, when: ScheduleWhen, policy: MeetingPolicy) {
    const timeZone = actor.timeZone || DEFAULT_TIME_ZONE;
    const base = { now: this.clock.now(), timeZone, locale: actor.locale, maxLengthMinutes: policy.maxLengthMinutes };
    if ('text' in when) return parseSchedule(when.text, base);
    // The modal's fields, read as the same kind of text so the same rules and messages apply.
    const date = DateTime.fromISO(when.date, { zone: timeZone });
    if (!date.isValid || !/^\d{1,2}:\d{2}$/.test(when.time)) throw new UserError('meetings.schedule.noTime', { text: `${when.date} ${when.time}` });
    return parseSchedule(`${date.toISODate()} ${when.time} ${when.lengthMinutes}m`, base);
  }

  private title(actor: User, title: string | undefined): string {
    const clean = title?.trim();
    if (clean) return clean.slice(0, MAX_TITLE_LENGTH);
    return translate(actor.locale, 'meetings.defaultTitle', { name: actor.displayName ?? actor.email ?? 'Webex' }).slice(0, MAX_TITLE_LENGTH);
  }

  private async create(actor: User, action: string, meeting: Parameters<Meetings['create']>[1]): Promise<Meeting> {
    try {
      const created = await this.options.meetings.create(this.options.accounts.credentialsFor(actor.id), meeting);
      await this.options.audit.record({
        actor: actor.id,
        action,
        outcome: 'succeeded',
        detail: { meetingId: created.id, start: meeting.start.toISOString(), invitees: meeting.invitees.length },
      });
      return created;
    } catch (err) {
      await this.options.audit.record({ actor: actor.id, action, outcome: 'failed', detail: { reason: (err as Error).message } });
      throw err;
    }
  }
}
