import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';
import type { SourceEvent } from './source-event';
import { subscriptionsFor } from './subscriptions';

export type AcceptResult =
  | { status: 'accepted'; eventId: string; deliveries: number }
  /** The source sent this delivery before (a retry); nothing new was stored. */
  | { status: 'duplicate' };

interface Waiting {
  event: SourceEvent;
  resolve: (result: AcceptResult) => void;
  reject: (err: unknown) => void;
}

/** Most events committed together; bounds the time one commit holds the writer. */
const MAX_GROUP = 200;

/**
 * The transactional half of the outbox: an event and one delivery per subscribed space are
 * committed together, before the webhook is answered, so an acknowledged event is never lost
 * and a retried one is never stored twice (unique source × delivery key).
 *
 * Webhooks that arrive while a commit is running wait and are committed together in the next
 * one ("group commit"): each commit costs a disk sync (SQLite synchronous=FULL), and sharing it
 * is what lets ingest scale with concurrent senders. Each caller still hears back only after
 * its own event is durable. Should a group fail, its events are retried one by one, so one bad
 * event cannot fail the others.
 */
export class NotificationInbox {
  private readonly waiting: Waiting[] = [];
  private committing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
    /** Called after each commit that added deliveries, so a worker in this process can start at once. */
    private readonly onAccepted: () => void = () => undefined,
  ) {}

  accept(event: SourceEvent): Promise<AcceptResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (!this.committing) void this.commitWaiting();
    });
  }

  private async commitWaiting(): Promise<void> {
    this.committing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MAX_GROUP);
        let results: AcceptResult[] | undefined;
        try {
          results = await this.db.transaction().execute(async (trx) => {
            const out: AcceptResult[] = [];
            for (const w of group) out.push(await this.store(trx, w.event));
            return out;
          });
        } catch {
          for (const w of group) {
            await this.db.transaction().execute((trx) => this.store(trx, w.event)).then(w.resolve, w.reject);
          }
        }
        if (results) group.forEach((w, i) => w.resolve(results[i]!));
        if (group.length > 0) this.onAccepted();
      }
    } finally {
      this.committing = false;
    }
  }

  private async store(trx: Transaction<Database>, event: SourceEvent): Promise<AcceptResult> {
    const now = isoNow(this.clock);
    const eventId = randomUUID();
    const inserted = await trx
      .insertInto('notification_events')
      .values({
        id: eventId,
        source: event.source,
        delivery_key: event.deliveryKey,
        source_key: event.sourceKey,
        kind: event.kind,
        payload: JSON.stringify(event),
        received_at: now,
      })
      .onConflict((oc) => oc.columns(['source', 'delivery_key']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) return { status: 'duplicate' };

    const targets = await subscriptionsFor(trx, event);
    if (targets.length > 0) {
      await trx
        .insertInto('notification_deliveries')
        .values(
          targets.map((s) => ({
            event_id: eventId,
            space_id: s.spaceId,
            locale: s.locale,
            status: 'pending' as const,
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
            updated_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['event_id', 'space_id']).doNothing())
        .execute();
    }
    return { status: 'accepted', eventId, deliveries: targets.length };
  }
}
