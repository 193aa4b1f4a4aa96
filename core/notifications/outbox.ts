import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { executeAll, executeAllAndCommit, executeInOneTransaction } from '../store/one-transaction';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Dialect } from '../store/store';
import type { Database } from '../store/schema';
import type { SourceEvent } from './source-event';
import { redacted } from './restricted/withheld';
import { QUEUE_INDEX, type DeliveryStatus, type NotificationDeliveriesTable } from './tables';

/** A delivery a worker holds for the length of its lease. */
export interface ClaimedDelivery {
  id: number;
  eventId: string;
  spaceId: string;
  locale: string;
  attempts: number;
  /**
   * The previous holder's lease ran out while it was sending (a crash or a hang): the message
   * may already be in the space, so check there before sending again.
   */
  inDoubt: boolean;
  /** When the previous send began, for a delivery in doubt. */
  previousClaimAt: string | null;
  event: SourceEvent;
  /** A restricted change this space may not see: `event` is stripped, the space hears only that one was not shown. */
  withheld?: boolean;
  /**
   * Later deliveries to the same space, claimed with this one to go out as one digest message
   * (a burst folded); they share its outcome. Empty for a single notification.
   */
  folded: ClaimedDelivery[];
  /**
   * A space's scheduled digest (digests/): every change collected for it, oldest first, each
   * withheld one already stripped. `event` is then only the first change, for the outbox's bookkeeping.
   */
  digest?: { event: SourceEvent; withheld: boolean }[];
}

/**
 * Folding of bursts into digests: at most `max` deliveries in one message, accepted within
 * `spanMs` of the first or within the first's digest window if longer (each delivery carries its
 * space's window, see NotificationInbox).
 */
export interface DigestRule {
  max: number;
  spanMs: number;
}

export interface DeliveryRow {
  id: number;
  eventId: string;
  spaceId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  webexMessageId: string | null;
  source: string;
  kind: string;
  subjectKey: string;
}

const active: DeliveryStatus[] = ['pending', 'sending'];
/** `active` on the queue alias `q`, written as the queue index's own condition so it can be used. */
const UNFINISHED = sql`q.status in ('pending', 'sending')`;

/** What became of one claimed delivery; a worker records a round's outcomes in one commit. */
export type DeliveryOutcome =
  /** `webexMessageId` null: nothing was sent, every change in it was skipped (skip-own). */
  | { id: number; kind: 'delivered'; webexMessageId: string | null }
  /** Back to pending, due at `at`; `failed` counts the attempt towards the dead-letter limit. */
  | { id: number; kind: 'retry'; at: Date; error: string; failed: boolean }
  | { id: number; kind: 'dead'; error: string; failed: boolean };

type Executor = Kysely<Database> | Transaction<Database>;

/** The delivery half of the outbox, shared by every worker on the store. */
export class Outbox {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Claims up to `limit` due deliveries, at most one per space: the oldest unfinished one, so a
   * space receives its notifications in the order they were accepted even while one waits for a
   * retry. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets several replicas claim side by side
   * without taking the same row; SQLite has one writer, so one worker per store.
   */
  async claimDue(leaseMs: number, limit: number, digest: DigestRule = { max: 1, spanMs: 0 }): Promise<ClaimedDelivery[]> {
    if (this.dialect === 'sqlite') return this.claimDueOnSqlite(leaseMs, limit, digest);
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const heads = await this.queueHeads(trx);
      if (heads.length === 0) return [];
      let query = trx
        .selectFrom('notification_deliveries as d')
        .innerJoin('notification_events as ev', 'ev.id', 'd.event_id')
        .select(['d.id', 'd.event_id', 'd.space_id', 'd.locale', 'd.attempts', 'd.status', 'd.claimed_at', 'd.created_at', 'd.digest_window_ms', 'd.withheld', 'd.scheduled_digest', 'ev.payload'])
        .where('d.id', 'in', heads)
        // Checked on `d` itself too: PostgreSQL re-evaluates these on the newest row version
        // when it locks it, so a row another worker just claimed or finished is passed over.
        .where('d.status', 'in', active)
        .where('d.next_attempt_at', '<=', now.toISOString())
        .orderBy('d.id')
        .limit(limit);
      if (this.dialect === 'postgres') query = query.forUpdate('d').skipLocked();
      const rows = await query.execute();
      if (rows.length === 0) return [];
      const claimed = rows.map((r) => toClaimed(r));
      await this.attachScheduledDigests(trx, claimed, rows.filter((r) => Number(r.scheduled_digest) === 1).map((r) => Number(r.id)));
      // A delivery in doubt goes alone: what it may already have sent is what gets looked for.
      // A scheduled digest is already one message and goes alone too.
      const foldable = digest.max > 1 ? claimed.filter((head) => !head.inDoubt && !head.digest) : [];
      const after = await this.queueAfterEach(trx, foldable, digest.max - 1);
      if (after.length > 0) {
        // Not SKIP LOCKED: skipping a row here would send the space its changes out of order.
        const next = await trx
          .selectFrom('notification_deliveries as d')
          .innerJoin('notification_events as ev', 'ev.id', 'd.event_id')
          .select(['d.id', 'd.event_id', 'd.space_id', 'd.locale', 'd.attempts', 'd.status', 'd.claimed_at', 'd.created_at', 'd.withheld', 'd.scheduled_digest', 'ev.payload'])
          .where('d.id', 'in', after)
          .where('d.status', 'in', active)
          .orderBy('d.id')
          .forUpdate('d')
          .execute();
        foldRuns(foldable, rows, next, digest);
      }
      await this.markSending(trx, claimed, now, leaseMs).execute();
      return claimed;
    });
  }

  /**
   * claimDue on SQLite, in two messages to the store's thread, holding its one connection (which
   * the webhooks' commits wait for) from the first to the second only (issue 17; it took seven:
   * the heads, the claim, a scheduled digest's changes, the rows after each head, their payloads,
   * the update and the commit, each a hop through the busy event loop). First, in one snapshot,
   * three reads that each find the claimed heads again by the same rule (one writer, nothing
   * changes in between): the heads, the changes of claimed scheduled digests, and the run after
   * each foldable head; then the update with the commit. Same rules as claimDue's: see there.
   */
  private async claimDueOnSqlite(leaseMs: number, limit: number, digest: DigestRule): Promise<ClaimedDelivery[]> {
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const claimedHeads = sql`with recursive spaces(space_id) as (
          select min(q.space_id) from ${this.queueTable()} where ${UNFINISHED}
          union all
          select (select min(q.space_id) from ${this.queueTable()} where ${UNFINISHED} and q.space_id > spaces.space_id)
          from spaces where spaces.space_id is not null
        ),
        heads(id) as (
          select (select min(q.id) from ${this.queueTable()} where ${UNFINISHED} and q.space_id = spaces.space_id)
          from spaces where spaces.space_id is not null
        ),
        claimed as (
          select d.id, d.space_id, d.status, d.scheduled_digest from notification_deliveries d
          where d.id in (select id from heads) and +d.status in ('pending', 'sending') and +d.next_attempt_at <= ${now.toISOString()}
          order by d.id limit ${limit}
        )`;
      // The unary + on status and next_attempt_at keeps SQLite from reaching the rows through
      // the due index (status, next_attempt_at), which holds every pending row: it chose that
      // index over the few head ids, so a claim read the whole backlog, longer with every
      // webhook of a burst (issue 17). A "+" term is not usable by an index and is checked on
      // the rows found by id: https://www.sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_"+"
      // (test/notifications/outbox-round-cost.test.ts reads the plans).
      const columns = sql`d.id, d.event_id, d.space_id, d.locale, d.attempts, d.status, d.claimed_at, d.created_at, d.digest_window_ms, d.withheld, d.scheduled_digest, ev.payload`;
      const reads = [
        sql`${claimedHeads} select ${columns} from notification_deliveries d join notification_events ev on ev.id = d.event_id
          where d.id in (select id from claimed) order by d.id`.compile(trx),
        sql`${claimedHeads} select e.delivery_id, e.withheld, ev.payload from notification_digest_entries e join notification_events ev on ev.id = e.event_id
          where e.delivery_id in (select id from claimed where scheduled_digest = 1) order by e.id`.compile(trx),
      ];
      if (digest.max > 1) {
        // For each foldable head (pending, not a scheduled digest), up to max - 1 unfinished rows
        // queued after it in its space: one index range each, as queueAfterEach reads them.
        reads.push(
          sql`${claimedHeads} select ${columns} from notification_deliveries d join notification_events ev on ev.id = d.event_id
            where d.id in (
              select j.value from claimed c, json_each((
                select json_group_array(x.id) from (
                  select q.id from ${this.queueTable()} where ${UNFINISHED} and q.space_id = c.space_id and q.id > c.id order by q.id limit ${digest.max - 1}
                ) x
              )) j
              where c.status = 'pending' and c.scheduled_digest = 0
            )
            and +d.status in ('pending', 'sending') order by d.id`.compile(trx),
        );
      }
      const [headRows, entryRows, afterRows] = await executeAll(trx, reads);
      const rows = headRows!.rows as ClaimRow[];
      if (rows.length === 0) return [];
      const claimed = rows.map((r) => toClaimed(r));
      attachEntries(
        claimed.filter((_, i) => Number(rows[i]!.scheduled_digest) === 1),
        entryRows!.rows as DigestEntryRow[],
      );
      const foldable = digest.max > 1 ? claimed.filter((head) => !head.inDoubt && !head.digest) : [];
      if (afterRows) foldRuns(foldable, rows, afterRows.rows as ClaimRow[], digest);
      await executeAllAndCommit(trx, [this.markSending(trx, claimed, now, leaseMs).compile()]);
      return claimed;
    });
  }

  /** The claimed deliveries (heads and what folded into them) leased: "sending" until `leaseMs` from now. */
  private markSending(trx: Transaction<Database>, claimed: ClaimedDelivery[], now: Date, leaseMs: number) {
    const ids = claimed.flatMap((c) => [c.id, ...c.folded.map((f) => f.id)]);
    return trx
      .updateTable('notification_deliveries')
      .set({
        status: 'sending',
        next_attempt_at: new Date(now.getTime() + leaseMs).toISOString(),
        claimed_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .where('id', 'in', ids);
  }

  /** Gives each claimed scheduled digest its collected changes, in one query for all of them. */
  private async attachScheduledDigests(trx: Transaction<Database>, claimed: ClaimedDelivery[], ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const entries = await trx
      .selectFrom('notification_digest_entries as e')
      .innerJoin('notification_events as ev', 'ev.id', 'e.event_id')
      .select(['e.delivery_id', 'e.withheld', 'ev.payload'])
      .where('e.delivery_id', 'in', ids)
      .orderBy('e.id')
      .execute();
    attachEntries(
      claimed.filter((d) => ids.includes(d.id)),
      entries,
    );
  }

  /**
   * The oldest unfinished delivery of every space with any, found by walking the distinct spaces
   * of the queue index (a "loose index scan": one seek per space) rather than grouping every
   * unfinished row: a claim then costs the number of spaces, not the size of the backlog. A
   * grouped subquery joined to the table was re-run per row by SQLite, quadratic in the backlog.
   */
  private async queueHeads(trx: Transaction<Database>): Promise<number[]> {
    const result = await sql<{ head_id: number | string | null }>`
      with recursive spaces(space_id) as (
        select min(q.space_id) from ${this.queueTable()} where ${UNFINISHED}
        union all
        select (select min(q.space_id) from ${this.queueTable()} where ${UNFINISHED} and q.space_id > spaces.space_id)
        from spaces where spaces.space_id is not null
      )
      select (select min(q.id) from ${this.queueTable()} where ${UNFINISHED} and q.space_id = spaces.space_id) as head_id
      from spaces where spaces.space_id is not null`.execute(trx);
    return result.rows.flatMap((r) => (r.head_id === null ? [] : [Number(r.head_id)]));
  }

  /**
   * For each head, up to `limit` unfinished deliveries queued in its space after it: one
   * statement for all heads, each part one index range.
   */
  private async queueAfterEach(trx: Transaction<Database>, heads: { spaceId: string; id: number }[], limit: number): Promise<number[]> {
    if (heads.length === 0 || limit < 1) return [];
    const parts = heads.map(
      (head, i) => sql`select ${sql.id(`s${i}`)}.id from (
        select q.id from ${this.queueTable()}
        where ${UNFINISHED} and q.space_id = ${head.spaceId} and q.id > ${head.id}
        order by q.id limit ${limit}) ${sql.id(`s${i}`)}`,
    );
    const result = await sql<{ id: number | string }>`${sql.join(parts, sql` union all `)}`.execute(trx);
    return result.rows.map((r) => Number(r.id));
  }

  /** The deliveries table, on SQLite read through the queue index (its planner would not pick it). */
  private queueTable(alias = 'q') {
    const table = sql`notification_deliveries ${sql.id(alias)}`;
    return this.dialect === 'sqlite' ? sql`${table} indexed by ${sql.id(QUEUE_INDEX)}` : table;
  }

  /**
   * When the next unfinished delivery falls due after now (a change waiting out its digest
   * window, a retry, a lease), so an idle worker wakes then rather than at its next poll. Rows
   * already due are left out: had they been claimable, the round would have claimed them (a
   * change queued behind a head that waits for a retry is due but not claimable). Each status
   * is one seek on the (status, next_attempt_at) index.
   */
  async nextDueAt(): Promise<number | undefined> {
    const now = isoNow(this.clock);
    // One statement (one hop to SQLite's thread, one round trip to PostgreSQL), one seek each.
    const [pending, sending] = active.map(
      (status) => sql<string | null>`(select min(next_attempt_at) from notification_deliveries where status = ${status} and next_attempt_at > ${now})`,
    );
    const { rows } = await sql<{ pending: string | null; sending: string | null }>`select ${pending} as pending, ${sending} as sending`.execute(this.db);
    const due = [rows[0]?.pending, rows[0]?.sending].flatMap((at) => (at ? [Date.parse(at)] : []));
    return due.length > 0 ? Math.min(...due) : undefined;
  }

  /**
   * Makes every lease due now. Only for a store with one worker (SQLite): at start, any row still
   * "sending" belonged to this process before it died, so waiting out its lease helps nobody.
   * The rows stay "sending", so they are still treated as in doubt.
   */
  async releaseLeases(): Promise<number> {
    const now = isoNow(this.clock);
    const result = await this.db
      .updateTable('notification_deliveries')
      .set({ next_attempt_at: now })
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Records what happened to each delivery of a round, in one transaction (one disk sync) and a
   * few statements: the delivered ones in one update (a digest's deliveries share their message
   * id), the others one update per same outcome. One statement per delivery (200 for a round of
   * 20 digests) held SQLite's one writer, which ingest shares, several times as long.
   */
  async record(outcomes: DeliveryOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    const delivered = outcomes.filter((o) => o.kind === 'delivered');
    const others = new Map<string, { outcome: Exclude<DeliveryOutcome, { kind: 'delivered' }>; ids: number[] }>();
    for (const o of outcomes) {
      if (o.kind === 'delivered') continue;
      const key = JSON.stringify(o.kind === 'retry' ? [o.kind, o.at.toISOString(), o.error, o.failed] : [o.kind, o.error, o.failed]);
      const group = others.get(key) ?? { outcome: o, ids: [] };
      group.ids.push(o.id);
      others.set(key, group);
    }
    // Known before the transaction begins, so on SQLite it runs whole in one message to the
    // store's thread (it took two: the updates, then the commit; issue 17).
    await executeInOneTransaction(this.db, () => [
      ...(delivered.length > 0 ? [this.applyDelivered(this.db, delivered).compile()] : []),
      ...[...others.values()].map(({ outcome, ids }) => this.apply(this.db, outcome, ids).compile()),
    ]);
  }

  async markDelivered(id: number, webexMessageId: string): Promise<void> {
    await this.applyDelivered(this.db, [{ id, kind: 'delivered', webexMessageId }]).execute();
  }

  async reschedule(id: number, at: Date, error: string, failed: boolean): Promise<void> {
    await this.apply(this.db, { id, kind: 'retry', at, error, failed }, [id]).execute();
  }

  async markDead(id: number, error: string, failed: boolean): Promise<void> {
    await this.apply(this.db, { id, kind: 'dead', error, failed }, [id]).execute();
  }

  /** Delivered, each with the id of the message that carries it (null: nothing was sent, skip-own). */
  private applyDelivered(db: Executor, delivered: Extract<DeliveryOutcome, { kind: 'delivered' }>[]) {
    const now = isoNow(this.clock);
    const byMessage = new Map<string, number[]>();
    for (const o of delivered) {
      if (o.webexMessageId === null) continue;
      const ids = byMessage.get(o.webexMessageId) ?? [];
      ids.push(o.id);
      byMessage.set(o.webexMessageId, ids);
    }
    // Each delivery gets the id of its own message; none (skip-own) is left null by the case.
    const messageId =
      byMessage.size === 0
        ? null
        : sql<string | null>`case ${sql.join(
            [...byMessage].map(([message, ids]) => sql`when id in (${sql.join(ids)}) then ${message}`),
            sql` `,
          )} end`;
    return db
      .updateTable('notification_deliveries')
      .set({ status: 'delivered', webex_message_id: messageId, delivered_at: now, updated_at: now, last_error: null })
      .where('id', 'in', delivered.map((o) => o.id));
  }

  /** Back to pending or dead, the same outcome for every id given. */
  private apply(db: Executor, o: Exclude<DeliveryOutcome, { kind: 'delivered' }>, ids: number[]) {
    const now = isoNow(this.clock);
    return db
      .updateTable('notification_deliveries')
      .set((eb) => ({
        status: o.kind === 'dead' ? 'dead' : 'pending',
        ...(o.kind === 'retry' ? { next_attempt_at: o.at.toISOString() } : {}),
        last_error: o.error.slice(0, 500),
        updated_at: now,
        attempts: o.failed ? eb('attempts', '+', 1) : eb.ref('attempts'),
      }))
      .where('id', 'in', ids);
  }

  async list(options: { status?: DeliveryStatus; limit?: number } = {}): Promise<DeliveryRow[]> {
    let query = this.db
      .selectFrom('notification_deliveries as d')
      .innerJoin('notification_events as ev', 'ev.id', 'd.event_id')
      .selectAll('d')
      .select(['ev.source', 'ev.kind', 'ev.payload'])
      .orderBy('d.id', 'desc')
      .limit(options.limit ?? 50);
    if (options.status) query = query.where('d.status', '=', options.status);
    const rows = await query.execute();
    return rows.map((r) => toRow(r, r));
  }

  async counts(): Promise<Record<DeliveryStatus, number>> {
    const rows = await this.db
      .selectFrom('notification_deliveries')
      .select((eb) => ['status', eb.fn.countAll<string | number>().as('n')])
      .groupBy('status')
      .execute();
    const counts: Record<DeliveryStatus, number> = { pending: 0, sending: 0, delivered: 0, dead: 0 };
    for (const r of rows) counts[r.status] = Number(r.n);
    return counts;
  }

  /** Dead letters back to pending with a fresh attempt count; all of them when `ids` is empty. */
  async retryDead(ids: number[] = []): Promise<number> {
    const now = isoNow(this.clock);
    let query = this.db
      .updateTable('notification_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now })
      .where('status', '=', 'dead');
    if (ids.length > 0) query = query.where('id', 'in', ids);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Removes dead letters. Their events stay, so a late retry of the webhook is still recognised. */
  async purgeDead(ids: number[] = []): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      let query = trx.deleteFrom('notification_deliveries').where('status', '=', 'dead');
      if (ids.length > 0) query = query.where('id', 'in', ids);
      const result = await query.executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}

/** A claimed delivery's row as claimDue reads it, with its event's payload. */
type ClaimRow = {
  id: number;
  event_id: string;
  space_id: string;
  locale: string;
  attempts: number;
  status: DeliveryStatus;
  claimed_at: string | null;
  created_at: string;
  digest_window_ms?: number;
  withheld: number;
  scheduled_digest: number;
  payload: string;
};

/** A change collected for a scheduled digest, as claimDue reads it. */
type DigestEntryRow = { delivery_id: number | string | null; withheld: number; payload: string };

/** Gives each of `digests` (claimed scheduled digests) its collected changes, oldest first, each withheld one stripped. */
function attachEntries(digests: ClaimedDelivery[], entries: readonly DigestEntryRow[]): void {
  for (const delivery of digests) {
    delivery.digest = entries
      .filter((e) => Number(e.delivery_id) === delivery.id)
      .map((e) => {
        const event = JSON.parse(e.payload) as SourceEvent;
        const withheld = Number(e.withheld) === 1;
        // Stripped here, as toClaimed does for a single change (restricted/withheld.ts).
        return { event: withheld ? redacted(event) : event, withheld };
      });
  }
}

/**
 * Folds into each foldable head the unbroken run of its space's rows right after it (`after`,
 * in id order), so the space still reads in order: pending, accepted within the head's span or
 * digest window, not a scheduled digest. A later row is not due yet only because it waits out its
 * own window (only a head is ever retried, and its digest's rows share its retry time), so that is
 * no reason to stop.
 */
function foldRuns(foldable: ClaimedDelivery[], heads: readonly ClaimRow[], after: readonly ClaimRow[], digest: DigestRule): void {
  const bySpace = new Map<string, ClaimRow[]>();
  for (const r of after) {
    const run = bySpace.get(r.space_id) ?? [];
    run.push(r);
    bySpace.set(r.space_id, run);
  }
  for (const head of foldable) {
    const headRow = heads.find((r) => Number(r.id) === head.id)!;
    const until = new Date(Date.parse(headRow.created_at) + Math.max(digest.spanMs, Number(headRow.digest_window_ms))).toISOString();
    for (const r of bySpace.get(head.spaceId) ?? []) {
      if (r.status !== 'pending' || r.created_at > until || Number(r.scheduled_digest) === 1) break;
      head.folded.push(toClaimed(r));
    }
  }
}

function toClaimed(r: Omit<ClaimRow, 'created_at' | 'digest_window_ms' | 'scheduled_digest'>): ClaimedDelivery {
  const event = JSON.parse(r.payload) as SourceEvent;
  const withheld = Number(r.withheld) === 1;
  return {
    id: Number(r.id),
    eventId: r.event_id,
    spaceId: r.space_id,
    locale: r.locale,
    attempts: r.attempts,
    inDoubt: r.status === 'sending',
    previousClaimAt: r.status === 'sending' ? r.claimed_at : null,
    // A withheld change is stripped here, before any renderer sees it (restricted/withheld.ts).
    event: withheld ? redacted(event) : event,
    withheld,
    folded: [],
  };
}

function toRow(d: Selectable<NotificationDeliveriesTable>, ev: { source: string; kind: string; payload: string }): DeliveryRow {
  const event = JSON.parse(ev.payload) as SourceEvent;
  return {
    id: Number(d.id),
    eventId: d.event_id,
    spaceId: d.space_id,
    status: d.status,
    attempts: d.attempts,
    nextAttemptAt: d.next_attempt_at,
    lastError: d.last_error,
    createdAt: d.created_at,
    deliveredAt: d.delivered_at,
    webexMessageId: d.webex_message_id,
    source: ev.source,
    kind: ev.kind,
    subjectKey: event.subject.key,
  };
}
