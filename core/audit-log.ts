import type { Insertable, Kysely, Transaction } from 'kysely';
import { isoNow, systemClock, type Clock } from './clock';
import type { AuditLogTable, Database } from './store/schema';

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

interface Queued {
  row: Insertable<AuditLogTable>;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/** Most entries written in one statement. */
const MAX_GROUP = 200;

/**
 * Every decision a person may later ask about ("why could I not call this number?").
 *
 * Entries recorded while a write is under way are written together in the next one ("group
 * commit"): each commit costs a disk sync, and busy moments (a burst of clicks, slash commands)
 * then share one instead of queueing for one each. A caller still hears back only once its
 * own entry is committed.
 */
export class AuditLog {
  private readonly queue: Queued[] = [];
  private writing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
    /** Told when an entry recorded with `recordBehind` could not be written. */
    private readonly onLostEntry: (err: unknown, entry: AuditEntry) => void = () => undefined,
  ) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ row: this.rowOf(entry), resolve, reject });
      if (!this.writing) void this.writeQueued();
    });
  }

  /**
   * Records without making the caller wait for the commit: for what happened after a decision
   * that is itself already recorded (a call's outcome), where the person should not wait a
   * disk sync longer for their answer.
   */
  recordBehind(entry: AuditEntry): void {
    this.record(entry).catch((err: unknown) => this.onLostEntry(err, entry));
  }

  /**
   * Writes the entry inside the caller's transaction, bypassing the group: for a decision the
   * next one must count, under the same lock (the dial rate limit).
   */
  async recordIn(trx: Transaction<Database>, entry: AuditEntry): Promise<void> {
    await trx.insertInto('audit_log').values(this.rowOf(entry)).execute();
  }

  private rowOf(entry: AuditEntry): Insertable<AuditLogTable> {
    return {
      at: isoNow(this.clock),
      actor: entry.actor,
      action: entry.action,
      outcome: entry.outcome,
      detail: JSON.stringify(entry.detail ?? {}),
    };
  }

  private async writeQueued(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, MAX_GROUP);
        try {
          await this.db.insertInto('audit_log').values(group.map((q) => q.row)).execute();
          for (const q of group) q.resolve();
        } catch (err) {
          for (const q of group) q.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
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
