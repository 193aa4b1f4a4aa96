import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../../store/dialect';

/** Subscription health (issue 15, "Failing loudly"); added to `Database` in core/store/schema.ts. */
export interface HealthTables {
  notification_health_notices: HealthNoticesTable;
  notification_upstream_health: UpstreamHealthTable;
  notification_leases: LeasesTable;
}

/**
 * The stored "told once" flag: a row while a subscription is broken and its space was told; gone
 * once it is healthy again, so the next breakage is told again.
 */
export interface HealthNoticesTable {
  subscription_id: number;
  problem: string;
  noticed_at: string;
}

/**
 * What the source's side of a subscription last looked like: a Trello board and its webhook
 * (checked by the health monitor), a Graph subscription per drive (reported by its renewal).
 */
export interface UpstreamHealthTable {
  source: string;
  /** Trello board id or short link as subscribed; Graph drive id. */
  upstream_key: string;
  /** ok | gone | missing | failing */
  state: string;
  /** Failed checks or renewals in a row. */
  failures: number;
  detail: string | null;
  /** Graph: when the subscription expires. */
  expires_at: string | null;
  checked_at: string;
}

/** A lease per periodic job, so one replica runs it per store at a time. */
export interface LeasesTable {
  name: string;
  holder: string;
  until: string;
}

export function healthMigrations(_dialect: Dialect): Record<string, Migration> {
  return {
    '0341_notification_health': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('notification_health_notices')
          .addColumn('subscription_id', 'integer', (c) => c.primaryKey())
          .addColumn('problem', 'text', (c) => c.notNull())
          .addColumn('noticed_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('notification_upstream_health')
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('upstream_key', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('detail', 'text')
          .addColumn('expires_at', 'text')
          .addColumn('checked_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('notification_upstream_health_pk', ['source', 'upstream_key'])
          .execute();
        await db.schema
          .createTable('notification_leases')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('holder', 'text', (c) => c.notNull())
          .addColumn('until', 'text', (c) => c.notNull())
          .execute();
      },
    },
  };
}
