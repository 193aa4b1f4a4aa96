import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';
import type { SourceEvent } from './source-event';
import { subscriptionsFor } from './subscriptions';

export type AcceptResult =
  | { status: 'accepted'; eventId: string; deliveries: number }
  /** The source sent this delivery before (a retry); nothing new was stored. */
  | { status: 'duplicate' };

/**
 * The transactional half of the outbox: an event and one delivery per subscribed space are
 * committed together, before the webhook is answered, so an acknowledged event is never lost
 * and a retried one is never stored twice (unique source × delivery key).
 */
export class NotificationInbox {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
    /** Called after each commit that added deliveries, so a worker in this process can start at once. */
    private readonly onAccepted: () => void = () => undefined,
  ) {}

  async accept(event: SourceEvent): Promise<AcceptResult> {
    const result = await this.db.transaction().execute(async (trx): Promise<AcceptResult> => {
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
    });
    if (result.status === 'accepted' && result.deliveries > 0) this.onAccepted();
    return result;
  }
}
