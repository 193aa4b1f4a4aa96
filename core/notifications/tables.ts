import { sql, type ColumnDefinitionBuilder, type Generated, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../store/dialect';

/** The notification tables, added to `Database` in core/store/schema.ts. */
export interface NotificationTables {
  notification_subscriptions: NotificationSubscriptionsTable;
  notification_events: NotificationEventsTable;
  notification_deliveries: NotificationDeliveriesTable;
  notification_space_settings: NotificationSpaceSettingsTable;
  notification_threads: NotificationThreadsTable;
  notification_unrouted: NotificationUnroutedTable;
}

/**
 * Events accepted but not yet fanned out to spaces, in the order they were accepted (issue 17):
 * the webhook is answered once its event and this row are committed; the router
 * (core/notifications/router.ts) then makes the event's deliveries and deletes the row in one
 * transaction. A row here after a crash is an event still to route, so nothing acknowledged is lost.
 */
export interface NotificationUnroutedTable {
  seq: Generated<number>;
  event_id: string;
}

/**
 * One Webex thread per item and space: the top-level message that started it (its parent for
 * every later change to the item). Keyed by space, source, source key and item key, so it holds
 * across restarts and replicas; see ThreadRepository.
 */
export interface NotificationThreadsTable {
  space_id: string;
  source: string;
  source_key: string;
  item_key: string;
  parent_message_id: string;
  created_at: string;
}

/** Per-space settings; a space without a row uses the service's defaults. */
export interface NotificationSpaceSettingsTable {
  space_id: string;
  /** How long a change waits for others to the same space to go out with it as one digest. */
  digest_window_ms: number;
  updated_by: string | null;
  updated_at: string;
}

export interface NotificationSubscriptionsTable {
  id: Generated<number>;
  space_id: string;
  source: string;
  source_key: string;
  /** JSON of SubscriptionFilter. */
  filter: string;
  locale: string;
  created_by: string | null;
  created_at: string;
  /** 1 when an administrator let this subscription carry restricted items (see restricted/). */
  restricted_allowed: Generated<number>;
  /** 'full' (the card with every detail) or 'compact' (one line per change with the item link). */
  format: Generated<string>;
  /** 1: skip changes made by a member of the space (matched by e-mail where the source gives it). */
  skip_own: Generated<number>;
  /** JSON list of ImportantChange, or null for the default (created, deleted, status). */
  important: string | null;
  /** The filter in the filter language, canonical English (core/notifications/filter/); null: none. */
  filter_expression: string | null;
  /** E-mail address of who set the filter: whom `assignee=me` means. */
  filter_subscriber: string | null;
}

export interface NotificationEventsTable {
  id: string;
  source: string;
  delivery_key: string;
  source_key: string;
  kind: string;
  /** JSON of SourceEvent. */
  payload: string;
  received_at: string;
}

export const deliveryStatuses = ['pending', 'sending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

export interface NotificationDeliveriesTable {
  id: Generated<number>;
  event_id: string;
  space_id: string;
  locale: string;
  status: DeliveryStatus;
  /** Failed sends so far (429s are not failures: Webex told us when to come back). */
  attempts: number;
  /** Due time while pending; lease end while sending. ISO-8601 UTC. */
  next_attempt_at: string;
  /** When the latest send began (set on claim); tells an in-doubt delivery what to look for. */
  claimed_at: string | null;
  last_error: string | null;
  webex_message_id: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
  /**
   * The space's digest window when the delivery was queued: it was due that long after it was
   * accepted, and later changes accepted within it go out with it as one message.
   */
  digest_window_ms: Generated<number>;
  /**
   * 1 when the change is restricted (a Jira security level, a comment visible to a role or group,
   * a private Trello board) and the subscription may not carry it: the space is told a restricted
   * change was not shown, never what it was.
   */
  withheld: Generated<number>;
  /** 1 when the delivery carries a space's scheduled digest (its changes: notification_digest_entries). */
  scheduled_digest: Generated<number>;
}

function autoId(dialect: Dialect) {
  return (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
}

export function notificationMigrations(dialect: Dialect): Record<string, Migration> {
  const serial = dialect === 'postgres' ? 'serial' : 'integer';
  return {
    '0301_notification_outbox': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('notification_subscriptions')
          .addColumn('id', serial, autoId(dialect))
          .addColumn('space_id', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('source_key', 'text', (c) => c.notNull())
          .addColumn('filter', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('locale', 'text', (c) => c.notNull().defaultTo('nl-NL'))
          .addColumn('created_by', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('notification_subscriptions_unique', ['space_id', 'source', 'source_key'])
          .execute();
        await db.schema
          .createIndex('notification_subscriptions_route')
          .on('notification_subscriptions')
          .columns(['source', 'source_key'])
          .execute();

        await db.schema
          .createTable('notification_events')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('delivery_key', 'text', (c) => c.notNull())
          .addColumn('source_key', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('received_at', 'text', (c) => c.notNull())
          // A source retrying the same delivery lands here, not in a second event.
          .addUniqueConstraint('notification_events_delivery', ['source', 'delivery_key'])
          .execute();

        await db.schema
          .createTable('notification_deliveries')
          .addColumn('id', serial, autoId(dialect))
          .addColumn('event_id', 'text', (c) => c.notNull().references('notification_events.id').onDelete('cascade'))
          .addColumn('space_id', 'text', (c) => c.notNull())
          .addColumn('locale', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) =>
            c.notNull().defaultTo('pending').check(sql`status in ('pending', 'sending', 'delivered', 'dead')`),
          )
          .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('claimed_at', 'text')
          .addColumn('last_error', 'text')
          .addColumn('webex_message_id', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('delivered_at', 'text')
          // One message per event and space, however many subscriptions match or retries arrive.
          .addUniqueConstraint('notification_deliveries_once', ['event_id', 'space_id'])
          .execute();
        await db.schema
          .createIndex('notification_deliveries_due')
          .on('notification_deliveries')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('notification_deliveries_space')
          .on('notification_deliveries')
          .columns(['space_id', 'status', 'id'])
          .execute();
      },
    },
    '0302_notification_queue_index': {
      // Only unfinished deliveries, by space then age: each space's queue head is one index
      // seek, however many delivered rows the table keeps (see Outbox.claimDue).
      async up(db: Kysely<unknown>) {
        await db.schema
          .createIndex(QUEUE_INDEX)
          .on('notification_deliveries')
          .columns(['space_id', 'id'])
          .where(sql.ref('status'), 'in', ['pending', 'sending'])
          .execute();
      },
    },
    '0303_notification_digest_window': {
      // A burst to one space is folded into one digest: each delivery is held for its space's
      // window (see NotificationInbox), and remembers it so the worker knows what to fold.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('notification_space_settings')
          .addColumn('space_id', 'text', (c) => c.primaryKey())
          .addColumn('digest_window_ms', 'integer', (c) => c.notNull())
          .addColumn('updated_by', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .alterTable('notification_deliveries')
          .addColumn('digest_window_ms', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
    '0331_notification_threads': {
      // One thread per item (issue 15, "Less noise"), and the per-subscription settings that shape
      // what goes into it. The primary key is what keeps a second thread from being recorded.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('notification_threads')
          .addColumn('space_id', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('source_key', 'text', (c) => c.notNull())
          .addColumn('item_key', 'text', (c) => c.notNull())
          .addColumn('parent_message_id', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('notification_threads_item', ['space_id', 'source', 'source_key', 'item_key'])
          .execute();
        await db.schema
          .alterTable('notification_subscriptions')
          .addColumn('format', 'text', (c) => c.notNull().defaultTo('full').check(sql`format in ('full', 'compact')`))
          .execute();
        await db.schema.alterTable('notification_subscriptions').addColumn('skip_own', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('notification_subscriptions').addColumn('important', 'text').execute();
      },
    },
    '0340_notification_restricted_items': {
      // Restricted changes are withheld unless an administrator allowed the subscription to carry
      // them (`een-bridge subscriptions restricted <id> allow`); see core/notifications/restricted/.
      async up(db: Kysely<unknown>) {
        await db.schema
          .alterTable('notification_subscriptions')
          .addColumn('restricted_allowed', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
        await db.schema.alterTable('notification_deliveries').addColumn('withheld', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      },
    },
    '0380_notification_unrouted': {
      // Fan-out leaves the webhook's request (issue 17): what must be durable before the 202 is the
      // event; its deliveries are derived afterwards by the router, in `seq` order. Events stored
      // before this migration were routed when they were accepted, so none is listed here.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('notification_unrouted')
          .addColumn('seq', serial, autoId(dialect))
          .addColumn('event_id', 'text', (c) => c.notNull().unique().references('notification_events.id').onDelete('cascade'))
          .execute();
      },
    },
  };
}

/** The partial index of unfinished deliveries; SQLite's planner has to be told to use it. */
export const QUEUE_INDEX = 'notification_deliveries_queue';
