import type { Kysely } from 'kysely';
import { isoNow, systemClock, type Clock } from './clock';
import type { Database } from './store/schema';

export interface AuditEntry {
  actor: string;
  action: string;
  outcome: 'allowed' | 'denied' | 'succeeded' | 'failed';
  detail?: Record<string, unknown>;
}

export interface RecordedAuditEntry extends Required<AuditEntry> {
  id: number;
  at: string;
}

/** Every decision a person may later ask about ("why could I not call this number?"). */
export class AuditLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        at: isoNow(this.clock),
        actor: entry.actor,
        action: entry.action,
        outcome: entry.outcome,
        detail: JSON.stringify(entry.detail ?? {}),
      })
      .execute();
  }

  async recent(limit = 50, actor?: string): Promise<RecordedAuditEntry[]> {
    let query = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
    if (actor) query = query.where('actor', '=', actor);
    const rows = await query.execute();
    return rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      outcome: r.outcome as AuditEntry['outcome'],
      detail: JSON.parse(r.detail) as Record<string, unknown>,
    }));
  }
}
