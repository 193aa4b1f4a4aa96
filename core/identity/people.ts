import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit-log';
import type { ImportResult, InspectedCsv, InspectedRow } from '../calling/user-import';
import { UserError } from '../errors';
import { translate } from '../i18n';
import type { Database, LicenceTier } from '../store/schema';
import type { User, UserDirectory } from './users';

export interface PeopleDeps {
  users: UserDirectory;
  audit: AuditLog;
  /** The store, for the CSV import's one transaction (core/calling/user-import.ts). */
  db: Kysely<Database>;
}

/** What an import would do to each row, without doing it. */
export type ImportPreview = InspectedCsv & { rows: (InspectedRow & { action: 'add' | 'change' | undefined })[] };

/**
 * The people een-bridge serves, as an administrator manages them from the console or the CLI
 * (issue 14: every surface and CLI command through one façade, none reaching the directory):
 * who is known, their licence, their KPN EEN line and the CSV import. Every change is audited as
 * `by` (the console's `console:<name> <<username>>`, the CLI's `cli`). A person's own view of
 * themselves (the Teams tab) reads `person`.
 */
export class People {
  constructor(private readonly deps: PeopleDeps) {}

  list(): Promise<User[]> {
    return this.deps.users.list();
  }

  /** The person with this core id, if any. */
  person(id: string): Promise<User | undefined> {
    return this.deps.users.byId(id);
  }

  /** The language a person chose (their stored locale), for pages made for them. */
  async localeOf(id: string): Promise<string | undefined> {
    return (await this.deps.users.byId(id))?.locale;
  }

  /** A known person's licence. Throws console.unknownPerson (404) for an id nobody has. */
  async setLicence(id: string, licence: LicenceTier, by: string): Promise<{ id: string; licence: LicenceTier }> {
    const user = await this.known(id);
    await this.deps.users.update(id, { licenceTier: licence });
    await this.deps.audit.record({ actor: by, action: 'identity.licence.set', outcome: 'succeeded', detail: { userId: id, from: user.licenceTier, to: licence } });
    return { id, licence };
  }

  /**
   * A licence by e-mail address, also before the person's first use: someone not known yet is
   * added now and matched by the address when they first come from Teams, Slack or Webex
   * (userForTeams, SlackActors), so they arrive with it. `from` is the licence they had.
   */
  async licenceByEmail(email: string, licence: LicenceTier, by: string): Promise<{ id: string; added: boolean; from: LicenceTier | undefined }> {
    const known = await this.deps.users.byEmail(email);
    const person = known ? await this.deps.users.update(known.id, { licenceTier: licence }) : await this.deps.users.create({ email, licenceTier: licence });
    const id = person?.id ?? known!.id;
    // The address as stored (trimmed, lower case), the one the person is matched by.
    await this.deps.audit.record({ actor: by, action: known ? 'identity.licence.set' : 'identity.person.add', outcome: 'succeeded', detail: { userId: id, email: person?.email ?? email, ...(known ? { from: known.licenceTier } : {}), to: licence } });
    return { id, added: !known, from: known?.licenceTier };
  }

  /**
   * Links a KPN EEN line to a person. A line already linked to someone else is never moved (the
   * LineLinker rule, core/calling/line-linking.ts): that is refused (console.lineTaken, 409) and
   * audited as denied; unlink it there first.
   */
  async linkLine(id: string, line: { broadworksUserId: string; number: string | undefined }, by: string): Promise<void> {
    const user = await this.known(id);
    const holder = await this.deps.users.byBroadworksUserId(line.broadworksUserId);
    if (holder && holder.id !== id) {
      await this.deps.audit.record({ actor: by, action: 'calling.link', outcome: 'denied', detail: { userId: id, broadworksUserId: line.broadworksUserId, holder: holder.id } });
      throw new UserError('console.lineTaken', { line: line.broadworksUserId, holder: holder.displayName ?? holder.email ?? holder.id }, 409);
    }
    await this.deps.users.setLine(id, line);
    await this.deps.audit.record({ actor: by, action: 'calling.link', outcome: 'succeeded', detail: { userId: id, broadworksUserId: line.broadworksUserId, ...(user.broadworksUserId ? { from: user.broadworksUserId } : {}) } });
  }

  async unlinkLine(id: string, by: string): Promise<void> {
    const user = await this.known(id);
    await this.deps.users.setLine(id, undefined);
    await this.deps.audit.record({ actor: by, action: 'calling.unlink', outcome: 'succeeded', detail: { userId: id, broadworksUserId: user.broadworksUserId ?? null } });
  }

  /** Every row of a CSV and its problems, and whether it would add or change a person; nothing changes. */
  async previewImport(csv: string, locale = 'en'): Promise<ImportPreview> {
    // Loaded when asked: the CSV reader brings libphonenumber's metadata.
    const { previewUserImport } = await import('../calling/user-import');
    return previewUserImport(this.deps.db, csv, locale);
  }

  /**
   * Imports a CSV of people and their lines in one transaction (audited as calling.usersImport),
   * or refuses it whole: ImportError with every problem, the file's own or a line taken.
   */
  async importCsv(csv: string, by: string, locale = 'en'): Promise<ImportResult & { lines: number; withoutLine: number }> {
    const { ImportError, importUsers, readUserCsv } = await import('../calling/user-import');
    const lines = await readUserCsv(csv, locale);
    if (lines.length === 0) throw new ImportError([translate(locale, 'import.noRows')]);
    const result = await importUsers(this.deps.db, lines, by, locale);
    return { ...result, lines: lines.length, withoutLine: lines.filter((l) => l.broadworksUserId === undefined).length };
  }

  private async known(id: string): Promise<User> {
    const user = await this.deps.users.byId(id);
    if (!user) throw new UserError('console.unknownPerson', { id }, 404);
    return user;
  }
}
