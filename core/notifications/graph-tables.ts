import type { Kysely, Migration, Selectable } from 'kysely';
import type { Dialect } from '../store/dialect';

/*
 * The graph_subscriptions table and its migrations, apart from the repository (graph-store.ts):
 * the store's schema names these tables, and the repository names the schema, so one file
 * holding both was an import circle (issue 14).
 */

/** Graph subscriptions, one per drive (added to `Database` in core/store/schema.ts). */
export interface GraphTables {
  graph_subscriptions: GraphSubscriptionsTable;
}

export interface GraphSubscriptionsTable {
  /** Graph's subscription id. */
  id: string;
  drive_id: string;
  /** SHA-256 of the clientState Graph echoes in each notification; never the value itself. */
  client_state_hash: string;
  /** ISO-8601 UTC. */
  expires_at: string;
  /** Where the next delta query starts; advanced only after its events are committed. */
  delta_link: string | null;
  /**
   * ISO-8601 UTC: when `delta_link` was obtained, i.e. up to when the drive's changes are known.
   * After a 410 resync, files changed since then are news; older ones are history. Null on rows
   * made before this column (the resync then counts from updated_at).
   */
  synced_at: string | null;
  created_at: string;
  updated_at: string;
}

export type GraphSubscriptionRow = Selectable<GraphSubscriptionsTable>;

export function graphMigrations(_dialect: Dialect): Record<string, Migration> {
  return {
    '0311_graph_subscriptions': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('graph_subscriptions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('drive_id', 'text', (c) => c.notNull().unique())
          .addColumn('client_state_hash', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('delta_link', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    '0312_graph_delta_synced_at': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('graph_subscriptions').addColumn('synced_at', 'text').execute();
      },
    },
  };
}
