import { sql, type ColumnDefinitionBuilder, type Generated, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../../store/dialect';

/** Scheduled digests (issue 15, "Digests on a schedule"); added to `Database` in core/store/schema.ts. */
export interface DigestTables {
  notification_digest_schedules: DigestSchedulesTable;
  notification_digest_entries: DigestEntriesTable;
}

/**
 * What a space asked for: its time zone, and when (if at all) its changes go out as one digest.
 * `next_due_at` is stored so a restart or another replica knows when the next one is due without
 * recomputing it from a clock it may not share; the scheduler claims a row by moving it on.
 */
export interface DigestSchedulesTable {
  space_id: string;
  /** IANA zone, checked with luxon (Europe/Amsterdam unless the space said otherwise). */
  time_zone: string;
  /** 'daily' | 'weekly', or null: no digest (changes are delivered as they come). */
  cadence: string | null;
  /** ISO weekday for weekly digests: 1 Monday … 7 Sunday. */
  weekday: number | null;
  /** Local time of day, "HH:MM". */
  at_time: string | null;
  /** When the next digest is due, ISO-8601 UTC; null when nothing is scheduled. */
  next_due_at: string | null;
  updated_by: string | null;
  updated_at: string;
}

/**
 * A change collected for a space's next digest instead of being delivered. `delivery_id` is the
 * outbox delivery that carries it, set in the same transaction that queues that delivery.
 */
export interface DigestEntriesTable {
  id: Generated<number>;
  space_id: string;
  event_id: string;
  locale: string;
  /** As notification_deliveries.withheld: counted in the digest, never shown. */
  withheld: number;
  created_at: string;
  delivery_id: number | null;
}

function autoId(dialect: Dialect) {
  return (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
}

export function digestMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0360_notification_digest_schedules': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('notification_digest_schedules')
          .addColumn('space_id', 'text', (c) => c.primaryKey())
          .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/Amsterdam'))
          .addColumn('cadence', 'text', (c) => c.check(sql`cadence in ('daily', 'weekly')`))
          .addColumn('weekday', 'integer')
          .addColumn('at_time', 'text')
          .addColumn('next_due_at', 'text')
          .addColumn('updated_by', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // The scheduler's one seek: what is due by now.
        await db.schema.createIndex('notification_digest_schedules_due').on('notification_digest_schedules').columns(['next_due_at']).execute();
        await db.schema
          .createTable('notification_digest_entries')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', autoId(dialect))
          .addColumn('space_id', 'text', (c) => c.notNull())
          .addColumn('event_id', 'text', (c) => c.notNull().references('notification_events.id').onDelete('cascade'))
          .addColumn('locale', 'text', (c) => c.notNull())
          .addColumn('withheld', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('delivery_id', 'integer')
          // A change is collected once per space, as it would be delivered once (notification_deliveries_once).
          .addUniqueConstraint('notification_digest_entries_once', ['event_id', 'space_id'])
          .execute();
        await db.schema.createIndex('notification_digest_entries_space').on('notification_digest_entries').columns(['space_id', 'delivery_id', 'id']).execute();
        await db.schema.createIndex('notification_digest_entries_delivery').on('notification_digest_entries').columns(['delivery_id']).execute();
        // A delivery that carries a scheduled digest (its changes are the entries pointing at it).
        await db.schema
          .alterTable('notification_deliveries')
          .addColumn('scheduled_digest', 'integer', (c) => c.notNull().defaultTo(0))
          .execute();
      },
    },
  };
}
