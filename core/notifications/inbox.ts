import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';
import type { SourceEvent } from './source-event';
import { digestWindowsOf } from './space-settings';
import { SubscriptionRepository, subscriptionsForAll } from './subscriptions';
import { withheldFrom } from './restricted/withheld';
import { collectingSpaces } from './digests/digest-schedules';
import type { Dialect } from '../store/store';

export type AcceptResult =
  | { status: 'accepted'; eventId: string; deliveries: number }
  /** The source sent this delivery before (a retry); nothing new was stored. */
  | { status: 'duplicate' };

interface Waiting {
  event: SourceEvent;
  resolve: (result: AcceptResult) => void;
  reject: (err: unknown) => void;
}

export interface InboxOptions {
  /**
   * How long a change to a space waits for more, so that a burst goes out as one digest, for
   * spaces that did not set their own (SpaceSettingsRepository). 0: sent at once, alone.
   */
  digestWindowMs: number;
  /** The store's dialect: on PostgreSQL a space's digest schedule is share-locked while its changes are collected. */
  dialect?: Dialect;
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
    private readonly options: InboxOptions = { digestWindowMs: 0 },
  ) {}

  /**
   * The newest stored event of this source and source key whose delivery key starts with
   * `prefix`: for Graph, an earlier version of the same item (keys are `<drive>/<item>/<version>`).
   * Compared with substr, not LIKE or a range: drive ids hold `_` and `!`, and PostgreSQL's
   * collation need not order a prefix range bytewise.
   */
  async latestWithKeyPrefix(source: SourceEvent['source'], sourceKey: string, prefix: string): Promise<SourceEvent | undefined> {
    const row = await this.db
      .selectFrom('notification_events')
      .select('payload')
      .where('source', '=', source)
      .where('source_key', '=', sourceKey)
      .where(sql<boolean>`substr(delivery_key, 1, ${prefix.length}) = ${prefix}`)
      .orderBy('received_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? (JSON.parse(row.payload) as SourceEvent) : undefined;
  }

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
          results = await this.db.transaction().execute((trx) => this.storeAll(trx, group.map((w) => w.event)));
        } catch {
          for (const w of group) {
            await this.db.transaction().execute((trx) => this.storeAll(trx, [w.event])).then(([r]) => w.resolve(r!), w.reject);
          }
        }
        if (results) group.forEach((w, i) => w.resolve(results[i]!));
        if (group.length > 0) this.onAccepted();
      }
    } finally {
      this.committing = false;
    }
  }

  /**
   * Stores a group in a few set-wise statements whatever its size (events, their routes, their
   * deliveries), not three per event: on PostgreSQL each statement is a network round trip, on
   * SQLite a hop to the store's thread, and the group holds the writer meanwhile.
   */
  private async storeAll(trx: Transaction<Database>, events: SourceEvent[]): Promise<AcceptResult[]> {
    const now = isoNow(this.clock);
    const rows = events.map((event) => ({
      id: randomUUID(),
      source: event.source,
      delivery_key: event.deliveryKey,
      source_key: event.sourceKey,
      kind: event.kind,
      payload: JSON.stringify(event),
      received_at: now,
    }));
    // A key seen before (or twice in this group: a source retrying fast) is skipped by the
    // unique constraint; only the rows that went in come back.
    const inserted = new Set<string>();
    for (const chunk of chunks(rows, EVENT_ROWS_PER_STATEMENT)) {
      const ids = await trx
        .insertInto('notification_events')
        .values(chunk)
        .onConflict((oc) => oc.columns(['source', 'delivery_key']).doNothing())
        .returning('id')
        .execute();
      for (const { id } of ids) inserted.add(id);
    }
    const accepted = events.flatMap((event, i) => (inserted.has(rows[i]!.id) ? [{ event, eventId: rows[i]!.id }] : []));
    const subscriptions = await subscriptionsForAll(trx, accepted.map((a) => a.event));
    const eventOf = new Map(accepted.map((a) => [a.eventId, a.event]));
    const routes = accepted.map(({ event, eventId }) => ({ eventId, to: SubscriptionRepository.route(subscriptions, event) }));
    const spaceIds = routes.flatMap((r) => r.to.map((s) => s.spaceId));
    const windows = await digestWindowsOf(trx, spaceIds);
    // A space with a scheduled digest collects its changes; the digest scheduler queues them as one delivery when due.
    const collecting = await collectingSpaces(trx, this.options.dialect ?? 'sqlite', spaceIds);
    const collected = routes.flatMap(({ eventId, to }) =>
      to
        .filter((s) => collecting.has(s.spaceId))
        .map((s) => ({ event_id: eventId, space_id: s.spaceId, locale: s.locale, withheld: withheldFrom(s, eventOf.get(eventId)!) ? 1 : 0, created_at: now })),
    );
    for (const chunk of chunks(collected, DELIVERY_ROWS_PER_STATEMENT)) {
      await trx
        .insertInto('notification_digest_entries')
        .values(chunk)
        .onConflict((oc) => oc.columns(['event_id', 'space_id']).doNothing())
        .execute();
    }
    const nowMs = Date.parse(now);
    const deliveries = routes.flatMap(({ eventId, to }) =>
      to.filter((s) => !collecting.has(s.spaceId)).map((s) => {
        const window = windows.get(s.spaceId) ?? this.options.digestWindowMs;
        // Due when the window closes: what else reaches the space by then goes out with it.
        return {
          event_id: eventId,
          space_id: s.spaceId,
          locale: s.locale,
          status: 'pending' as const,
          attempts: 0,
          next_attempt_at: new Date(nowMs + window).toISOString(),
          created_at: now,
          updated_at: now,
          digest_window_ms: window,
          withheld: withheldFrom(s, eventOf.get(eventId)!) ? 1 : 0,
        };
      }),
    );
    for (const chunk of chunks(deliveries, DELIVERY_ROWS_PER_STATEMENT)) {
      await trx
        .insertInto('notification_deliveries')
        .values(chunk)
        .onConflict((oc) => oc.columns(['event_id', 'space_id']).doNothing())
        .execute();
    }
    const routed = new Map<string, number>();
    for (const d of [...deliveries, ...collected]) routed.set(d.event_id, (routed.get(d.event_id) ?? 0) + 1);
    return rows.map((r) => (inserted.has(r.id) ? { status: 'accepted', eventId: r.id, deliveries: routed.get(r.id) ?? 0 } : { status: 'duplicate' }));
  }
}

// Bounded by the databases' limits on bound parameters per statement (SQLite 32766, PostgreSQL 65535).
const EVENT_ROWS_PER_STATEMENT = 500;
const DELIVERY_ROWS_PER_STATEMENT = 1000;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
