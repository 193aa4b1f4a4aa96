import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store/dialect';

/** The meetings range (02xx); see core/store/migrations.ts. */
export function meetingsMigrations(_dialect: Dialect): Record<string, Migration> {
  return {
    '0201_webex_accounts_and_slack': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('webex_oauth_states')
          .addColumn('state_hash', 'text', (c) => c.primaryKey())
          .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('meeting_lists')
          .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
          .addColumn('meeting_ids', 'text', (c) => c.notNull())
          .addColumn('listed_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('slack_installations')
          .addColumn('team_id', 'text', (c) => c.primaryKey())
          .addColumn('enterprise_id', 'text')
          .addColumn('team_name', 'text')
          .addColumn('bot_user_id', 'text', (c) => c.notNull())
          .addColumn('bot_id', 'text')
          .addColumn('installed_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('slack_seen_requests')
          .addColumn('signature', 'text', (c) => c.primaryKey())
          .addColumn('seen_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('slack_seen_requests_seen_at').on('slack_seen_requests').columns(['seen_at']).execute();
      },
    },
    '0202_slack_oauth_states': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('slack_oauth_states')
          .addColumn('state_hash', 'text', (c) => c.primaryKey())
          .addColumn('expires_at', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // The browser a Connect link was opened in (hash of its cookie), so the callback is taken
    // only from that browser (login-CSRF, issue 13).
    '0203_webex_oauth_browser': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('webex_oauth_states').addColumn('browser_hash', 'text').execute();
      },
    },
    // Where a Connect link was asked for (slack, teams, webex), so its pages tell a Teams or
    // Webex user their own way to ask again, not Slack's "/webex connect" (issue 14).
    '0410_webex_oauth_surface': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('webex_oauth_states').addColumn('surface', 'text').execute();
      },
    },
  };
}
