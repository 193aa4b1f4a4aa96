import type { Kysely, Transaction } from 'kysely';
import { isoNow, systemClock, type Clock } from '../../clock';
import type { Database } from '../../store/schema';
import { DEFAULT_DIGEST_TIME_ZONE, nextDueAt, parseTimeZone, type DigestCadence, type DigestRequest } from './schedule';
import type { DigestSchedulesTable } from './tables';

/** A space's digest settings as `subscriptions` shows them. */
export interface DigestSchedule {
  spaceId: string;
  timeZone: string;
  /** Undefined: no scheduled digest, changes go out as they come. */
  cadence: DigestCadence | undefined;
  /** ISO-8601 UTC; set while a digest is scheduled (or, just after `digest off`, while the last one is still to go). */
  nextDueAt: string | null;
  /** Changes collected and not yet queued for delivery. */
  waiting: number;
}

type Executor = Kysely<Database> | Transaction<Database>;

/**
 * A space's digest schedule as the surfaces read and change it (the bot's `digest daily 09:00`;
 * issue 14: through this port, not the repository below).
 */
export interface SpaceDigests {
  get(spaceId: string): Promise<DigestSchedule>;
  set(spaceId: string, request: DigestRequest, updatedBy: string): Promise<DigestSchedule>;
  setTimeZone(spaceId: string, rawZone: string, updatedBy: string): Promise<DigestSchedule>;
}

/** The `notification_digest_schedules` table: when each space wants its digest, and in which zone. */
export class DigestSchedules implements SpaceDigests {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
    /** Called after a change, so the scheduler in this process looks again (`digest off` makes the last digest due now). */
    private readonly onChange: () => void = () => undefined,
  ) {}

  async get(spaceId: string): Promise<DigestSchedule> {
    const row = await this.db.selectFrom('notification_digest_schedules').selectAll().where('space_id', '=', spaceId).executeTakeFirst();
    const waiting = await this.db
      .selectFrom('notification_digest_entries')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('space_id', '=', spaceId)
      .where('delivery_id', 'is', null)
      .executeTakeFirst();
    return { ...toSchedule(row, spaceId), waiting: Number(waiting?.n ?? 0) };
  }

  /** Every space that set a schedule or a time zone, for the CLI's list. */
  async all(): Promise<DigestSchedule[]> {
    const rows = await this.db.selectFrom('notification_digest_schedules').selectAll().orderBy('space_id').execute();
    const counts = await this.db
      .selectFrom('notification_digest_entries')
      .select((eb) => ['space_id', eb.fn.countAll<string | number>().as('n')])
      .where('delivery_id', 'is', null)
      .groupBy('space_id')
      .execute();
    const waiting = new Map(counts.map((c) => [c.space_id, Number(c.n)]));
    return rows.map((r) => ({ ...toSchedule(r, r.space_id), waiting: waiting.get(r.space_id) ?? 0 }));
  }

  /**
   * Starts, changes or stops the space's digest. The next due time is computed now, in the
   * space's zone. `off` leaves what was collected due at once, so it goes out as a last digest
   * rather than waiting for a schedule that no longer exists.
   */
  async set(spaceId: string, request: DigestRequest, updatedBy: string): Promise<DigestSchedule> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const zone = (await zoneOf(trx, spaceId)) ?? DEFAULT_DIGEST_TIME_ZONE;
      const values =
        request.kind === 'off'
          ? { cadence: null, weekday: null, at_time: null, next_due_at: (await hasWaiting(trx, spaceId)) ? now.toISOString() : null }
          : {
              cadence: request.kind,
              weekday: request.kind === 'weekly' ? request.weekday : null,
              at_time: request.at,
              next_due_at: nextDueAt(request, zone, now).toISOString(),
            };
      await upsert(trx, spaceId, { ...values, time_zone: zone, updated_by: updatedBy, updated_at: now.toISOString() });
    });
    this.onChange();
    return this.get(spaceId);
  }

  /** Sets the space's time zone (checked with luxon); a scheduled digest moves to the same local time there. */
  async setTimeZone(spaceId: string, rawZone: string, updatedBy: string): Promise<DigestSchedule> {
    const zone = parseTimeZone(rawZone);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('notification_digest_schedules').selectAll().where('space_id', '=', spaceId).executeTakeFirst();
      const cadence = row ? toSchedule(row, spaceId).cadence : undefined;
      const next = cadence ? nextDueAt(cadence, zone, now).toISOString() : (row?.next_due_at ?? null);
      await upsert(trx, spaceId, {
        time_zone: zone,
        cadence: row?.cadence ?? null,
        weekday: row?.weekday ?? null,
        at_time: row?.at_time ?? null,
        next_due_at: next,
        updated_by: updatedBy,
        updated_at: isoNow(this.clock),
      });
    });
    this.onChange();
    return this.get(spaceId);
  }
}

async function zoneOf(db: Executor, spaceId: string): Promise<string | undefined> {
  const row = await db.selectFrom('notification_digest_schedules').select('time_zone').where('space_id', '=', spaceId).executeTakeFirst();
  return row?.time_zone;
}

async function hasWaiting(db: Executor, spaceId: string): Promise<boolean> {
  const row = await db
    .selectFrom('notification_digest_entries')
    .select('id')
    .where('space_id', '=', spaceId)
    .where('delivery_id', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

async function upsert(db: Executor, spaceId: string, values: Omit<DigestSchedulesTable, 'space_id'>): Promise<void> {
  await db
    .insertInto('notification_digest_schedules')
    .values({ space_id: spaceId, ...values })
    .onConflict((oc) => oc.column('space_id').doUpdateSet(values))
    .execute();
}

export function toSchedule(row: DigestSchedulesTable | undefined, spaceId: string): Omit<DigestSchedule, 'waiting'> {
  if (!row) return { spaceId, timeZone: DEFAULT_DIGEST_TIME_ZONE, cadence: undefined, nextDueAt: null };
  const at = row.at_time ?? '09:00';
  const cadence: DigestCadence | undefined =
    row.cadence === 'daily' ? { kind: 'daily', at } : row.cadence === 'weekly' ? { kind: 'weekly', weekday: Number(row.weekday ?? 1), at } : undefined;
  return { spaceId, timeZone: row.time_zone, cadence, nextDueAt: row.next_due_at };
}
