import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit-log';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';

/** Everyone served in the space, in a write grant. */
export const ANY_PERSON = '*';

export interface SpaceWriter {
  spaceId: string;
  /** An e-mail address (lower case), or `*`. */
  person: string;
  addedBy: string;
  addedAt: string;
}

/**
 * Write grants as an administrator manages them (`een-bridge writers`; issue 14: through this
 * port, built in app/administration.ts, not the repository).
 */
export interface WriterGrants {
  list(spaceId?: string): Promise<SpaceWriter[]>;
  /** False when the person could already write; RangeError for a malformed address. */
  grant(spaceId: string, person: string, by: string): Promise<boolean>;
  revoke(spaceId: string, person: string, by: string): Promise<boolean>;
}

/**
 * Who may write from a Webex space into a source (create Trello cards as the service's Trello
 * account): nobody, until an administrator grants it per space (`een-bridge writers allow`).
 */
export class SpaceWriters implements WriterGrants {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock = systemClock,
  ) {}

  async mayWrite(spaceId: string, email: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('space_writers')
      .select('person')
      .where('space_id', '=', spaceId)
      .where('person', 'in', [email.trim().toLowerCase(), ANY_PERSON])
      .executeTakeFirst();
    return row !== undefined;
  }

  async list(spaceId?: string): Promise<SpaceWriter[]> {
    let query = this.db.selectFrom('space_writers').selectAll().orderBy('space_id').orderBy('person');
    if (spaceId) query = query.where('space_id', '=', spaceId);
    return (await query.execute()).map((r) => ({ spaceId: r.space_id, person: r.person, addedBy: r.added_by, addedAt: r.added_at }));
  }

  /** Grants writing in `spaceId` to `person` (an address, or `*` for everyone served there); false when already granted. */
  async grant(spaceId: string, person: string, by: string): Promise<boolean> {
    const who = this.valid(spaceId, person);
    const inserted = await this.db
      .insertInto('space_writers')
      .values({ space_id: spaceId, person: who, added_by: by, added_at: isoNow(this.clock) })
      .onConflict((oc) => oc.columns(['space_id', 'person']).doNothing())
      .executeTakeFirst();
    const changed = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
    await this.audit.record({ actor: by, action: 'space.write.grant', outcome: 'succeeded', detail: { space: spaceId, person: who, changed } });
    return changed;
  }

  async revoke(spaceId: string, person: string, by: string): Promise<boolean> {
    const who = this.valid(spaceId, person);
    const deleted = await this.db.deleteFrom('space_writers').where('space_id', '=', spaceId).where('person', '=', who).executeTakeFirst();
    const changed = Number(deleted.numDeletedRows) > 0;
    await this.audit.record({ actor: by, action: 'space.write.revoke', outcome: 'succeeded', detail: { space: spaceId, person: who, changed } });
    return changed;
  }

  private valid(spaceId: string, person: string): string {
    if (!/^[A-Za-z0-9_=-]{1,300}$/.test(spaceId)) throw new RangeError(`"${spaceId.slice(0, 80)}" is not a Webex space id`);
    const who = person.trim().toLowerCase();
    if (who !== ANY_PERSON && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(who)) throw new RangeError(`"${person.slice(0, 80)}" is not an e-mail address or *`);
    return who;
  }
}
