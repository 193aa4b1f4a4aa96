import { sql, type CompiledQuery, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Logger } from '../log';
import type { Database } from '../store/schema';
import type { Dialect } from '../store/dialect';
import { commitUnsynced, executeAll, executeAllAndCommit } from '../store/one-transaction';
import { BackgroundLoop } from './background-loop';
import { chunks } from './inbox';
import { withheldFrom } from './restricted/withheld';
import type { SourceEvent } from './source-event';
import { SubscriptionRepository, subscriptionsForAll, subscriptionsForQueuedQuery, subscriptionsFromRows, type Subscription } from './subscriptions';

export interface RouterOptions {
  /**
   * How long a change to a space waits for more, so that a burst goes out as one digest, for
   * spaces that did not set their own (SpaceSettingsRepository). 0: sent at once, alone.
   */
  digestWindowMs: number;
  /** Events routed in one transaction at most; bounds how long one pass holds the writer. */
  batchSize: number;
  /** Sleep between passes that found nothing (events another replica accepted); `wake()` cuts it short. */
  pollMs: number;
  /**
   * After a pass that did not fill its batch, wait this long before the next, so that under a
   * stream of webhooks one pass routes many of them (each pass has a fixed cost in statements
   * and, on SQLite, holds the one connection the webhooks' commits need). Well within a space's
   * digest window (3 s by default).
   */
  gatherMs: number;
}

export const defaultRouterOptions: RouterOptions = { digestWindowMs: 0, batchSize: 500, pollMs: 500, gatherMs: 50 };

/** An accepted event waiting in notification_unrouted, as the router reads it. */
export interface UnroutedEvent {
  eventId: string;
  event: SourceEvent;
  /** When it was accepted (ISO-8601 UTC): its digest window runs from then, not from routing. */
  receivedAt: string;
}

/** A row of notification_deliveries as the router makes it. */
export interface NewDelivery {
  event_id: string;
  space_id: string;
  locale: string;
  status: 'pending';
  attempts: number;
  next_attempt_at: string;
  created_at: string;
  updated_at: string;
  digest_window_ms: number;
  withheld: number;
}

/** A change collected for a space's scheduled digest (digests/), instead of a delivery. */
export interface CollectedChange {
  event_id: string;
  space_id: string;
  locale: string;
  withheld: number;
  created_at: string;
}

/**
 * The routing rules, in one place: which spaces an event goes to (the subscriptions to its
 * source key whose filter lets it through, at most one per space), each delivery due when the
 * space's digest window closes, and whether the change is withheld there (restricted items).
 * A space with a scheduled digest collects the change instead (the digest scheduler queues the
 * collected changes as one delivery when due); on PostgreSQL its schedule row is share-locked
 * meanwhile, so `digest off` waits for what is being collected.
 * Reads in the router's transaction, so it sees subscriptions as they are when the event is
 * routed; in order of `events`, which is the order deliveries get their ids (and go out per space).
 */
export async function deliveriesFor(
  trx: Transaction<Database>,
  events: UnroutedEvent[],
  defaultWindowMs: number,
  now: string,
  dialect: Dialect,
): Promise<{ deliveries: NewDelivery[]; collected: CollectedChange[] }> {
  const subscriptions = await subscriptionsForAll(trx, events.map((e) => e.event));
  const routes = events.map((e) => ({ ...e, to: SubscriptionRepository.route(subscriptions, e.event) }));
  const spaceIds = routes.flatMap((r) => r.to.map((s) => s.spaceId));
  return routed(routes, await spaceRoutingSettings(trx, dialect, spaceIds), defaultWindowMs, now);
}

/** The deliveries and collected changes of events whose spaces are known, by the spaces' settings (see deliveriesFor). */
function routed(
  routes: (UnroutedEvent & { to: Subscription[] })[],
  { windows, collecting }: RoutingSettings,
  defaultWindowMs: number,
  now: string,
): { deliveries: NewDelivery[]; collected: CollectedChange[] } {
  const collected = routes.flatMap(({ eventId, event, receivedAt, to }) =>
    to.filter((s) => collecting.has(s.spaceId)).map((s) => ({ event_id: eventId, space_id: s.spaceId, locale: s.locale, withheld: withheldFrom(s, event) ? 1 : 0, created_at: receivedAt })),
  );
  const deliveries = routes.flatMap(({ eventId, event, receivedAt, to }) =>
    to.filter((s) => !collecting.has(s.spaceId)).map((s) => {
      const window = windows.get(s.spaceId) ?? defaultWindowMs;
      // Due when the window closes: what else reaches the space by then goes out with it.
      return {
        event_id: eventId,
        space_id: s.spaceId,
        locale: s.locale,
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: new Date(Date.parse(receivedAt) + window).toISOString(),
        // Accepted then, as far as digest folding is concerned (Outbox.claimDue); routed `now`.
        created_at: receivedAt,
        updated_at: now,
        digest_window_ms: window,
        withheld: withheldFrom(s, event) ? 1 : 0,
      };
    }),
  );
  return { deliveries, collected };
}

/**
 * For the spaces an event goes to, in one statement (a round trip each cost the pass on
 * PostgreSQL, a hop on SQLite; issue 17): the digest windows the spaces set for themselves
 * (SpaceSettingsRepository; spaces without one are absent), and which of them collect their
 * changes for a scheduled digest (digests/digest-schedules.ts). On PostgreSQL those schedule rows
 * are share-locked until the pass commits, so `digest off` (which updates the row) waits for the
 * changes this transaction collects, and then makes them due: no change is collected for a
 * schedule that is already gone.
 */
export async function spaceRoutingSettings(trx: Transaction<Database>, dialect: Dialect, spaceIds: string[]): Promise<RoutingSettings> {
  const unique = [...new Set(spaceIds)];
  if (unique.length === 0) return { windows: new Map(), collecting: new Set() };
  const { rows } = await routingSettingsQuery(dialect, sql.join(unique)).execute(trx);
  return routingSettingsFrom(rows);
}

interface RoutingSettings {
  /** Digest windows the spaces set for themselves; spaces without one are absent. */
  windows: Map<string, number>;
  /** Spaces that collect their changes for a scheduled digest. */
  collecting: Set<string>;
}

type RoutingSettingsRow = { what: 'window' | 'collecting'; space_id: string; digest_window_ms: number | null };

/** spaceRoutingSettings' statement, for the spaces `spaces` (a list of ids, or a subquery answering them). */
function routingSettingsQuery(dialect: Dialect, spaces: RawBuilder<unknown>) {
  return sql<RoutingSettingsRow>`
    with collecting as (
      select space_id from notification_digest_schedules
      where space_id in (${spaces}) and cadence is not null${dialect === 'postgres' ? sql` for share` : sql``}
    )
    select 'window' as what, space_id, digest_window_ms from notification_space_settings where space_id in (${spaces})
    union all
    select 'collecting' as what, space_id, null as digest_window_ms from collecting`;
}

function routingSettingsFrom(rows: readonly RoutingSettingsRow[]): RoutingSettings {
  const windows = new Map<string, number>();
  const collecting = new Set<string>();
  for (const r of rows) {
    if (r.what === 'window') windows.set(r.space_id, Number(r.digest_window_ms));
    else collecting.add(r.space_id);
  }
  return { windows, collecting };
}

/** Rows of collected changes a statement inserts at most (bound values: PostgreSQL takes 65,535 a statement). */
const COLLECTED_ROWS_PER_STATEMENT = 1000;

/** The changes collected for scheduled digests, stored (once per event and space) in statements of at most COLLECTED_ROWS_PER_STATEMENT rows. */
function collectedWrites(trx: Transaction<Database>, collected: CollectedChange[]): CompiledQuery[] {
  return chunks(collected, COLLECTED_ROWS_PER_STATEMENT).map((chunk) =>
    trx
      .insertInto('notification_digest_entries')
      .values(chunk)
      .onConflict((oc) => oc.columns(['event_id', 'space_id']).doNothing())
      .compile(),
  );
}

/**
 * One statement inserting a pass's deliveries, from one JSON text (an array of rows) rather than
 * as bound values of a statement built for them: Kysely took 1.6 ms to compile a 1,000-row insert
 * (ten values a row, and on PostgreSQL the driver serialises each of the 10,000 parameters),
 * JSON.stringify 0.25 ms (measured for issue 17; at 20 spaces a pass of 500 events is 10,000 rows,
 * all on the event loop the webhooks are answered on). Inserted in the order given (json_each's
 * key, jsonb_array_elements' ordinality), which is the order the deliveries get their ids and
 * so the order they go out per space. A delivery made already (the event routed twice) is kept.
 * https://www.sqlite.org/json1.html#jeach, https://www.postgresql.org/docs/current/functions-json.html
 */
function deliveriesInsert(dialect: Dialect, deliveries: readonly NewDelivery[]): RawBuilder<unknown> {
  const rows = JSON.stringify(deliveries.map((d) => [d.event_id, d.space_id, d.locale, d.next_attempt_at, d.created_at, d.updated_at, d.digest_window_ms, d.withheld]));
  const columns = sql`(event_id, space_id, locale, status, attempts, next_attempt_at, created_at, updated_at, digest_window_ms, withheld)`;
  if (dialect === 'postgres') {
    return sql`insert into notification_deliveries ${columns}
      select j.value ->> 0, j.value ->> 1, j.value ->> 2, 'pending', 0, j.value ->> 3, j.value ->> 4, j.value ->> 5, (j.value ->> 6)::integer, (j.value ->> 7)::integer
      from jsonb_array_elements(${rows}::jsonb) with ordinality as j(value, n) order by j.n
      on conflict (event_id, space_id) do nothing`;
  }
  // "where true": SQLite's parser needs it between a select's from and an upsert's "on conflict"
  // (https://www.sqlite.org/lang_upsert.html, "Parsing Ambiguity").
  return sql`insert into notification_deliveries ${columns}
    select j.value ->> 0, j.value ->> 1, j.value ->> 2, 'pending', 0, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7
    from json_each(${rows}) j where true order by j.key
    on conflict (event_id, space_id) do nothing`;
}

/** An event the pass routes, as read from the queue. */
interface Queued {
  seq: number | string;
  event_id: string;
  payload: string;
  received_at: string;
}

/** The PostgreSQL advisory lock that lets one router at a time route, across replicas. */
const ROUTER_LOCK = 'een-bridge notification router';

/**
 * Takes the router lock for the rest of the transaction, or answers false when another replica's
 * router holds it. Advisory locks are the database's, not a schema's
 * (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS), so the key
 * names the schema the store works in: deployments sharing a database in schemas of their own
 * each have their own lock (it was one for all, and all but one router stood idle).
 */
export const takeRouterLock = sql<boolean>`pg_try_advisory_xact_lock(hashtextextended(${ROUTER_LOCK} || ' in ' || current_schema(), 0))`;

/**
 * Fans accepted events out to spaces, after their webhooks were answered (issue 17). Each pass
 * takes the oldest unrouted events in the order they were accepted, makes their deliveries and
 * deletes their queue rows in one transaction: a crash before the commit leaves them queued (the
 * next pass or the next start routes them), a crash after leaves them routed, and the unique
 * (event, space) of deliveries keeps a second routing of the same event from sending twice.
 *
 * One pass at a time, so each space's deliveries get ids in the order their events were accepted
 * (the worker sends per space in id order): in this process by running passes one after another;
 * across PostgreSQL replicas by a transaction-scoped advisory lock that a pass tries to take
 * (a replica that does not get it leaves the work to the one that has it, and looks again next poll).
 */
export class NotificationRouter extends BackgroundLoop {
  private readonly options: RouterOptions;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly log: Logger,
    /** Called after a pass that made deliveries, so the outbox worker in this process starts at once. */
    private readonly onRouted: () => void = () => undefined,
    options: Partial<RouterOptions> = {},
    private readonly clock: Clock = systemClock,
  ) {
    super();
    this.options = { ...defaultRouterOptions, ...options };
  }

  /**
   * One pass: routes up to `batchSize` of the oldest unrouted events in one transaction.
   * Answers how many events it routed, or 'busy' when another replica's router holds the lock.
   */
  async routeOnce(): Promise<{ events: number; deliveries: number } | 'busy'> {
    const result = await this.pass();
    if (result !== 'busy' && result.deliveries > 0) this.onRouted();
    return result;
  }

  /**
   * A pass costs a fixed number of statements whatever its size (issue 17: each is a network
   * round trip on PostgreSQL, a hop to the store's thread on SQLite, and on SQLite the pass holds
   * the one connection the webhooks' commits wait for): the claim, the three reads the routing
   * rules need, and the writes, sent together.
   */
  private async pass(): Promise<{ events: number; deliveries: number } | 'busy'> {
    if (this.dialect === 'sqlite') return this.passOnSqlite();
    return this.db.transaction().execute(async (trx) => {
      // SQLite: the pass commits without a disk sync of its own (synchronous=NORMAL for that one
      // commit; the store keeps FULL for every other). What it writes is derived from events
      // already synced, and the write-ahead log is sequential: the next FULL commit (the next
      // webhook's, or the outbox worker's claim before anything is sent) syncs it too; should the
      // machine lose power first, the pass is lost whole, its events are still queued and are
      // routed again. So a webhook's commit does not wait behind a second sync each round.
      // ("synchronous", WAL mode: https://www.sqlite.org/pragma.html#pragma_synchronous.)
      await commitUnsynced(trx);
      const queued = await this.claimOnPostgres(trx);
      if (queued === 'busy') return 'busy' as const;
      if (queued.length === 0) return { events: 0, deliveries: 0 };
      const events = queued.map((q) => ({ eventId: q.event_id, event: JSON.parse(q.payload) as SourceEvent, receivedAt: q.received_at }));
      const { deliveries, collected } = await deliveriesFor(trx, events, this.options.digestWindowMs, isoNow(this.clock), this.dialect);
      const writes = collectedWrites(trx, collected);
      if (deliveries.length > 0) writes.push(deliveriesInsert('postgres', deliveries).compile(trx));
      await executeAll(trx, writes);
      return { events: queued.length, deliveries: deliveries.length };
    });
  }

  /**
   * SQLite: a pass in two messages to the store's thread, holding its one connection (which the
   * webhooks' commits wait for) from the first to the second only (issue 17; it took five): the
   * oldest queued events, the subscriptions to their sources and those spaces' routing settings,
   * read together in one snapshot; then the deliveries, the queue rows' delete and the commit.
   * One writer, so nobody else routes these events meanwhile. The rows go to SQLite as one JSON
   * text each statement (json_each), not as bound values of a statement built for them: building
   * and binding twelve values a delivery cost the event loop more than SQLite took to insert it.
   */
  private async passOnSqlite(): Promise<{ events: number; deliveries: number }> {
    return this.db.transaction().execute(async (trx) => {
      // The pass commits without a disk sync of its own: see the transaction in pass().
      await commitUnsynced(trx);
      const limit = this.options.batchSize;
      const queuedSpaces = sql`select space_id from notification_subscriptions where (source, source_key) in (select ev.source, ev.source_key from (select event_id from notification_unrouted order by seq limit ${limit}) q join notification_events ev on ev.id = q.event_id)`;
      const [queuedResult, subscriptionsResult, settingsResult] = await executeAll(trx, [
        trx
          .selectFrom('notification_unrouted as u')
          .innerJoin('notification_events as ev', 'ev.id', 'u.event_id')
          .select(['u.seq', 'u.event_id', 'ev.payload', 'ev.received_at'])
          .orderBy('u.seq')
          .limit(limit)
          .compile(),
        subscriptionsForQueuedQuery(trx, limit),
        routingSettingsQuery('sqlite', queuedSpaces).compile(trx),
      ]);
      const queued = queuedResult!.rows as Queued[];
      if (queued.length === 0) return { events: 0, deliveries: 0 };
      const subscriptions = subscriptionsFromRows(subscriptionsResult!.rows);
      const routes = queued.map((q) => {
        const event = JSON.parse(q.payload) as SourceEvent;
        return { eventId: q.event_id, event, receivedAt: q.received_at, to: SubscriptionRepository.route(subscriptions, event) };
      });
      const { deliveries, collected } = routed(routes, routingSettingsFrom(settingsResult!.rows as RoutingSettingsRow[]), this.options.digestWindowMs, isoNow(this.clock));
      const writes = collectedWrites(trx, collected);
      if (deliveries.length > 0) writes.push(deliveriesInsert('sqlite', deliveries).compile(trx));
      writes.push(sql`delete from notification_unrouted where seq in (select value from json_each(${JSON.stringify(queued.map((q) => Number(q.seq)))}))`.compile(trx));
      await executeAllAndCommit(trx, writes);
      return { events: queued.length, deliveries: deliveries.length };
    });
  }

  /**
   * PostgreSQL: in one statement, the router lock (transaction-scoped; 'busy' when another
   * replica's router holds it) and the claim of the oldest queued events, deleted from the queue
   * as they are read: a rollback puts them back, and the delete takes only rows still there, so
   * a row another pass routed and committed since this statement's snapshot is passed over
   * (READ COMMITTED re-checks a row deleted concurrently: https://www.postgresql.org/docs/current/transaction-iso.html#XACT-READ-COMMITTED).
   * The lock is taken before any row is deleted: the rows to delete are chosen only where it was.
   * Read by the rows deleted, never by a range of `seq`: a lower seq can still be committing
   * (another replica's webhook), and it stays queued for the next pass.
   */
  private async claimOnPostgres(trx: Transaction<Database>): Promise<Queued[] | 'busy'> {
    const { rows } = await sql<{ locked: boolean; seq: number | string | null; event_id: string | null; payload: string | null; received_at: string | null }>`
      with router_lock as (select ${takeRouterLock} as locked),
      claimed as (
        delete from notification_unrouted u
        where u.seq in (select q.seq from notification_unrouted q, router_lock where router_lock.locked order by q.seq limit ${this.options.batchSize})
        returning u.seq, u.event_id
      )
      select router_lock.locked, c.seq, c.event_id, ev.payload, ev.received_at
      from router_lock
      left join (claimed c join notification_events ev on ev.id = c.event_id) on true
      order by c.seq`.execute(trx);
    if (!rows[0]?.locked) return 'busy';
    return rows.flatMap((r) => (r.seq === null ? [] : [{ seq: r.seq, event_id: r.event_id!, payload: r.payload!, received_at: r.received_at! }]));
  }

  /** Routes until nothing is queued (tests, the CLI); answers how many events it routed. */
  async routeAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const pass = await this.routeOnce();
      if (pass === 'busy') {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      if (pass.events === 0) return total;
      total += pass.events;
    }
  }

  protected async run(): Promise<void> {
    while (this.running) {
      this.alarm.beginRound();
      let routed = 0;
      try {
        const pass = await this.routeOnce();
        routed = pass === 'busy' ? 0 : pass.events;
      } catch (err) {
        // The store is down or restarting: the events stay queued and the next pass tries again.
        this.log.error({ err }, 'routing accepted notifications failed; trying again');
        if (this.running) await this.alarm.sleep(this.options.pollMs);
        continue;
      }
      if (!this.running) break;
      if (routed === 0 && !this.alarm.wasWoken) await this.alarm.sleep(this.options.pollMs);
      else if (routed > 0 && routed < this.options.batchSize && this.options.gatherMs > 0) await this.pause(this.options.gatherMs);
    }
  }

  /** Waits `ms` whatever wakes it (but not past a stop). */
  private async pause(ms: number): Promise<void> {
    const until = Date.now() + ms;
    while (this.running && Date.now() < until) await this.alarm.sleep(until - Date.now());
  }

}
