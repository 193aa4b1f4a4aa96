import type { ColumnDefinitionBuilder, Generated, Kysely, Migration } from 'kysely';
import type { Dialect } from '../store/dialect';

/**
 * Who may follow what and write where from a Webex space (docs/security.md, "Webex spaces: who
 * may follow what, and who may write"), and the Webex events already handled (replay).
 */
export interface SpaceAccessTables {
  source_allow_list: SourceAllowListTable;
  follow_requests: FollowRequestsTable;
  space_writers: SpaceWritersTable;
  webex_seen_events: WebexSeenEventsTable;
}

/** A source an administrator allowed spaces to follow; `org` is a Webex org UUID or `*` (every served organisation). */
export interface SourceAllowListTable {
  source: string;
  source_key: string;
  org: string;
  added_by: string;
  added_at: string;
}

/** pending → approved → applied (subscribed, space told), or pending → denied → closed (space told). */
export const followRequestStatuses = ['pending', 'approved', 'denied', 'applied', 'closed'] as const;
export type FollowRequestStatus = (typeof followRequestStatuses)[number];

/** A space asked to follow a source that is not on the allow-list. */
export interface FollowRequestsTable {
  id: Generated<number>;
  space_id: string;
  source: string;
  source_key: string;
  /** What the space called it (board or folder name), for the administrator and the answer. */
  label: string;
  filter: string;
  locale: string;
  requested_by: string;
  /** The requester's Webex org UUID. */
  requester_org: string;
  status: FollowRequestStatus;
  created_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

/** Who may write (create Trello cards) from a space: `person` is an e-mail address or `*` (anyone served in that space). */
export interface SpaceWritersTable {
  space_id: string;
  person: string;
  added_by: string;
  added_at: string;
}

/** A Webex event already handed to the bot, kept until `seen_at` is older than the replay window. */
export interface WebexSeenEventsTable {
  event_key: string;
  seen_at: string;
}

function autoId(dialect: Dialect) {
  return (c: ColumnDefinitionBuilder) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
}

export function spaceAccessMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0321_webex_space_access': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('source_allow_list')
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('source_key', 'text', (c) => c.notNull())
          .addColumn('org', 'text', (c) => c.notNull())
          .addColumn('added_by', 'text', (c) => c.notNull())
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('source_allow_list_pk', ['source', 'source_key', 'org'])
          .execute();
        await db.schema
          .createTable('follow_requests')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', autoId(dialect))
          .addColumn('space_id', 'text', (c) => c.notNull())
          .addColumn('source', 'text', (c) => c.notNull())
          .addColumn('source_key', 'text', (c) => c.notNull())
          .addColumn('label', 'text', (c) => c.notNull())
          .addColumn('filter', 'text', (c) => c.notNull().defaultTo('{}'))
          .addColumn('locale', 'text', (c) => c.notNull())
          .addColumn('requested_by', 'text', (c) => c.notNull())
          .addColumn('requester_org', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('decided_by', 'text')
          .addColumn('decided_at', 'text')
          .execute();
        await db.schema.createIndex('follow_requests_status').on('follow_requests').columns(['status', 'id']).execute();
        await db.schema
          .createTable('space_writers')
          .addColumn('space_id', 'text', (c) => c.notNull())
          .addColumn('person', 'text', (c) => c.notNull())
          .addColumn('added_by', 'text', (c) => c.notNull())
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('space_writers_pk', ['space_id', 'person'])
          .execute();
        await db.schema
          .createTable('webex_seen_events')
          .addColumn('event_key', 'text', (c) => c.primaryKey())
          .addColumn('seen_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('webex_seen_events_at').on('webex_seen_events').columns(['seen_at']).execute();
      },
    },
  };
}
