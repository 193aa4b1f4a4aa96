import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit-log';
import { isoNow, systemClock, type Clock } from '../clock';
import { normaliseOrganisation } from '../identity/organisations';
import type { Database } from '../store/schema';
import type { SourceName } from './source-event';
import { trelloBoardRef } from './trello-client';

/** Every served organisation, in an allow-list entry. */
export const ANY_ORGANISATION = '*';

export interface AllowedSource {
  source: SourceName;
  sourceKey: string;
  /** A Webex org UUID, or `*`. */
  org: string;
  addedBy: string;
  addedAt: string;
}

/**
 * One spelling per source key, so an entry matches what the bot resolves: a Jira project key
 * in upper case; a Trello board by its id or the short link of its URL; a OneDrive drive id
 * (every folder in it) or `driveId/folderId` (that folder and the folders below it).
 */
export function normaliseSourceKey(source: SourceName, raw: string): string | undefined {
  const value = raw.trim();
  if (value === '' || value.length > 300) return undefined;
  if (source === 'jira') return /^[A-Za-z][A-Za-z0-9_]{1,9}$/.test(value) ? value.toUpperCase() : undefined;
  if (source === 'trello') return trelloBoardRef(value);
  return /^[^\s/]+(?:\/[^\s/]+)?$/.test(value) ? value : undefined;
}

/** A Webex org id (base64 or UUID) reduced to its UUID, or `*`; undefined when malformed. */
export function normaliseAllowOrg(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.trim() === ANY_ORGANISATION) return ANY_ORGANISATION;
  return normaliseOrganisation('webex-org', raw);
}

/**
 * The allow-list as an administrator manages it (`een-bridge sources allow|revoke|list`; issue
 * 14: through this port, built in app/administration.ts, not the repository).
 */
export interface AllowedSources {
  list(): Promise<AllowedSource[]>;
  /** False when it was already allowed; RangeError for a key or organisation it cannot read. */
  allow(source: SourceName, rawKey: string, rawOrg: string | undefined, by: string): Promise<boolean>;
  revoke(source: SourceName, rawKey: string, rawOrg: string | undefined, by: string): Promise<boolean>;
}

/**
 * The administrator's list of sources Webex spaces may follow (`een-bridge sources allow`).
 * Nothing is on it by default: a space that asks for anything else files a request instead
 * (follow-requests.ts).
 */
export class SourceAllowList implements AllowedSources {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Whether a space of organisation `org` may follow the source. `keys` are every spelling of
   * the one source the bot resolved (a Trello board's id and short link); a OneDrive folder is
   * also allowed by an entry for its drive.
   */
  async allows(source: SourceName, keys: readonly string[], org: string): Promise<boolean> {
    const candidates = new Set(keys);
    if (source === 'graph') for (const k of keys) if (k.includes('/')) candidates.add(k.slice(0, k.indexOf('/')));
    const row = await this.db
      .selectFrom('source_allow_list')
      .select('source_key')
      .where('source', '=', source)
      .where('source_key', 'in', [...candidates])
      .where('org', 'in', [org, ANY_ORGANISATION])
      .executeTakeFirst();
    return row !== undefined;
  }

  async list(): Promise<AllowedSource[]> {
    const rows = await this.db.selectFrom('source_allow_list').selectAll().orderBy('source').orderBy('source_key').orderBy('org').execute();
    return rows.map((r) => ({ source: r.source as SourceName, sourceKey: r.source_key, org: r.org, addedBy: r.added_by, addedAt: r.added_at }));
  }

  /** Adds an entry; false when it was there already. Throws RangeError for a malformed key or org. */
  async allow(source: SourceName, rawKey: string, rawOrg: string | undefined, by: string): Promise<boolean> {
    const { key, org } = this.valid(source, rawKey, rawOrg);
    return this.insert(source, key, org, by);
  }

  private async insert(source: SourceName, key: string, org: string, by: string): Promise<boolean> {
    const inserted = await this.db
      .insertInto('source_allow_list')
      .values({ source, source_key: key, org, added_by: by, added_at: isoNow(this.clock) })
      .onConflict((oc) => oc.columns(['source', 'source_key', 'org']).doNothing())
      .executeTakeFirst();
    const changed = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
    await this.audit.record({ actor: by, action: 'source.allow', outcome: 'succeeded', detail: { source, key, org, changed } });
    return changed;
  }

  /**
   * Adds an entry for an organisation already in its one spelling (a follow request's
   * `requester_org`, which SpaceAccess normalised from Webex's Person.orgId).
   */
  async allowForOrganisation(source: SourceName, key: string, org: string, by: string): Promise<boolean> {
    return this.insert(source, key, org, by);
  }

  /** Removes an entry; false when there was none. Spaces already following keep their subscription. */
  async revoke(source: SourceName, rawKey: string, rawOrg: string | undefined, by: string): Promise<boolean> {
    const { key, org } = this.valid(source, rawKey, rawOrg);
    const deleted = await this.db
      .deleteFrom('source_allow_list')
      .where('source', '=', source)
      .where('source_key', '=', key)
      .where('org', '=', org)
      .executeTakeFirst();
    const changed = Number(deleted.numDeletedRows) > 0;
    await this.audit.record({ actor: by, action: 'source.revoke', outcome: 'succeeded', detail: { source, key, org, changed } });
    return changed;
  }

  private valid(source: SourceName, rawKey: string, rawOrg: string | undefined): { key: string; org: string } {
    const key = normaliseSourceKey(source, rawKey);
    if (!key) throw new RangeError(`"${rawKey.slice(0, 80)}" is not a valid ${source} key`);
    const org = normaliseAllowOrg(rawOrg);
    if (!org) throw new RangeError(`"${(rawOrg ?? '').slice(0, 80)}" is not a Webex organisation id`);
    return { key, org };
  }
}
