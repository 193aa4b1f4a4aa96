import type { Kysely } from 'kysely';
import type { AuditLog } from '../../audit-log';
import type { Database } from '../../store/schema';

/**
 * An administrator's decision that a subscription may (or may no longer) carry restricted items
 * (Jira issues with a security level, comments visible to a role or group, cards on private
 * Trello boards) into its space. Audited either way. Only changes queued after `allow` are
 * shown; those withheld before stay withheld.
 */
export class RestrictedItems {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
  ) {}

  /** Answers false when there is no such subscription. */
  async set(subscriptionId: number, allowed: boolean, by: string): Promise<boolean> {
    const row = await this.db.selectFrom('notification_subscriptions').select(['space_id', 'source', 'source_key']).where('id', '=', subscriptionId).executeTakeFirst();
    if (!row) {
      await this.audit.record({ actor: by, action: 'subscription.restricted', outcome: 'failed', detail: { subscription: subscriptionId, allowed, reason: 'no such subscription' } });
      return false;
    }
    await this.db.updateTable('notification_subscriptions').set({ restricted_allowed: allowed ? 1 : 0 }).where('id', '=', subscriptionId).execute();
    await this.audit.record({
      actor: by,
      action: 'subscription.restricted',
      outcome: 'succeeded',
      detail: { subscription: subscriptionId, space: row.space_id, source: row.source, key: row.source_key, allowed },
    });
    return true;
  }
}
