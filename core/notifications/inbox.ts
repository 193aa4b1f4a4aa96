import { CompiledQuery, sql, type Kysely } from 'kysely';
import { isoNow, systemClock, type Clock } from '../clock';
import { dialectOf, executeInOneTransaction } from '../store/one-transaction';
import type { Database } from '../store/schema';
import { timeOrderedId } from '../time-ordered-id';
import type { SourceEvent } from './source-event';

export type AcceptResult =
  /** Durable, and listed for the router (core/notifications/router.ts), which fans it out to spaces. */
  | { status: 'accepted'; eventId: string }
  /** The source sent this delivery before (a retry); nothing new was stored. */
  | { status: 'duplicate' };

interface Waiting {
  event: SourceEvent;
  resolve: (result: AcceptResult) => void;
  reject: (err: unknown) => void;
}

/** Most events committed together; bounds the time one commit holds the writer. */
const MAX_GROUP = 200;

/**
 * The transactional half of the outbox: an event and its place in the router's queue
 * (notification_unrouted) are committed together, before the webhook is answered, so an
 * acknowledged event is never lost and a retried one is never stored twice (unique source ×
 * delivery key). Fanning it out to spaces is the router's, afterwards and in its own
 * transaction (issue 17): what a webhook costs does not grow with the spaces that follow it.
 *
 * Webhooks that arrive while a commit is running wait and are committed together in the next
 * one ("group commit"): each commit costs a disk sync (SQLite synchronous=FULL), and sharing it
 * is what lets ingest scale with concurrent senders. Each caller still hears back only after
 * its own event is durable. Should a group fail, its events are retried one by one, so one bad
 * event cannot fail the others.
 */
export class NotificationInbox {
  private readonly waiting: Waiting[] = [];
  private committing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
    /** Called after each commit that accepted events, so the router in this process can start at once. */
    private readonly onAccepted: () => void = () => undefined,
  ) {}

  /**
   * The newest stored event of this source and source key whose delivery key starts with
   * `prefix`: for Graph, an earlier version of the same item (keys are `<drive>/<item>/<version>`).
   * Compared with substr, not LIKE or a range: drive ids hold `_` and `!`, and PostgreSQL's
   * collation need not order a prefix range bytewise.
   */
  async latestWithKeyPrefix(source: SourceEvent['source'], sourceKey: string, prefix: string): Promise<SourceEvent | undefined> {
    const row = await this.db
      .selectFrom('notification_events')
      .select('payload')
      .where('source', '=', source)
      .where('source_key', '=', sourceKey)
      .where(sql<boolean>`substr(delivery_key, 1, ${prefix.length}) = ${prefix}`)
      .orderBy('received_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? (JSON.parse(row.payload) as SourceEvent) : undefined;
  }

  accept(event: SourceEvent): Promise<AcceptResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ event, resolve, reject });
      if (!this.committing) void this.commitWaiting();
    });
  }

  private async commitWaiting(): Promise<void> {
    this.committing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0, MAX_GROUP);
        let results: AcceptResult[] | undefined;
        try {
          results = await this.storeAll(group.map((w) => w.event));
        } catch {
          for (const w of group) {
            await this.storeAll([w.event]).then(([r]) => w.resolve(r!), w.reject);
          }
        }
        if (results) group.forEach((w, i) => w.resolve(results[i]!));
        if (group.length > 0) this.onAccepted();
      }
    } finally {
      this.committing = false;
    }
  }

  /**
   * Stores a group in one step, whatever its size: the events, then the router's queue entries
   * of those that went in, in the order the webhooks arrived (the router routes by `seq`, which
   * keeps each space's order). On PostgreSQL that is one statement (a network round trip and its
   * own transaction); on SQLite one transaction run whole in the store's thread (one message
   * there and back, executeInOneTransaction). Each statement, begin and commit used to cost a
   * round trip or a hop of its own, and the group holds the writer meanwhile (issue 17).
   */
  private async storeAll(events: SourceEvent[]): Promise<AcceptResult[]> {
    // Stamped once the store's connection is held, as when this was a statement of the transaction.
    const rowsAt = (now: string) =>
      events.map((event) => ({
        id: timeOrderedId(),
        source: event.source,
        delivery_key: event.deliveryKey,
        source_key: event.sourceKey,
        kind: event.kind,
        payload: JSON.stringify(event),
        received_at: now,
      }));
    let rows: ReturnType<typeof rowsAt> = [];
    const inserted = new Set<string>();
    if (dialectOf(this.db) === 'postgres') {
      rows = rowsAt(isoNow(this.clock));
      for (const chunk of chunks(rows, EVENT_ROWS_PER_STATEMENT)) {
        const input = JSON.stringify(chunk.map((r) => [r.id, r.source, r.delivery_key, r.source_key, r.kind, r.payload, r.received_at]));
        const { rows: queued } = await storeEventsOnPostgres(input).execute(this.db);
        for (const { id } of queued) inserted.add(id);
      }
    } else {
      // Two fixed statements an event, all in one message to the store's thread, which keeps them
      // prepared: each event's insert, then each one's place in the router's queue, in the order
      // the webhooks arrived. An event is in the table under its fresh id only if this
      // transaction inserted it (a duplicate was skipped and keeps its first id), so the queue
      // takes, and answers, exactly the ones that went in. Written here rather than built by
      // Kysely: compiling a statement for each group cost the event loop more than SQLite took
      // to run it (issue 17).
      const results = await executeInOneTransaction(this.db, () => {
        rows = rowsAt(isoNow(this.clock));
        return [
          ...rows.map((r) => CompiledQuery.raw(INSERT_EVENT, [r.id, r.source, r.delivery_key, r.source_key, r.kind, r.payload, r.received_at])),
          ...rows.map((r) => CompiledQuery.raw(QUEUE_EVENT, [r.id])),
        ];
      });
      for (const result of results.slice(rows.length)) for (const row of result.rows as { event_id: string }[]) inserted.add(row.event_id);
    }
    return rows.map((r) => (inserted.has(r.id) ? { status: 'accepted', eventId: r.id } : { status: 'duplicate' }));
  }
}

// Bounds one statement's JSON text (a group holds at most MAX_GROUP webhooks).
const EVENT_ROWS_PER_STATEMENT = 500;

/**
 * PostgreSQL: a group's events and their places in the router's queue in one statement, from one
 * JSON text (an array of rows), whatever the group's size. A key seen before (or twice in this
 * group: a source retrying fast) is skipped by the unique constraint; only the rows that went in
 * come back from `stored`, and only they are queued, in the order given (`seq` is drawn as the
 * sorted rows are inserted). One fixed text with one parameter, not a statement Kysely builds
 * for each group with seven bound values a row: compiling it and binding each value cost the
 * event loop more per webhook than the insert (issue 17; as the router's deliveries).
 * https://www.postgresql.org/docs/current/functions-json.html (jsonb_array_elements),
 * https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-MODIFYING
 */
function storeEventsOnPostgres(input: string) {
  return sql<{ id: string }>`
    with input as (
      select j.value ->> 0 as id, j.value ->> 1 as source, j.value ->> 2 as delivery_key, j.value ->> 3 as source_key,
        j.value ->> 4 as kind, j.value ->> 5 as payload, j.value ->> 6 as received_at, j.n
      from jsonb_array_elements(${input}::jsonb) with ordinality as j(value, n)
    ),
    stored as (
      insert into notification_events (id, source, delivery_key, source_key, kind, payload, received_at)
      select id, source, delivery_key, source_key, kind, payload, received_at from input order by n
      on conflict (source, delivery_key) do nothing
      returning id
    ),
    queued as (
      insert into notification_unrouted (event_id)
      select stored.id from stored join input on input.id = stored.id order by input.n
      returning event_id
    )
    select event_id as id from queued`;
}

const INSERT_EVENT = `insert into notification_events (id, source, delivery_key, source_key, kind, payload, received_at)
  values (?, ?, ?, ?, ?, ?, ?) on conflict (source, delivery_key) do nothing`;
const QUEUE_EVENT = 'insert into notification_unrouted (event_id) select id from notification_events where id = ? returning event_id';

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
