import { DEFAULT_MIGRATION_TABLE, Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './dialect';
import { callingMigrations } from '../calling/calling-tables';
import { meetingsMigrations } from '../meetings/migrations';
import { notificationMigrations } from '../notifications/tables';
import { graphMigrations } from '../notifications/graph-tables';
import { spaceAccessMigrations } from '../notifications/access-tables';
import { healthMigrations } from '../notifications/health/tables';
import { consoleSessionMigrations } from '../identity/console-session-tables';
import { filterMigrations } from '../notifications/filter/migrations';
import { digestMigrations } from '../notifications/digests/tables';

/**
 * Migrations in code, so the compiled service carries them. Never edit one that has shipped:
 * add the next. Names sort in order of application.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  // Each capability adds its own migrations here, e.g. `...callingMigrations(dialect)`.
  return {
    ...foundationMigrations(dialect),
    ...callingMigrations(dialect),
    ...meetingsMigrations(dialect),
    ...notificationMigrations(dialect),
    ...graphMigrations(dialect),
    ...spaceAccessMigrations(dialect),
    ...healthMigrations(dialect),
    ...consoleSessionMigrations(),
    ...filterMigrations(dialect),
    ...digestMigrations(dialect),
  };
}

function foundationMigrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_identity_and_audit': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('email', 'text', (c) => c.unique())
          .addColumn('display_name', 'text')
          .addColumn('teams_aad_object_id', 'text', (c) => c.unique())
          .addColumn('slack_team_id', 'text')
          .addColumn('slack_user_id', 'text')
          .addColumn('webex_person_id', 'text', (c) => c.unique())
          .addColumn('broadworks_user_id', 'text', (c) => c.unique())
          .addColumn('een_number', 'text')
          .addColumn('licence_tier', 'text', (c) =>
            c.notNull().defaultTo('Basis').check(sql`licence_tier in ('Basis', 'Standaard', 'Premium')`),
          )
          .addColumn('locale', 'text', (c) => c.notNull().defaultTo('nl-NL'))
          .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('Europe/Amsterdam'))
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('users_slack_unique', ['slack_team_id', 'slack_user_id'])
          .execute();

        await db.schema
          .createTable('secrets')
          .addColumn('owner', 'text', (c) => c.notNull())
          .addColumn('purpose', 'text', (c) => c.notNull())
          .addColumn('sealed', 'text', (c) => c.notNull())
          .addColumn('expires_at', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('secrets_pk', ['owner', 'purpose'])
          .execute();

        await db.schema
          .createTable('audit_log')
          .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
          .execute();
        await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute();
      },
    },
    '0002_served_organisations': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('served_organisations')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('added_by', 'text', (c) => c.notNull())
          .addColumn('added_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('served_organisations_pk', ['kind', 'value'])
          .execute();
      },
    },
    // A Teams user is (tenant id, AAD object id): the tenant is stored beside the object id
    // (issue 13). Rows from before keep NULL and get their tenant on the person's next turn.
    '0003_identity_teams_tenant': {
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('users').addColumn('teams_tenant_id', 'text').execute();
      },
    },
  };
}

function migrator(db: Kysely<unknown>, dialect: Dialect, schema?: string): Migrator {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // Each capability numbers its migrations in its own range (calling 01xx, meetings 02xx,
  // notifications 03xx), so a later-merged range may sort before one already applied.
  // On PostgreSQL the bookkeeping tables are named with their schema: Kysely looks for them
  // across all schemas, and would otherwise find another tenant's (or test run's) tables.
  return new Migrator({ db, provider, allowUnorderedMigrations: true, ...(schema ? { migrationTableSchema: schema } : {}) });
}

/** Names of applied and pending migrations, without applying any (for `een-bridge doctor`). */
export async function migrationStatus(db: Kysely<unknown>, dialect: Dialect, schema?: string): Promise<{ applied: string[]; pending: string[] }> {
  const all = await migrator(db, dialect, schema).getMigrations();
  return {
    applied: all.filter((m) => m.executedAt !== undefined).map((m) => m.name),
    pending: all.filter((m) => m.executedAt === undefined).map((m) => m.name),
  };
}

/** Applies what is missing; safe to run on every start and from several replicas at once. */
export async function migrateToLatest(db: Kysely<unknown>, dialect: Dialect, schema?: string): Promise<string[]> {
  if (await alreadyCurrent(db, dialect, schema)) return [];
  for (let attempt = 1; ; attempt += 1) {
    const { error, results } = await migrator(db, dialect, schema).migrateToLatest();
    if (!error) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (attempt < 10 && otherSchemaDropped(error, schema)) {
      await new Promise((r) => setTimeout(r, 20 * attempt));
      continue;
    }
    throw error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * True when the store has applied exactly the migrations this build carries: one read instead of
 * Kysely's Migrator, which looks for its two tables by reading the whole schema, creates them
 * if missing, and reads its lock row before it finds nothing to do (six statements on SQLite;
 * on every CLI command and start, issue 17). Anything else (no table yet, a pending migration,
 * one applied that this build does not know) goes to the Migrator, which applies or refuses
 * as before.
 */
async function alreadyCurrent(db: Kysely<unknown>, dialect: Dialect, schema?: string): Promise<boolean> {
  let applied: string[];
  try {
    const table = sql.table(schema ? `${schema}.${DEFAULT_MIGRATION_TABLE}` : DEFAULT_MIGRATION_TABLE);
    applied = (await sql<{ name: string }>`select name from ${table}`.execute(db)).rows.map((r) => r.name);
  } catch {
    return false;
  }
  const known = Object.keys(migrations(dialect));
  const recorded = new Set(applied);
  return recorded.size === known.length && known.every((name) => recorded.has(name));
}

/**
 * Kysely looks for its migration table by reading every schema of the database, looking each
 * up by name (PostgresIntrospector.getTables: has_schema_privilege, pg_get_serial_sequence); a
 * schema someone else drops meanwhile fails that read with 3F000 naming it. Nothing was applied
 * yet, so looking again is safe. (Seen in CI: parallel test workers drop their own schemas.)
 */
function otherSchemaDropped(error: unknown, schema: string | undefined): boolean {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code !== '3F000' || typeof message !== 'string') return false;
  const named = /^schema "(.+)" does not exist$/.exec(message)?.[1];
  return named !== undefined && named !== schema;
}
