import type { Kysely, Transaction } from 'kysely';
import { systemClock, type Clock } from '../../clock';
import type { Logger } from '../../log';
import { BackgroundLoop } from '../background-loop';
import type { Database } from '../../store/schema';
import type { Dialect } from '../../store/store';
import { toSchedule } from './digest-schedules';
import { nextDueAt } from './schedule';

export interface DigestSchedulerOptions {
  /** Longest sleep between looks at the schedules; a due time sooner than this wakes it then. */
  pollMs: number;
  /** Schedules claimed per transaction. */
  batchSize: number;
  /** Called after a round queued digests, so the outbox worker in this process sends them at once. */
  onQueued?: (() => void) | undefined;
}

/** How soon to look again at a due row another transaction held. */
const RELOOK_MS = 250;

export const defaultDigestSchedulerOptions: DigestSchedulerOptions = { pollMs: 30_000, batchSize: 50 };

/** One digest handed to the outbox. */
export interface QueuedDigest {
  spaceId: string;
  deliveryId: number;
  changes: number;
  dueAt: string;
}

/**
 * Turns each due schedule into one outbox delivery that carries the space's collected changes.
 *
 * Exactly once: a round is one transaction that reads the due schedules, inserts the delivery,
 * points the collected entries at it and moves the schedule to its next due time. Either all of
 * that is committed or none of it, so a crash before the commit leaves the digest due (the next
 * run claims it) and a crash after leaves a pending outbox delivery, which the outbox sends
 * once (its lease and in-doubt check cover a crash mid-send, see webex-delivery.ts). On
 * PostgreSQL the schedule rows are taken FOR UPDATE SKIP LOCKED, so a second replica skips a row
 * being claimed and, once that commits, no longer finds it due; SQLite has one writer.
 */
export class DigestScheduler extends BackgroundLoop {
  private readonly options: DigestSchedulerOptions;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly log: Logger,
    options: Partial<DigestSchedulerOptions> = {},
    private readonly clock: Clock = systemClock,
  ) {
    super();
    this.options = { ...defaultDigestSchedulerOptions, ...options };
  }

  /** One round: claims the due schedules and queues their digests. */
  async runOnce(): Promise<QueuedDigest[]> {
    const queued = await this.db.transaction().execute((trx) => this.claimDue(trx));
    if (queued.length > 0) {
      this.log.info({ digests: queued.map((q) => ({ space: q.spaceId, delivery: q.deliveryId, changes: q.changes })) }, 'scheduled digests queued');
      this.options.onQueued?.();
    }
    return queued;
  }

  private async claimDue(trx: Transaction<Database>): Promise<QueuedDigest[]> {
    const now = this.clock.now();
    const iso = now.toISOString();
    let query = trx
      .selectFrom('notification_digest_schedules')
      .selectAll()
      .where('next_due_at', 'is not', null)
      .where('next_due_at', '<=', iso)
      .orderBy('next_due_at')
      .limit(this.options.batchSize);
    if (this.dialect === 'postgres') query = query.forUpdate().skipLocked();
    const due = await query.execute();
    const queued: QueuedDigest[] = [];
    for (const row of due) {
      const entries = await trx
        .selectFrom('notification_digest_entries')
        .select(['id', 'event_id', 'locale'])
        .where('space_id', '=', row.space_id)
        .where('delivery_id', 'is', null)
        .orderBy('id')
        .execute();
      if (entries.length > 0) {
        // The delivery names the first change's event (the outbox joins every delivery to one);
        // that event was collected, not delivered, here, so the one-per-event-and-space rule holds.
        const inserted = await trx
          .insertInto('notification_deliveries')
          .values({
            event_id: entries[0]!.event_id,
            space_id: row.space_id,
            // The language of the latest subscription's change: the space's current language.
            locale: entries.at(-1)!.locale,
            status: 'pending',
            attempts: 0,
            next_attempt_at: iso,
            created_at: iso,
            updated_at: iso,
            digest_window_ms: 0,
            withheld: 0,
            scheduled_digest: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const deliveryId = Number(inserted.id);
        await trx
          .updateTable('notification_digest_entries')
          .set({ delivery_id: deliveryId })
          .where('id', 'in', entries.map((e) => Number(e.id)))
          .execute();
        queued.push({ spaceId: row.space_id, deliveryId, changes: entries.length, dueAt: row.next_due_at! });
      }
      // Due times missed while the service was down are not made up one by one: what was
      // collected went out in this one digest, and the next is the next one after now.
      const cadence = toSchedule(row, row.space_id).cadence;
      await trx
        .updateTable('notification_digest_schedules')
        .set({ next_due_at: cadence ? nextDueAt(cadence, row.time_zone, now).toISOString() : null })
        .where('space_id', '=', row.space_id)
        .execute();
    }
    return queued;
  }

  /** When the earliest schedule falls due, to sleep until then rather than a whole poll. */
  private async nextDue(): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('notification_digest_schedules')
      .select((eb) => eb.fn.min('next_due_at').as('due'))
      .where('next_due_at', 'is not', null)
      .executeTakeFirst();
    return row?.due ? Date.parse(row.due) : undefined;
  }

  protected async run(): Promise<void> {
    while (this.running) {
      let failed = false;
      let queued = 0;
      try {
        queued = (await this.runOnce()).length;
      } catch (err) {
        failed = true;
        this.log.error({ err }, 'digest round failed; trying again');
      }
      if (!this.running) break;
      const due = failed ? undefined : await this.nextDue().catch(() => undefined);
      // After a failure (the store away), a whole poll: a due row would otherwise be retried in a tight loop.
      // A row still due after a round that queued nothing was locked by someone else (another
      // replica claiming it, an inbox collecting for it): look again shortly, not at once.
      const floor = queued === 0 ? RELOOK_MS : 0;
      const wait = due === undefined ? this.options.pollMs : Math.min(this.options.pollMs, Math.max(floor, due - this.clock.now().getTime()));
      await this.alarm.sleep(wait);
    }
  }
}
