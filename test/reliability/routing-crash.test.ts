import { sql } from 'kysely';
import { NotificationInbox, NotificationRouter, SubscriptionRepository, type Store } from '../../core/internal';
import { memoryLogger } from '../helpers/service';
import { jiraEvent, testStore, type StoreKind } from '../helpers/notifications';

/**
 * Issue 17: a webhook is answered once its event is stored; its deliveries are made afterwards
 * by the router. These tests break routing between the answer and the deliveries' commit and
 * check that nothing acknowledged is lost, nothing is routed twice, and each space keeps the
 * order its events were accepted in; on PostgreSQL also with two replicas routing at once.
 */
describe.each<StoreKind>(['sqlite', 'postgres'])('routing after the answer, on %s', (kind) => {
  let store: Store;
  let another: () => Promise<Store>;
  let dispose: () => Promise<void>;
  const spaces = ['space-a', 'space-b', 'space-c'];
  const { log } = memoryLogger();

  beforeEach(async () => {
    ({ store, another, dispose } = await testStore(kind));
    for (const spaceId of spaces) await new SubscriptionRepository(store.db).subscribe({ spaceId, source: 'jira', sourceKey: 'KAN', locale: 'en' });
  });
  afterEach(() => dispose());

  /** Every delivery as `space key`, in id order (the order the worker sends a space's deliveries in). */
  async function deliveries(): Promise<{ space: string; key: string }[]> {
    const rows = await store.db
      .selectFrom('notification_deliveries as d')
      .innerJoin('notification_events as ev', 'ev.id', 'd.event_id')
      .select(['d.space_id', 'ev.payload'])
      .orderBy('d.id')
      .execute();
    return rows.map((r) => ({ space: r.space_id, key: (JSON.parse(r.payload) as { subject: { key: string } }).subject.key }));
  }

  async function unrouted(): Promise<number> {
    const row = await store.db.selectFrom('notification_unrouted').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A commit of deliveries that fails half-way, as a crash or a lost connection would end it. */
  async function breakDeliveryInserts(): Promise<() => Promise<void>> {
    if (kind === 'sqlite') {
      await sql`create trigger routing_breaks before insert on notification_deliveries when new.space_id = 'space-c' begin select raise(abort, 'the process died here'); end`.execute(store.db);
      return async () => void (await sql`drop trigger routing_breaks`.execute(store.db));
    }
    await sql`create function routing_breaks() returns trigger language plpgsql as $$ begin if new.space_id = 'space-c' then raise exception 'the process died here'; end if; return new; end $$`.execute(store.db);
    await sql`create trigger routing_breaks before insert on notification_deliveries for each row execute function routing_breaks()`.execute(store.db);
    return async () => {
      await sql`drop trigger routing_breaks on notification_deliveries`.execute(store.db);
      await sql`drop function routing_breaks()`.execute(store.db);
    };
  }

  it('keeps acknowledged events queued when routing dies mid-commit, then routes each once, in order', async () => {
    const inbox = new NotificationInbox(store.db);
    const keys = Array.from({ length: 30 }, (_, i) => `KAN-${i + 1}`);
    const answers = await Promise.all(keys.map((key, i) => inbox.accept(jiraEvent(`d-${i}`, key))));
    expect(answers.every((a) => a.status === 'accepted')).toBe(true);
    // Acknowledged: each event is stored and queued, none is routed yet.
    expect(await unrouted()).toBe(30);
    expect(await deliveries()).toEqual([]);

    const repair = await breakDeliveryInserts();
    const router = new NotificationRouter(store.db, store.dialect, log);
    await expect(router.routeOnce()).rejects.toThrow(/the process died here/);
    // Nothing of the broken pass stayed: no delivery to any space, every event still queued.
    expect(await deliveries()).toEqual([]);
    expect(await unrouted()).toBe(30);
    await repair();
    // SQLite: the pass committed unsynced; every other commit (the webhooks') is synced again.
    if (kind === 'sqlite') expect((await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db)).rows[0]?.synchronous).toBe(2);

    // The next start routes what was left, once.
    const restarted = new NotificationRouter(store.db, store.dialect, log, undefined, { batchSize: 7 });
    expect(await restarted.routeAll()).toBe(30);
    expect(await restarted.routeAll()).toBe(0);
    const made = await deliveries();
    expect(made).toHaveLength(30 * spaces.length);
    for (const space of spaces) expect(made.filter((d) => d.space === space).map((d) => d.key)).toEqual(keys);
    // A retry of an acknowledged webhook after all that is still a duplicate.
    expect(await inbox.accept(jiraEvent('d-0', 'KAN-1'))).toEqual({ status: 'duplicate' });
    expect(await unrouted()).toBe(0);
  });

  it('routes each event once while webhooks keep coming and two routers (replicas) run at once', async () => {
    const second = await another();
    const inboxes = [new NotificationInbox(store.db), new NotificationInbox(second.db)];
    const routers = [
      new NotificationRouter(store.db, store.dialect, log, undefined, { pollMs: 5, batchSize: 16 }),
      new NotificationRouter(second.db, second.dialect, log, undefined, { pollMs: 5, batchSize: 16 }),
    ];
    routers.forEach((r) => r.start());
    try {
      // Each replica accepts its own webhooks one after another, as one source's retries are ordered.
      const accepted: string[][] = [[], []];
      await Promise.all(
        inboxes.map(async (inbox, replica) => {
          for (let i = 1; i <= 60; i++) {
            const key = `KAN-${replica * 1000 + i}`;
            const answer = await inbox.accept(jiraEvent(`r${replica}-${i}`, key));
            if (answer.status === 'accepted') accepted[replica]!.push(key);
            routers[replica]!.wake();
          }
        }),
      );
      const until = Date.now() + 10_000;
      while ((await unrouted()) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    } finally {
      await Promise.all(routers.map((r) => r.stop()));
    }
    expect(await unrouted()).toBe(0);
    const made = await deliveries();
    expect(made).toHaveLength(120 * spaces.length);
    expect(new Set(made.map((d) => `${d.space} ${d.key}`)).size).toBe(made.length);
    for (const space of spaces) {
      for (const replica of [0, 1]) {
        const own = made.filter((d) => d.space === space && Number(d.key.slice(4)) > replica * 1000 && Number(d.key.slice(4)) < replica * 1000 + 1000).map((d) => d.key);
        expect(own).toEqual(Array.from({ length: 60 }, (_, i) => `KAN-${replica * 1000 + i + 1}`));
      }
    }
  });
});
