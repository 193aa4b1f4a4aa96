import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database, LicenceTier, UserRow, UserRowPatch } from '../store/schema';

/** A person as een-bridge knows them across Teams, Slack, Webex and KPN EEN. */
export interface User {
  id: string;
  email: string | undefined;
  displayName: string | undefined;
  teamsAadObjectId: string | undefined;
  /** The Entra tenant the Teams identity belongs to (issue 13: a Teams user is tenant + object id). */
  teamsTenantId: string | undefined;
  slack: { teamId: string; userId: string } | undefined;
  webexPersonId: string | undefined;
  broadworksUserId: string | undefined;
  eenNumber: string | undefined;
  licenceTier: LicenceTier;
  locale: string;
  timeZone: string;
}

export type UserFields = Partial<Omit<User, 'id'>>;

function fromRow(r: UserRow): User {
  return {
    id: r.id,
    email: r.email ?? undefined,
    displayName: r.display_name ?? undefined,
    teamsAadObjectId: r.teams_aad_object_id ?? undefined,
    teamsTenantId: r.teams_tenant_id ?? undefined,
    slack: r.slack_team_id && r.slack_user_id ? { teamId: r.slack_team_id, userId: r.slack_user_id } : undefined,
    webexPersonId: r.webex_person_id ?? undefined,
    broadworksUserId: r.broadworks_user_id ?? undefined,
    eenNumber: r.een_number ?? undefined,
    licenceTier: r.licence_tier,
    locale: r.locale,
    timeZone: r.time_zone,
  };
}

function toColumns(f: UserFields): UserRowPatch {
  const columns: UserRowPatch = {
    email: f.email?.trim().toLowerCase(),
    display_name: f.displayName,
    teams_aad_object_id: f.teamsAadObjectId,
    teams_tenant_id: f.teamsTenantId?.toLowerCase(),
    slack_team_id: f.slack?.teamId,
    slack_user_id: f.slack?.userId,
    webex_person_id: f.webexPersonId,
    broadworks_user_id: f.broadworksUserId,
    een_number: f.eenNumber,
    licence_tier: f.licenceTier,
    locale: f.locale,
    time_zone: f.timeZone,
  };
  // Absent fields stay as they are; Kysely would otherwise write NULL for undefined.
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined));
}

/** The `users` table: links between a person's identities in each system. */
export class UserDirectory {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(fields: UserFields): Promise<User> {
    const now = isoNow(this.clock);
    const row = await this.db
      .insertInto('users')
      .values({ id: randomUUID(), created_at: now, updated_at: now, ...toColumns(fields) })
      .returningAll()
      .executeTakeFirstOrThrow();
    return fromRow(row);
  }

  async update(id: string, fields: UserFields): Promise<User | undefined> {
    const row = await this.db
      .updateTable('users')
      .set({ ...toColumns(fields), updated_at: isoNow(this.clock) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && fromRow(row);
  }

  /**
   * Links a person to a KPN EEN line, or with `undefined` unlinks them. `update` leaves absent
   * fields alone and so cannot clear one; unlinking must clear both the line and its number, or
   * a stale number would outlive its line. The caller checks who holds the line and audits.
   */
  async setLine(id: string, line: { broadworksUserId: string; number: string | undefined } | undefined): Promise<User | undefined> {
    const row = await this.db
      .updateTable('users')
      .set({ broadworks_user_id: line?.broadworksUserId ?? null, een_number: line?.number ?? null, updated_at: isoNow(this.clock) })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async byId(id: string): Promise<User | undefined> {
    return this.one('id', id);
  }

  async byEmail(email: string): Promise<User | undefined> {
    return this.one('email', email.trim().toLowerCase());
  }

  async byTeamsAadObjectId(aadObjectId: string): Promise<User | undefined> {
    return this.one('teams_aad_object_id', aadObjectId);
  }

  /**
   * The user behind a Teams identity: the object id within its tenant. A row stored before
   * tenants were recorded (teams_tenant_id NULL) matches its object id and is given the tenant.
   */
  async byTeamsUser(tenantId: string, aadObjectId: string): Promise<User | undefined> {
    const tenant = tenantId.toLowerCase();
    const user = await this.byTeamsAadObjectId(aadObjectId);
    if (!user) return undefined;
    if (user.teamsTenantId === undefined) return (await this.update(user.id, { teamsTenantId: tenant })) ?? user;
    return user.teamsTenantId === tenant ? user : undefined;
  }

  async byBroadworksUserId(broadworksUserId: string): Promise<User | undefined> {
    return this.one('broadworks_user_id', broadworksUserId);
  }

  async byWebexPersonId(personId: string): Promise<User | undefined> {
    return this.one('webex_person_id', personId);
  }

  async bySlackUser(teamId: string, userId: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('slack_team_id', '=', teamId)
      .where('slack_user_id', '=', userId)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async list(): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().orderBy('email').orderBy('id').execute();
    return rows.map(fromRow);
  }

  private async one(column: 'id' | 'email' | 'teams_aad_object_id' | 'webex_person_id' | 'broadworks_user_id', value: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where(column, '=', value).executeTakeFirst();
    return row && fromRow(row);
  }
}
