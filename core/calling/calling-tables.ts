import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store/dialect';
import { DEFAULT_BLOCKED_SHORT_CODES } from './short-codes';

/** Tables owned by calling (migrations 01xx). */
export interface CallingTables {
  calling_dial_policies: DialPoliciesTable;
}

export interface DialPoliciesTable {
  tenant_id: string;
  /** JSON array of prefixes: national ("0900"), E.164 ("+979") or short-code ("18"). */
  blocked_prefixes: string;
  /** JSON array of extension ranges ("2000-2999") and single extensions ("100"). */
  extension_plan: string;
  block_premium_rate: number;
  international_allowed: number;
  calls_per_minute: number;
  updated_at: string;
}

export function callingMigrations(_dialect: Dialect): Record<string, Migration> {
  return {
    '0101_calling_dial_policies': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('calling_dial_policies')
          .addColumn('tenant_id', 'text', (c) => c.primaryKey())
          .addColumn('blocked_prefixes', 'text', (c) => c.notNull())
          .addColumn('block_premium_rate', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('international_allowed', 'integer', (c) => c.notNull().defaultTo(1))
          .addColumn('calls_per_minute', 'integer', (c) => c.notNull().defaultTo(10))
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        // The per-user rate limit counts a user's recent dial decisions in the audit log.
        await db.schema.createIndex('audit_log_actor_action_at').on('audit_log').columns(['actor', 'action', 'at']).execute();
      },
    },
    // Short numbers go through the policy (issue 13): an extension plan, and the Dutch 18xy
    // and 16xy short codes blocked in stored policies too. Before this, short numbers skipped
    // the policy altogether, so no administrator chose to allow them.
    '0102_calling_short_numbers': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('calling_dial_policies').addColumn('extension_plan', 'text', (c) => c.notNull().defaultTo('[]')).execute();
        const policies = db as unknown as Kysely<CallingTables>;
        const rows = await policies.selectFrom('calling_dial_policies').select(['tenant_id', 'blocked_prefixes']).execute();
        for (const row of rows) {
          const blocked = new Set(JSON.parse(row.blocked_prefixes) as string[]);
          for (const code of DEFAULT_BLOCKED_SHORT_CODES) blocked.add(code);
          await policies.updateTable('calling_dial_policies').set({ blocked_prefixes: JSON.stringify([...blocked]) }).where('tenant_id', '=', row.tenant_id).execute();
        }
      },
    },
  };
}
