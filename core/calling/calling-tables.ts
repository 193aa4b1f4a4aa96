import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store/store';

/** Tables owned by calling (migrations 01xx). */
export interface CallingTables {
  calling_dial_policies: DialPoliciesTable;
}

export interface DialPoliciesTable {
  tenant_id: string;
  /** JSON array of prefixes: national ("0900") or E.164 ("+979"). */
  blocked_prefixes: string;
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
  };
}
