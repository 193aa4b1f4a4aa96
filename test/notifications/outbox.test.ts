import {
  NotificationInbox,
  NotificationRouter,
  Outbox,
  OutboxWorker,
  SpaceSettingsRepository,
  SubscriptionRepository,
  UpstreamError,
  type ClaimedDelivery,
  type DeliverySender,
  type Store,
} from '../../core/internal';
import { memoryLogger } from '../helpers/service';
import { jiraEvent, routedInbox, testStore, type StoreKind } from '../helpers/notifications';

// One message per event in these tests; folding into digests has its own test.
const fast = { pollMs: 5, backoffBaseMs: 10, backoffCapMs: 40, leaseMs: 5_000, random: () => 1, digestMax: 1 };

describe.each<StoreKind>(['sqlite', 'postgres'])('the notification outbox on %s', (kind) => {
  let store: Store;
  let another: () => Promise<Store>;
  let dispose: () => Promise<void>;
  let inbox: ReturnType<typeof routedInbox>;
  let outbox: Outbox;
  let subscriptions: SubscriptionRepository;
  const { log } = memoryLogger();

  beforeEach(async () => {
    ({ store, another, dispose } = await testStore(kind));
    inbox = routedInbox(store);
    outbox = new Outbox(store.db, store.dialect);
    subscriptions = new SubscriptionRepository(store.db);
    await subscriptions.subscribe({ spaceId: 'space-a', source: 'jira', sourceKey: 'KAN', locale: 'en' });
    await subscriptions.subscribe({ spaceId: 'space-b', source: 'jira', sourceKey: 'KAN', locale: 'nl-NL' });
  });
  afterEach(() => dispose());

  /** Runs the worker until nothing is pending or sending, or the time is up. */
  async function drain(worker: OutboxWorker, ms = 5_000): Promise<void> {
    worker.start();
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const c = await outbox.counts();
      if (c.pending + c.sending === 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    await worker.stop();
  }

  it('keeps trying to record what it sent while the store is briefly down, so nothing is sent twice', async () => {
    for (let i = 1; i <= 3; i++) await inbox.accept(jiraEvent(`r-${i}`, `KAN-${i}`));
    const sent: string[] = [];
    const send: DeliverySender = async (d) => {
      sent.push(`${d.spaceId} ${d.event.subject.key}`);
      return `m-${d.id}`;
    };
    let failures = 2;
    const record = outbox.record.bind(outbox);
    outbox.record = async (outcomes) => {
      if (failures-- > 0) throw new Error('Connection terminated unexpectedly');
      return record(outcomes);
    };
    await drain(new OutboxWorker(outbox, send, log, fast));
    expect(await outbox.counts()).toEqual({ pending: 0, sending: 0, delivered: 6, dead: 0 });
    expect(sent).toHaveLength(6);
    expect(new Set(sent).size).toBe(6);
  });

  it('stores the event alone before answering, and the router makes one delivery per subscribed space', async () => {
    const result = await inbox.inbox.accept(jiraEvent('d-1'));
    expect(result).toEqual({ status: 'accepted', eventId: expect.any(String) });
    expect(await outbox.counts()).toEqual({ pending: 0, sending: 0, delivered: 0, dead: 0 });
    expect(await inbox.router.routeOnce()).toEqual({ events: 1, deliveries: 2 });
    expect(await outbox.counts()).toEqual({ pending: 2, sending: 0, delivered: 0, dead: 0 });
    expect(await inbox.router.routeOnce()).toEqual({ events: 0, deliveries: 0 });
  });

  it('stores nothing more when the source retries the same delivery', async () => {
    await inbox.accept(jiraEvent('d-1'));
    expect(await inbox.accept(jiraEvent('d-1'))).toEqual({ status: 'duplicate' });
    expect((await outbox.counts()).pending).toBe(2);
  });

  it('commits concurrent webhooks in groups: each answered once, retries within a group recognised, routes per project', async () => {
    await subscriptions.subscribe({ spaceId: 'space-ops', source: 'jira', sourceKey: 'OPS', locale: 'en' });
    const events = Array.from({ length: 120 }, (_, i) => ({ ...jiraEvent(`g-${i % 100}`, `KAN-${i}`), sourceKey: i % 2 === 0 ? 'KAN' : 'OPS' }));
    const results = await Promise.all(events.map((e) => inbox.accept(e)));
    // g-0 … g-19 come twice: the first is accepted, the repeat (same group or not) is a duplicate.
    expect(results.filter((r) => r.status === 'duplicate')).toHaveLength(20);
    expect(results.slice(0, 100).every((r) => r.status === 'accepted')).toBe(true);
    const eventIds = results.slice(0, 100).map((r) => (r.status === 'accepted' ? r.eventId : ''));
    const perEvent = new Map<string, number>();
    for (const d of await outbox.list({ limit: 1_000 })) perEvent.set(d.eventId, (perEvent.get(d.eventId) ?? 0) + 1);
    expect(eventIds.map((id) => perEvent.get(id) ?? 0)).toEqual(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? 2 : 1)));
    expect(await outbox.counts()).toEqual({ pending: 150, sending: 0, delivered: 0, dead: 0 });
  });

  it('makes one delivery per space even when two of its subscriptions match', async () => {
    await subscriptions.subscribe({ spaceId: 'space-a', source: 'jira', sourceKey: 'OPS' });
    const event = { ...jiraEvent('d-2'), sourceKey: 'KAN' };
    await inbox.accept(event);
    expect((await outbox.list()).filter((d) => d.spaceId === 'space-a')).toHaveLength(1);
  });

  it('routes only to spaces whose filter lets the event through', async () => {
    await subscriptions.subscribe({ spaceId: 'space-a', source: 'jira', sourceKey: 'KAN', filter: { kinds: ['comment.created'] } });
    await subscriptions.subscribe({ spaceId: 'space-b', source: 'jira', sourceKey: 'KAN', filter: { issueTypes: ['bug'], minPriority: 'High' } });
    await inbox.accept(jiraEvent('d-3'));
    expect((await outbox.list()).map((d) => d.spaceId)).toEqual(['space-b']);
  });

  it('delivers every event once and in order per space', async () => {
    for (let i = 1; i <= 5; i++) await inbox.accept(jiraEvent(`d-${i}`, `KAN-${i}`));
    const sent: { space: string; key: string }[] = [];
    const send: DeliverySender = async (d) => {
      sent.push({ space: d.spaceId, key: d.event.subject.key });
      return `msg-${d.id}`;
    };
    await drain(new OutboxWorker(outbox, send, log, fast));
    expect(await outbox.counts()).toEqual({ pending: 0, sending: 0, delivered: 10, dead: 0 });
    for (const space of ['space-a', 'space-b']) {
      expect(sent.filter((s) => s.space === space).map((s) => s.key)).toEqual(['KAN-1', 'KAN-2', 'KAN-3', 'KAN-4', 'KAN-5']);
    }
    expect((await outbox.list({ status: 'delivered' }))[0]?.webexMessageId).toMatch(/^msg-\d+$/);
  });

  it('folds a burst to one space into digests of at most digestMax, in order, all marked delivered', async () => {
    for (let i = 1; i <= 7; i++) await inbox.accept(jiraEvent(`d-${i}`, `KAN-${i}`));
    const messages: { space: string; keys: string[] }[] = [];
    const send: DeliverySender = async (d) => {
      messages.push({ space: d.spaceId, keys: [d, ...d.folded].map((x) => x.event.subject.key) });
      return `m-${d.id}`;
    };
    await drain(new OutboxWorker(outbox, send, log, { ...fast, digestMax: 3 }));
    for (const space of ['space-a', 'space-b']) {
      expect(messages.filter((m) => m.space === space).map((m) => m.keys)).toEqual([
        ['KAN-1', 'KAN-2', 'KAN-3'],
        ['KAN-4', 'KAN-5', 'KAN-6'],
        ['KAN-7'],
      ]);
    }
    const delivered = await outbox.list({ status: 'delivered', limit: 100 });
    expect(delivered).toHaveLength(14);
    const byKey = (space: string, key: string) => delivered.find((d) => d.spaceId === space && d.subjectKey === key)?.webexMessageId;
    expect(byKey('space-a', 'KAN-2')).toBe(byKey('space-a', 'KAN-1'));
  });

  it('does not fold changes accepted further apart than the window', async () => {
    await inbox.accept(jiraEvent('d-1', 'KAN-1'));
    await new Promise((r) => setTimeout(r, 30));
    await inbox.accept(jiraEvent('d-2', 'KAN-2'));
    const sizes: number[] = [];
    await drain(new OutboxWorker(outbox, async (d) => (sizes.push(1 + d.folded.length), 'm'), log, { ...fast, digestMax: 10, digestSpanMs: 10 }));
    expect(sizes).toEqual([1, 1, 1, 1]);
  });

  it('holds a change for its window while the worker runs, so a burst sent one by one goes out as one digest', async () => {
    // As in the service: each webhook is answered once stored, and the router, woken by it, routes it meanwhile.
    // A window long enough for six webhooks even when each statement takes 100 ms (PostgreSQL on
    // a loaded machine missed a 400 ms window), and a poll far longer than the window, so a
    // digest held a whole poll instead of its window would show.
    const windowMs = 2_000;
    const router = new NotificationRouter(store.db, store.dialect, log, () => worker.wake(), { digestWindowMs: windowMs });
    const windowed = new NotificationInbox(store.db, undefined, () => router.wake());
    const messages: { space: string; keys: string[]; at: number }[] = [];
    const worker = new OutboxWorker(outbox, async (d) => (messages.push({ space: d.spaceId, keys: [d, ...d.folded].map((x) => x.event.subject.key), at: Date.now() }), 'm'), log, {
      ...fast,
      pollMs: 30_000,
      digestMax: 10,
    });
    worker.start();
    router.start();
    try {
      const first = Date.now();
      // Each webhook answered before the next is sent, as a source sends them; the worker is awake throughout.
      for (let i = 1; i <= 6; i++) {
        await windowed.accept(jiraEvent(`d-${i}`, `KAN-${i}`));
        await new Promise((r) => setTimeout(r, 40));
      }
      const sent = Date.now() - first;
      while (messages.length < 2 && Date.now() - first < 20_000) await new Promise((r) => setTimeout(r, 20));
      expect(messages.map((m) => [m.space, m.keys])).toEqual(
        expect.arrayContaining([
          ['space-a', ['KAN-1', 'KAN-2', 'KAN-3', 'KAN-4', 'KAN-5', 'KAN-6']],
          ['space-b', ['KAN-1', 'KAN-2', 'KAN-3', 'KAN-4', 'KAN-5', 'KAN-6']],
        ]),
      );
      expect(messages).toHaveLength(2);
      // The burst fitted the window, so one digest each is the rule, not luck.
      expect(sent).toBeLessThan(windowMs);
      // Not held past its window by more than a round's work, and never a whole poll (30 s).
      for (const m of messages) expect(m.at - first).toBeLessThan(windowMs + 5_000);
    } finally {
      await router.stop();
      await worker.stop();
    }
  });

  it('uses the window a space set for itself (0: at once), the default for the others', async () => {
    await new SpaceSettingsRepository(store.db).setDigestWindow('space-b', 0, 'test');
    const windowed = routedInbox(store, { digestWindowMs: 60_000 });
    await windowed.accept(jiraEvent('d-1', 'KAN-1'));
    const messages: { space: string; keys: string[] }[] = [];
    const worker = new OutboxWorker(outbox, async (d) => (messages.push({ space: d.spaceId, keys: [d, ...d.folded].map((x) => x.event.subject.key) }), 'm'), log, { ...fast, digestMax: 10 });
    await drain(worker, 500);
    expect(messages).toEqual([{ space: 'space-b', keys: ['KAN-1'] }]);
    // space-a waits out its minute.
    expect((await outbox.list({ status: 'pending' })).map((d) => d.spaceId)).toEqual(['space-a']);
    await expect(new SpaceSettingsRepository(store.db).setDigestWindow('space-b', 301_000, 'test')).rejects.toMatchObject({ key: 'notify.digestWindowRange' });
  });

  it('retries a 503 with backoff, holding back later events of that space until it succeeds', async () => {
    await inbox.accept(jiraEvent('d-1', 'KAN-1'));
    await inbox.accept(jiraEvent('d-2', 'KAN-2'));
    let failures = 2;
    const sent: string[] = [];
    const send: DeliverySender = async (d) => {
      if (d.spaceId === 'space-a' && failures > 0) {
        failures -= 1;
        throw new UpstreamError('Webex', 503, 'upstream.unavailable');
      }
      sent.push(`${d.spaceId}:${d.event.subject.key}`);
      return 'm';
    };
    await drain(new OutboxWorker(outbox, send, log, fast));
    expect(sent.filter((s) => s.startsWith('space-a'))).toEqual(['space-a:KAN-1', 'space-a:KAN-2']);
    const first = (await outbox.list()).find((d) => d.spaceId === 'space-a' && d.subjectKey === 'KAN-1');
    expect(first).toMatchObject({ status: 'delivered', attempts: 2 });
  });

  it('turns a delivery into a dead letter after the maximum number of failed attempts, and retries it on request', async () => {
    await inbox.accept(jiraEvent('d-1'));
    let up = false;
    const send: DeliverySender = async () => {
      if (!up) throw new UpstreamError('Webex', undefined, 'upstream.unavailable', undefined, 'timed out');
      return 'm';
    };
    await drain(new OutboxWorker(outbox, send, log, { ...fast, maxAttempts: 3 }));
    const dead = await outbox.list({ status: 'dead' });
    expect(dead).toHaveLength(2);
    expect(dead[0]).toMatchObject({ attempts: 3, lastError: expect.stringContaining('timed out') });

    up = true;
    expect(await outbox.retryDead([dead[0]!.id])).toBe(1);
    await drain(new OutboxWorker(outbox, send, log, fast));
    expect(await outbox.counts()).toMatchObject({ delivered: 1, dead: 1 });
    expect(await outbox.purgeDead()).toBe(1);
    expect(await outbox.counts()).toMatchObject({ delivered: 1, dead: 0 });
  });

  it('gives up at once on a 404 (the space is gone), which no retry can fix', async () => {
    await inbox.accept(jiraEvent('d-1'));
    const send: DeliverySender = async () => {
      throw new UpstreamError('Webex', 404, 'upstream.unavailable');
    };
    await drain(new OutboxWorker(outbox, send, log, fast));
    expect((await outbox.list({ status: 'dead' })).map((d) => d.attempts)).toEqual([1, 1]);
  });

  it('waits for Retry-After on a 429 without counting it as a failure', async () => {
    await inbox.accept(jiraEvent('d-1'));
    const calls: number[] = [];
    let limited = true;
    const send: DeliverySender = async () => {
      calls.push(Date.now());
      if (limited) {
        limited = false;
        throw new UpstreamError('Webex', 429, 'upstream.rateLimited', 1);
      }
      return 'm';
    };
    await drain(new OutboxWorker(outbox, send, log, { ...fast, batchSize: 1 }));
    expect(await outbox.counts()).toMatchObject({ delivered: 2 });
    expect(calls[1]! - calls[0]!).toBeGreaterThanOrEqual(950);
    expect((await outbox.list()).every((d) => d.attempts === 0)).toBe(true);
  });

  it('paces sends to sendPerSecond across rounds, after a burst of half a second', async () => {
    for (let i = 1; i <= 12; i++) await inbox.accept(jiraEvent(`d-${i}`, `KAN-${i}`));
    const at: number[] = [];
    const send: DeliverySender = async () => (at.push(Date.now()), 'm');
    await drain(new OutboxWorker(outbox, send, log, { ...fast, sendPerSecond: 10 }), 10_000);
    expect(at).toHaveLength(24);
    // At 10/s with 5 saved up, n sends in a row take at least (n - 5) / 10 s.
    for (let i = 0; i < at.length; i++) {
      for (let j = i + 5; j < at.length; j++) expect(at[j]! - at[i]!).toBeGreaterThanOrEqual((j - i + 1 - 5) * 100 - 15);
    }
  });

  it('on a 429 does not send the rest of the round that still waits for its turn, and counts no failure', async () => {
    await inbox.accept(jiraEvent('d-1'));
    const calls: { space: string; at: number }[] = [];
    let limited = true;
    const send: DeliverySender = async (d) => {
      calls.push({ space: d.spaceId, at: Date.now() });
      if (limited) {
        limited = false;
        throw new UpstreamError('Webex', 429, 'upstream.rateLimited', 2);
      }
      return 'm';
    };
    // 1/s: the round's second send waits a second for its turn, and the 429 (2 s) comes first.
    await drain(new OutboxWorker(outbox, send, log, { ...fast, batchSize: 2, sendPerSecond: 1 }), 10_000);
    expect(await outbox.counts()).toMatchObject({ delivered: 2 });
    expect(calls).toHaveLength(3);
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(1950);
    expect((await outbox.list()).every((d) => d.attempts === 0)).toBe(true);
  });

  it('takes over a delivery whose worker died mid-send once the lease ends, marked as in doubt', async () => {
    await inbox.accept(jiraEvent('d-1'));
    const crashed = await outbox.claimDue(300, 10);
    expect(crashed).toHaveLength(2);
    expect(await outbox.claimDue(60_000, 10)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 350));
    const seen: ClaimedDelivery[] = [];
    await drain(new OutboxWorker(outbox, async (d) => (seen.push(d), 'm'), log, fast));
    expect(seen.map((d) => d.inDoubt)).toEqual([true, true]);
    expect(await outbox.counts()).toMatchObject({ delivered: 2 });
  });

  it('lets a second worker on the same store share the work without sending anything twice', async () => {
    // SQLite has one writer, so een-bridge runs one worker per SQLite store; this still must not double.
    for (let s = 0; s < 12; s++) await subscriptions.subscribe({ spaceId: `space-${s}`, source: 'jira', sourceKey: 'KAN' });
    for (let i = 1; i <= 8; i++) await inbox.accept(jiraEvent(`d-${i}`, `KAN-${i}`));
    const total = (await outbox.counts()).pending;
    expect(total).toBe(14 * 8);

    const second = await another();
    const outbox2 = new Outbox(second.db, second.dialect);
    const sent = new Map<number, number>();
    const order = new Map<string, string[]>();
    const by = { one: 0, two: 0 };
    const sender = (who: 'one' | 'two'): DeliverySender => async (d) => {
      await new Promise((r) => setTimeout(r, 2));
      sent.set(d.id, (sent.get(d.id) ?? 0) + 1);
      order.set(d.spaceId, [...(order.get(d.spaceId) ?? []), d.event.subject.key]);
      by[who] += 1;
      return `m-${d.id}`;
    };
    const w1 = new OutboxWorker(outbox, sender('one'), log, { ...fast, batchSize: 4 });
    const w2 = new OutboxWorker(outbox2, sender('two'), log, { ...fast, batchSize: 4 });
    w2.start();
    await drain(w1, 20_000);
    await w2.stop();

    expect(await outbox.counts()).toMatchObject({ pending: 0, sending: 0, delivered: total });
    expect(sent.size).toBe(total);
    expect([...sent.values()].every((n) => n === 1)).toBe(true);
    for (const keys of order.values()) expect(keys).toEqual(['KAN-1', 'KAN-2', 'KAN-3', 'KAN-4', 'KAN-5', 'KAN-6', 'KAN-7', 'KAN-8']);
    if (kind === 'postgres') {
      expect(by.one).toBeGreaterThan(0);
      expect(by.two).toBeGreaterThan(0);
    }
  });
});
