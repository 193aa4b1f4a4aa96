import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../../store/dialect';

/**
 * A subscription's filter in the filter language (issue 15): its canonical English text, and the
 * e-mail address of the person who set it, whom `assignee=me` means. Null: no filter.
 */
export function filterMigrations(_dialect: Dialect): Record<string, Migration> {
  return {
    '0350_subscription_filter_expression': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('notification_subscriptions').addColumn('filter_expression', 'text').execute();
        await db.schema.alterTable('notification_subscriptions').addColumn('filter_subscriber', 'text').execute();
      },
    },
  };
}
