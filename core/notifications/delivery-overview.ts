import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import type { DeliveryRow } from './outbox';
import type { DeliveryStatus } from './tables';

/** A space's deliveries as the console shows them. */
export interface SpaceDeliveries {
  lastDelivery: string | null;
  delivered: number;
  /** Pending or being sent. */
  waiting: number;
  dead: number;
}

/** When changes last came in and how deliveries went, read once for a whole page. */
export interface DeliveryFacts {
  /** When a change last came in from a source (by `source` and `sourceKey`), or null. */
  lastEvent(source: string, sourceKey: string): string | null;
  spaces(spaceId: string): SpaceDeliveries;
}

/**
 * The delivery queue as an operator works it (`een-bridge outbox`; issue 14: through this port,
 * built in app/administration.ts over the outbox, not the repository itself).
 */
export interface DeliveryQueue {
  list(options?: { status?: DeliveryStatus; limit?: number }): Promise<DeliveryRow[]>;
  counts(): Promise<Record<DeliveryStatus, number>>;
  /** Dead letters back in the queue with a fresh attempt count (all of them when `ids` is empty); how many. */
  retryDead(ids?: number[]): Promise<number>;
  /** Deletes dead letters for good (all of them when `ids` is empty); how many. */
  purgeDead(ids?: number[]): Promise<number>;
}

/**
 * The administrator's health view of notifications, from the inbox and outbox tables (issue 14:
 * the console reads it through this port, not the tables): per subscribed source when a change
 * last came in, per space the last delivery and how many are waiting or dead.
 */
export class DeliveryOverview {
  constructor(private readonly db: Kysely<Database>) {}

  async read(): Promise<DeliveryFacts> {
    const events = await this.db.selectFrom('notification_events').select((eb) => ['source', 'source_key', eb.fn.max('received_at').as('last')]).groupBy(['source', 'source_key']).execute();
    const lastEvent = new Map(events.map((e) => [`${e.source} ${e.source_key}`, String(e.last)]));
    const deliveries = await this.db
      .selectFrom('notification_deliveries')
      .select((eb) => ['space_id', 'status', eb.fn.countAll<string | number>().as('n'), eb.fn.max('delivered_at').as('last')])
      .groupBy(['space_id', 'status'])
      .execute();
    return {
      lastEvent: (source, sourceKey) => lastEvent.get(`${source} ${sourceKey}`) ?? null,
      spaces: (spaceId) => {
        const mine = deliveries.filter((d) => d.space_id === spaceId);
        const count = (status: string) => Number(mine.find((d) => d.status === status)?.n ?? 0);
        const delivered = mine.find((d) => d.status === 'delivered');
        return { lastDelivery: delivered?.last ? String(delivered.last) : null, delivered: count('delivered'), waiting: count('pending') + count('sending'), dead: count('dead') };
      },
    };
  }
}
