import { sql, type CompiledQuery, type Kysely, type Selectable } from 'kysely';
import { z } from 'zod';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';
import type { NotificationSubscriptionsTable } from './tables';
import { eventKinds, sourceNames, type SourceEvent, type SourceName } from './source-event';
import { filterMatches } from './filter/subscription-filter';

/** Jira's default priority scheme, lowest first. Unknown names never filter an event out. */
import { jiraPriorities } from './jira-priorities';
export { jiraPriorities };

export const subscriptionFilter = z.object({
  /** Only these event kinds; all when absent. */
  kinds: z.array(z.enum(eventKinds)).min(1).optional(),
  /** Jira: only these issue types (case-insensitive); all when absent. */
  issueTypes: z.array(z.string().min(1)).min(1).optional(),
  /** Jira: only issues of at least this priority. */
  minPriority: z.enum(jiraPriorities).optional(),
  /** Trello: only cards in (or moved from or to) these lists, by name (case-insensitive). */
  lists: z.array(z.string().min(1)).min(1).optional(),
});
export type SubscriptionFilter = z.infer<typeof subscriptionFilter>;

/** How a subscription's changes are written: the full card, or one line per change with the item link. */
export const notificationFormats = ['full', 'compact'] as const;
export type NotificationFormat = (typeof notificationFormats)[number];

/**
 * What makes a change important enough for a one-line summary at the top level of the space when
 * its details go into the item's thread: the item created or deleted, a comment, or a change of
 * one of these fields ('status' also covers a Trello card moving to another list).
 */
export const importantChanges = ['created', 'deleted', 'comment', 'status', 'assignee', 'priority', 'summary', 'due', 'closed', 'member'] as const;
export type ImportantChange = (typeof importantChanges)[number];
/** Status changes (transitions), created and deleted, as issue 15 asks. */
export const DEFAULT_IMPORTANT: readonly ImportantChange[] = ['created', 'deleted', 'status'];

/** Per-subscription settings that shape delivery, not routing. */
export interface DeliverySettings {
  format: NotificationFormat;
  /** Skip changes made by someone who is in the space (matched by e-mail). */
  skipOwn: boolean;
  important: readonly ImportantChange[];
}
export const defaultDeliverySettings: DeliverySettings = { format: 'full', skipOwn: false, important: DEFAULT_IMPORTANT };

/** A Webex space listening to one source key (a Jira project, a Trello board, a drive folder). */
export interface Subscription {
  id: number;
  spaceId: string;
  source: SourceName;
  sourceKey: string;
  filter: SubscriptionFilter;
  /** The space's language for notifications (nl or en, from the locale). */
  locale: string;
  createdBy: string | null;
  createdAt: string;
  /** An administrator let it carry restricted items (core/notifications/restricted/); false by default. */
  restrictedAllowed: boolean;
  format: NotificationFormat;
  skipOwn: boolean;
  important: readonly ImportantChange[];
  /** The filter in the filter language, canonical English (core/notifications/filter/); null: none. */
  filterExpression?: string | null;
  /** Who set that filter (e-mail): whom `assignee=me` means. */
  filterSubscriber?: string | null;
}

export interface NewSubscription {
  spaceId: string;
  source: SourceName;
  sourceKey: string;
  filter?: SubscriptionFilter;
  locale?: string;
  createdBy?: string;
}

/** Whether the event passes the subscription's filter. */
export function matchesFilter(filter: SubscriptionFilter, event: SourceEvent): boolean {
  // Whatever the filter, a space must hear that changes may have been missed.
  if (event.kind === 'source.resync') return true;
  if (filter.kinds && !filter.kinds.includes(event.kind)) return false;
  if (filter.issueTypes) {
    const type = event.subject.type?.toLowerCase();
    if (!type || !filter.issueTypes.some((t) => t.toLowerCase() === type)) return false;
  }
  if (filter.minPriority) {
    const rank = jiraPriorities.findIndex((p) => p.toLowerCase() === event.subject.priority?.toLowerCase());
    if (rank >= 0 && rank < jiraPriorities.indexOf(filter.minPriority)) return false;
  }
  if (filter.lists) {
    const wanted = new Set(filter.lists.map((l) => l.toLowerCase()));
    const touched = [event.subject.status, ...event.changes.filter((c) => c.field === 'list').flatMap((c) => [c.from, c.to])];
    if (!touched.some((l) => l !== null && wanted.has(l.toLowerCase()))) return false;
  }
  return true;
}

type Db = Kysely<Database>;

/** The `notification_subscriptions` table. */
export class SubscriptionRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Adds or replaces (same space, source and key) a subscription. */
  async subscribe(input: NewSubscription): Promise<Subscription> {
    const filter = JSON.stringify(subscriptionFilter.parse(input.filter ?? {}));
    const row = await this.db
      .insertInto('notification_subscriptions')
      .values({
        space_id: input.spaceId,
        source: input.source,
        source_key: input.sourceKey,
        filter,
        locale: input.locale ?? 'nl-NL',
        created_by: input.createdBy ?? null,
        created_at: isoNow(this.clock),
      })
      .onConflict((oc) =>
        oc.columns(['space_id', 'source', 'source_key']).doUpdateSet({ filter, locale: input.locale ?? 'nl-NL' }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return fromRow(row);
  }

  async forSpace(spaceId: string): Promise<Subscription[]> {
    const rows = await this.db.selectFrom('notification_subscriptions').selectAll().where('space_id', '=', spaceId).orderBy('id').execute();
    return rows.map(fromRow);
  }

  /** Whether any space listens to this source key (a Trello board nobody follows gets 410). */
  async anyFor(source: SourceName, sourceKey: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('notification_subscriptions')
      .select('id')
      .where('source', '=', source)
      .where('source_key', '=', sourceKey)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async all(): Promise<Subscription[]> {
    const rows = await this.db.selectFrom('notification_subscriptions').selectAll().orderBy('id').execute();
    return rows.map(fromRow);
  }

  async unsubscribe(spaceId: string, id: number): Promise<boolean> {
    const result = await this.db
      .deleteFrom('notification_subscriptions')
      .where('space_id', '=', spaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Changes one subscription's delivery settings (only those given); false when the space has no such subscription. */
  async configure(spaceId: string, id: number, settings: Partial<DeliverySettings>): Promise<boolean> {
    const values = {
      ...(settings.format !== undefined ? { format: settings.format } : {}),
      ...(settings.skipOwn !== undefined ? { skip_own: settings.skipOwn ? 1 : 0 } : {}),
      ...(settings.important !== undefined ? { important: JSON.stringify(z.array(z.enum(importantChanges)).parse(settings.important)) } : {}),
    };
    if (Object.keys(values).length === 0) return (await this.forSpace(spaceId)).some((s) => s.id === id);
    const result = await this.db
      .updateTable('notification_subscriptions')
      .set(values)
      .where('space_id', '=', spaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * Sets (or with null clears) one subscription's filter: its canonical text (filter/) and who set
   * it. False when the space has no such subscription.
   */
  async setFilterExpression(spaceId: string, id: number, expression: string | null, subscriber: string | null): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_subscriptions')
      .set({ filter_expression: expression, filter_subscriber: expression === null ? null : subscriber })
      .where('space_id', '=', spaceId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /**
   * The delivery settings of the space's subscription to this source key (unique per space,
   * source and key); the defaults once it is gone (a change queued before an unsubscribe).
   */
  async deliverySettings(spaceId: string, source: SourceName, sourceKey: string): Promise<DeliverySettings> {
    const row = await this.db
      .selectFrom('notification_subscriptions')
      .select(['format', 'skip_own', 'important'])
      .where('space_id', '=', spaceId)
      .where('source', '=', source)
      .where('source_key', '=', sourceKey)
      .executeTakeFirst();
    return row ? settingsOf(row) : defaultDeliverySettings;
  }

  /** Subscriptions that want this event, at most one per space (the first made wins). */
  static route(subscriptions: Subscription[], event: SourceEvent): Subscription[] {
    const bySpace = new Map<string, Subscription>();
    for (const s of subscriptions) {
      if (s.source !== event.source || s.sourceKey !== event.sourceKey) continue;
      if (!bySpace.has(s.spaceId) && matchesFilter(s.filter, event) && filterMatches({ expression: s.filterExpression ?? null, subscriber: s.filterSubscriber ?? null }, event)) bySpace.set(s.spaceId, s);
    }
    return [...bySpace.values()];
  }
}

/** Every subscription to any of the events' sources, in one query; route each event with `route`. */
export async function subscriptionsForAll(db: Db, events: SourceEvent[]): Promise<Subscription[]> {
  const pairs = [...new Map(events.map((e) => [`${e.source} ${e.sourceKey}`, e])).values()];
  if (pairs.length === 0) return [];
  const rows = await db
    .selectFrom('notification_subscriptions')
    .selectAll()
    .where((eb) => eb.or(pairs.map((e) => eb.and([eb('source', '=', e.source), eb('source_key', '=', e.sourceKey)]))))
    .orderBy('id')
    .execute();
  return rows.map(fromRow);
}

/**
 * The subscriptions to the sources and source keys of the router's next `limit` queued events
 * (notification_unrouted, oldest first), as one statement that needs no earlier answer: so on
 * SQLite it goes to the store's thread in the same message as the read of those events
 * (router.ts). Rows for subscriptionsFromRows.
 */
export function subscriptionsForQueuedQuery(db: Db, limit: number): CompiledQuery {
  return db
    .selectFrom('notification_subscriptions')
    .selectAll()
    .where(
      sql<boolean>`(source, source_key) in (select ev.source, ev.source_key from (select event_id from notification_unrouted order by seq limit ${limit}) q join notification_events ev on ev.id = q.event_id)`,
    )
    .orderBy('id')
    .compile();
}

/** Subscriptions from rows of notification_subscriptions (all columns), in the order given. */
export function subscriptionsFromRows(rows: readonly unknown[]): Subscription[] {
  return (rows as Selectable<NotificationSubscriptionsTable>[]).map(fromRow);
}

function fromRow(r: Selectable<NotificationSubscriptionsTable>): Subscription {
  const source = z.enum(sourceNames).parse(r.source);
  return {
    id: Number(r.id),
    spaceId: r.space_id,
    source,
    sourceKey: r.source_key,
    filter: subscriptionFilter.parse(JSON.parse(r.filter)),
    locale: r.locale,
    createdBy: r.created_by,
    createdAt: r.created_at,
    restrictedAllowed: Number(r.restricted_allowed) === 1,
    filterExpression: r.filter_expression ?? null,
    filterSubscriber: r.filter_subscriber ?? null,
    ...settingsOf(r),
  };
}

function settingsOf(r: { format: string; skip_own: number; important: string | null }): DeliverySettings {
  const important = r.important === null ? undefined : z.array(z.enum(importantChanges)).safeParse(JSON.parse(r.important));
  return {
    format: r.format === 'compact' ? 'compact' : 'full',
    skipOwn: Number(r.skip_own) === 1,
    important: important?.success ? important.data : DEFAULT_IMPORTANT,
  };
}
