import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import type { GraphSubscriptionRow } from './graph-tables';

// The table and its migrations are in graph-tables.ts; re-exported so importers stay as they were.
export { graphMigrations, type GraphSubscriptionRow, type GraphSubscriptionsTable, type GraphTables } from './graph-tables';

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
