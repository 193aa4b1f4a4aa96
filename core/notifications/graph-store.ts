import type { Kysely, Migration, Selectable } from 'kysely';
import type { Database } from '../store/schema';
import type { Dialect } from '../store/store';

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

/** The `graph_subscriptions` table. */
export class GraphSubscriptionStore {
  constructor(private readonly db: Kysely<Database>) {}

  byId(id: string): Promise<GraphSubscriptionRow | undefined> {
    return this.db.selectFrom('graph_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The rows for these ids, in one query (a body of notifications is checked at once). */
  async byIds(ids: readonly string[]): Promise<Map<string, GraphSubscriptionRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('graph_subscriptions').selectAll().where('id', 'in', [...ids]).execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  byDrive(driveId: string): Promise<GraphSubscriptionRow | undefined> {
    return this.db.selectFrom('graph_subscriptions').selectAll().where('drive_id', '=', driveId).executeTakeFirst();
  }

  all(): Promise<GraphSubscriptionRow[]> {
    return this.db.selectFrom('graph_subscriptions').selectAll().orderBy('expires_at').execute();
  }

  /** Replaces the drive's row (a recreated subscription has a new id and secret). */
  async save(row: GraphSubscriptionRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('graph_subscriptions').where('drive_id', '=', row.drive_id).execute();
      await trx.insertInto('graph_subscriptions').values(row).execute();
    });
  }

  async update(id: string, set: Partial<Pick<GraphSubscriptionRow, 'expires_at' | 'delta_link' | 'synced_at'>>, now: string): Promise<void> {
    await this.db.updateTable('graph_subscriptions').set({ ...set, updated_at: now }).where('id', '=', id).execute();
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('graph_subscriptions').where('id', '=', id).execute();
  }

  /** Folder keys (`<driveId>/<folderId>`) some space follows on this drive. */
  async watchedFolderIds(driveId: string): Promise<Set<string>> {
    // Filtered here, not with LIKE: drive ids contain `_` and `!`, and the two dialects escape LIKE differently.
    const rows = await this.db.selectFrom('notification_subscriptions').select('source_key').where('source', '=', 'graph').execute();
    const prefix = `${driveId}/`;
    return new Set(rows.filter((r) => r.source_key.startsWith(prefix)).map((r) => r.source_key.slice(prefix.length)));
  }
}
