import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit-log';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';

/**
 * What an administrator can allow een-bridge to serve (docs/security.md, "Organisations"):
 * - `teams-tenant`: a Microsoft Entra tenant id (Teams `channelData.tenant.id`), a GUID;
 * - `slack-team`: a Slack workspace id (`team_id`, e.g. T0123ABCD);
 * - `webex-org`: a Webex organisation id (`orgId` of GET /people/me), base64 or its UUID;
 * - `email-domain`: a mail domain whose verified addresses may be linked or served.
 */
export const organisationKinds = ['teams-tenant', 'slack-team', 'webex-org', 'email-domain'] as const;
export type OrganisationKind = (typeof organisationKinds)[number];

export interface ServedOrganisation {
  kind: OrganisationKind;
  value: string;
  /** `configured`: implied by the deployment's own settings (not stored, cannot be revoked here). */
  source: 'configured' | 'stored';
  addedBy?: string;
  addedAt?: string;
}

/**
 * One spelling per organisation, so a lookup never misses on case or encoding: GUIDs and
 * domains are case-insensitive; Slack ids are upper case by Slack's own convention; a Webex
 * org id is base64 of `ciscospark://us/ORGANIZATION/<uuid>` (developer.webex.com, "REST API
 * Basics": IDs), so both the id and its UUID are reduced to the UUID.
 */
export function normaliseOrganisation(kind: OrganisationKind, raw: string): string | undefined {
  const value = raw.trim();
  if (value === '' || value.length > 200) return undefined;
  switch (kind) {
    case 'teams-tenant':
      return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value.toLowerCase() : undefined;
    case 'slack-team':
      return /^[TE][A-Z0-9]{2,20}$/i.test(value) ? value.toUpperCase() : undefined;
    case 'email-domain': {
      const domain = value.toLowerCase().replace(/^@/, '');
      return /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(domain) ? domain : undefined;
    }
    case 'webex-org': {
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
      if (uuid.test(value)) return value.toLowerCase();
      // `ciscospark://us/ORGANIZATION/<uuid>`, or with a data-residency cluster such as
      // `ciscospark://urn:TEAM:eu-central-1_k/ORGANIZATION/<uuid>`.
      const decoded = /^[A-Za-z0-9+/_-]+=*$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '';
      const org = /^ciscospark:\/\/[^/\s]+\/ORGANIZATION\/([0-9a-z-]{1,64})$/i.exec(decoded);
      return org ? org[1]!.toLowerCase() : undefined;
    }
  }
}

/** The domain of an e-mail address, lower case; undefined when it is not one. */
export function emailDomain(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 1) return undefined;
  return normaliseOrganisation('email-domain', email.slice(at + 1));
}

/**
 * The served organisations as an administrator manages them (`een-bridge orgs`; issue 14: the
 * CLI reaches them through this port, built in app/administration.ts, not the repository).
 */
export interface OrganisationAdmin {
  list(): Promise<ServedOrganisation[]>;
  /** False when it was already served; RangeError when the value is not one of `kind`. */
  allow(kind: OrganisationKind, raw: string, by: string): Promise<boolean>;
  /** False when it was not in the stored list (configured ones follow the settings). */
  revoke(kind: OrganisationKind, raw: string, by: string): Promise<boolean>;
}

/**
 * The organisations een-bridge serves: those implied by its own configuration (the single
 * tenant of a single-tenant bot, the sandbox's own organisations) and those an administrator
 * allowed (`een-bridge orgs allow …`, stored, so every replica agrees). Nothing else is served.
 */
export class ServedOrganisations implements OrganisationAdmin {
  private readonly configured = new Map<OrganisationKind, Set<string>>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    configured: Partial<Record<OrganisationKind, readonly string[]>> = {},
    private readonly clock: Clock = systemClock,
  ) {
    for (const kind of organisationKinds) this.configured.set(kind, new Set());
    for (const [kind, values] of Object.entries(configured) as [OrganisationKind, readonly string[]][]) {
      for (const v of values) this.addConfigured(kind, v);
    }
  }

  /** An organisation the deployment implies at run time (e.g. the Webex bot's own org). */
  addConfigured(kind: OrganisationKind, raw: string): void {
    const value = normaliseOrganisation(kind, raw);
    if (value) this.configured.get(kind)!.add(value);
  }

  async allows(kind: OrganisationKind, raw: string | undefined): Promise<boolean> {
    if (raw === undefined) return false;
    const value = normaliseOrganisation(kind, raw);
    if (!value) return false;
    if (this.configured.get(kind)!.has(value)) return true;
    const row = await this.db
      .selectFrom('served_organisations')
      .select('value')
      .where('kind', '=', kind)
      .where('value', '=', value)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Whether an address belongs to an allowed mail domain (exact domain, not its parents). */
  async allowsEmail(email: string | undefined): Promise<boolean> {
    const domain = email === undefined ? undefined : emailDomain(email);
    return domain !== undefined && this.allows('email-domain', domain);
  }

  async list(): Promise<ServedOrganisation[]> {
    const configured: ServedOrganisation[] = [];
    for (const [kind, values] of this.configured) for (const value of values) configured.push({ kind, value, source: 'configured' });
    const rows = await this.db.selectFrom('served_organisations').selectAll().orderBy('kind').orderBy('value').execute();
    return [
      ...configured,
      ...rows.map((r): ServedOrganisation => ({ kind: r.kind as OrganisationKind, value: r.value, source: 'stored', addedBy: r.added_by, addedAt: r.added_at })),
    ];
  }

  /** Allows an organisation; false when it was already allowed. Throws RangeError for a malformed value. */
  async allow(kind: OrganisationKind, raw: string, by: string): Promise<boolean> {
    const value = this.valid(kind, raw);
    const inserted = await this.db
      .insertInto('served_organisations')
      .values({ kind, value, added_by: by, added_at: isoNow(this.clock) })
      .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
      .executeTakeFirst();
    const changed = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
    await this.audit.record({ actor: by, action: 'organisation.allow', outcome: 'succeeded', detail: { kind, value, changed } });
    return changed;
  }

  /** Stops serving an organisation; false when it was not stored (configured ones cannot be revoked here). */
  async revoke(kind: OrganisationKind, raw: string, by: string): Promise<boolean> {
    const value = this.valid(kind, raw);
    const deleted = await this.db.deleteFrom('served_organisations').where('kind', '=', kind).where('value', '=', value).executeTakeFirst();
    const changed = Number(deleted.numDeletedRows) > 0;
    await this.audit.record({ actor: by, action: 'organisation.revoke', outcome: 'succeeded', detail: { kind, value, changed } });
    return changed;
  }

  private valid(kind: OrganisationKind, raw: string): string {
    const value = normaliseOrganisation(kind, raw);
    if (!value) throw new RangeError(`"${raw.slice(0, 80)}" is not a valid ${kind}`);
    return value;
  }
}
