import type { AuditLog } from '../audit-log';
import { UserError } from '../errors';
import type { User, UserDirectory } from '../identity/users';
import type { Telephony } from './telephony';

/** The KPN EEN line a person dials from: their own, never someone else's. */
export interface Line {
  broadworksUserId: string;
  number: string | undefined;
}

/**
 * Finds a person's line, linking it on first use: an unlinked user with an e-mail address
 * (stored only when trusted, see IdentityLinker) is looked up by that address in the enterprise directory (as seen by the directory
 * user, normally the enterprise administrator). Exactly one hit links; none or several
 * leave the user unlinked, for an administrator to import (`een-bridge users import`).
 */
export class LineLinker {
  constructor(
    private readonly users: UserDirectory,
    private readonly telephony: Telephony,
    private readonly audit: AuditLog,
    /** BroadWorks user whose view of the enterprise directory is searched. */
    private readonly directoryUserId: () => Promise<string>,
  ) {}

  async lineOf(userId: string): Promise<Line> {
    const user = await this.users.byId(userId);
    if (!user) throw new UserError('calling.notLinked', {}, 403);
    if (user.broadworksUserId) return { broadworksUserId: user.broadworksUserId, number: user.eenNumber };
    const linked = await this.linkByEmail(user);
    if (!linked) throw new UserError('calling.notLinked', {}, 403);
    return linked;
  }

  private async linkByEmail(user: User): Promise<Line | undefined> {
    const email = user.email?.toLowerCase();
    if (!email) return undefined;
    const hits = await this.telephony.searchDirectory(await this.directoryUserId(), { email, limit: 2 });
    const matches = hits.filter((h) => h.email?.toLowerCase() === email);
    if (matches.length !== 1) {
      await this.audit.record({ actor: user.id, action: 'calling.link', outcome: 'failed', detail: { email, hits: matches.length } });
      return undefined;
    }
    const entry = matches[0]!;
    // A line belongs to one person: one already linked to someone else (imported by an
    // administrator, or linked before) is never moved by an e-mail match (issue 13).
    const holder = await this.users.byBroadworksUserId(entry.userId);
    if (holder && holder.id !== user.id) {
      await this.audit.record({ actor: user.id, action: 'calling.link', outcome: 'denied', detail: { email, broadworksUserId: entry.userId, holder: holder.id } });
      throw new UserError('calling.lineTaken', {}, 403);
    }
    const number = entry.number ?? entry.extension;
    await this.users.update(user.id, { broadworksUserId: entry.userId, ...(number ? { eenNumber: number } : {}) });
    await this.audit.record({ actor: user.id, action: 'calling.link', outcome: 'succeeded', detail: { email, broadworksUserId: entry.userId } });
    return { broadworksUserId: entry.userId, number };
  }
}
