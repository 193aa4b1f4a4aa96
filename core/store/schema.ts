import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { CallingTables } from '../calling/calling-tables';
import type { MeetingsTables } from '../meetings/tables';
import type { NotificationTables } from '../notifications/tables';
import type { GraphTables } from '../notifications/graph-tables';
import type { HealthTables } from '../notifications/health/tables';
import type { SpaceAccessTables } from '../notifications/access-tables';
import type { ConsoleSessionTables } from '../identity/console-session-tables';
import type { DigestTables } from '../notifications/digests/tables';

/**
 * Tables as Kysely sees them. Timestamps are ISO-8601 UTC text on both dialects so the same
 * queries sort and compare them the same way on SQLite and PostgreSQL.
 */
export type Database = FoundationTables & CallingTables & MeetingsTables & NotificationTables & GraphTables & SpaceAccessTables & HealthTables & ConsoleSessionTables & DigestTables;
// Each capability adds its tables as `& CallingTables`, `& MeetingsTables`, … above.

export interface FoundationTables {
  users: UsersTable;
  secrets: SecretsTable;
  audit_log: AuditLogTable;
  served_organisations: ServedOrganisationsTable;
}

export const licenceTiers = ['Basis', 'Standaard', 'Premium'] as const;
export type LicenceTier = (typeof licenceTiers)[number];

export interface UsersTable {
  id: string;
  email: string | null;
  display_name: string | null;
  teams_aad_object_id: string | null;
  teams_tenant_id: string | null;
  slack_team_id: string | null;
  slack_user_id: string | null;
  webex_person_id: string | null;
  broadworks_user_id: string | null;
  een_number: string | null;
  licence_tier: Generated<LicenceTier>;
  locale: Generated<string>;
  time_zone: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface SecretsTable {
  owner: string;
  purpose: string;
  sealed: string;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  outcome: string;
  detail: string;
}

/** Organisations an administrator allowed (core/identity/organisations.ts). */
export interface ServedOrganisationsTable {
  kind: string;
  value: string;
  added_by: string;
  added_at: string;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserRowPatch = Updateable<UsersTable>;
export type AuditRow = Selectable<AuditLogTable>;
