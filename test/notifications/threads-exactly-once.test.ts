import {
  Outbox,
  OutboxWorker,
  SpaceMembers,
  SpaceSettingsRepository,
  SubscriptionRepository,
  ThreadRepository,
  WebexMessages,
  webexDeliverySender,
  type NewWebexMessage,
  type Store,
  type WebexMessage,
} from '../../core/internal';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { jiraEvent, routedInbox, testStore, type StoreKind } from '../helpers/notifications';
import { notificationSpaces, startWebexOutside, type WebexOutside } from '../helpers/reliability';
import { memoryLogger } from '../helpers/service';
import { expectThreadedExactlyOnce, storedDeliveries } from '../helpers/thread-delivery';

/**
 * Issue 15: exactly-once and ordering with threads and digests, through a crash. The light
 * version of the soak tests (test/reliability, test/notifications/crash.test.ts): workers in this
 * process, the Webex emulator over loopback HTTP, seconds not minutes.
 *
 * Several changes per Jira issue, so threads start and fill while digests fold; two of the three
 * spaces hold changes for a digest window. One worker "crashes" right after Webex accepted the
 * first message of an item's thread in a 1:1 space: its round never records, so its deliveries
 * stay in doubt until the lease runs out and another worker takes them over (on SQLite: a
 * restarted one, as the service releases leases at start; on PostgreSQL: a replica beside it).
 */

/** Webex for a worker that dies at a chosen send: the message is posted, the answer never comes. */
class DyingWebex extends WebexMessages {
  dead = false;
  constructor(
    base: string,
    private readonly diesAfter: (m: NewWebexMessage) => boolean,
  ) {
    super({ baseUrl: () => `${base}/v1`, token: () => SANDBOX_WEBEX_BOT_TOKEN });
  }
  override async create(message: NewWebexMessage): Promise<WebexMessage> {
    if (this.dead) return new Promise<never>(() => undefined);
    const posted = await super.create(message);
    if (!this.diesAfter(message)) return posted;
    this.dead = true;
    return new Promise<never>(() => undefined);
  }
}

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

describe.each<StoreKind>(['sqlite', 'postgres'])('threads and digests through a crash on %s', (kind) => {
  let store: Store;
  let another: () => Promise<Store>;
  let dispose: () => Promise<void>;
  let webex: WebexOutside;

  beforeEach(async () => {
    ({ store, another, dispose } = await testStore(kind));
    webex = await startWebexOutside();
  });
  afterEach(async () => {
    await webex.close();
    await dispose();
  });

  it('delivers every change once, in order per space, each reply in its item thread', async () => {
    const spaces = await notificationSpaces(webex);
    const subscriptions = new SubscriptionRepository(store.db);
    for (const spaceId of spaces.all) await subscriptions.subscribe({ spaceId, source: 'jira', sourceKey: 'KAN', locale: 'en' });
    // Digest windows on a 1:1 space and the group space; the other sends at once.
    const settings = new SpaceSettingsRepository(store.db);
    await settings.setDigestWindow(spaces.direct[1]!, 150, 'test');
    await settings.setDigestWindow(spaces.group, 250, 'test');

    const leaseMs = 1_500;
    const options = { leaseMs, pollMs: 20, digestMax: 4, digestSpanMs: 0, sendPerSecond: 0, backoffBaseMs: 20, backoffCapMs: 100, random: () => 1 };
    const logs: ReturnType<typeof memoryLogger>[] = [];
    const workerOn = (s: Store, messages: WebexMessages, extra: Partial<typeof options & { releaseLeasesOnStart: boolean }> = {}) => {
      const log = memoryLogger();
      logs.push(log);
      const noise = {
        subscriptions: new SubscriptionRepository(s.db),
        threads: new ThreadRepository(s.db),
        members: new SpaceMembers((roomId) => messages.memberEmails(roomId)),
      };
      return new OutboxWorker(new Outbox(s.db, s.dialect), webexDeliverySender(messages, log.log, noise), log.log, { ...options, ...extra });
    };
    let threadStarts = 0;
    // The start of an item's thread: top level, a card naming its deliveries, one issue in it.
    const startsThread = (m: NewWebexMessage) => {
      const marked = (m.attachments?.[0]?.content as { body?: { id?: unknown }[] } | undefined)?.body?.[0]?.id;
      const issues = new Set([...(m.markdown ?? '').matchAll(/\[(KAN-\d+)\]/g)].map((k) => k[1]));
      return m.parentId === undefined && typeof marked === 'string' && marked.startsWith('een-delivery-') && issues.size === 1;
    };
    // Whichever worker posts the second thread start in the first 1:1 space dies right after:
    // posted, never recorded, never linked. On PostgreSQL the other is the surviving replica.
    const dies = (m: NewWebexMessage) => m.roomId === spaces.direct[0] && startsThread(m) && ++threadStarts === 2;
    const webexes = [new DyingWebex(webex.base, dies)];
    const workers = [workerOn(store, webexes[0]!)];
    if (kind === 'postgres') {
      webexes.push(new DyingWebex(webex.base, dies));
      workers.push(workerOn(await another(), webexes[1]!));
    }
    const inbox = routedInbox(store, {}, () => workers.forEach((w) => w.wake()));
    for (const w of workers) w.start();

    // 60 changes to 6 issues, in runs of one to three changes to the same issue, accepted in
    // small groups while the workers run.
    const random = lcg(15);
    let item = 1;
    let n = 0;
    while (n < 60) {
      const group = 1 + Math.floor(random() * 4);
      for (let g = 0; g < group && n < 60; g++) {
        if (random() < 0.45) item = 1 + Math.floor(random() * 6);
        n += 1;
        await inbox.accept(jiraEvent(`threads-${kind}-${n}`, `KAN-${item}`));
      }
      await new Promise((r) => setTimeout(r, 15 + Math.floor(random() * 30)));
    }

    const drained = async () => {
      const c = await new Outbox(store.db, store.dialect).counts();
      return c.pending + c.sending === 0;
    };
    // On SQLite the crashed worker's process is gone: a new one starts on the store and
    // releases the leases it left (the service does this at start, one worker per SQLite store).
    if (kind === 'sqlite') {
      for (let waited = 0; threadStarts < 2 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      webexes.push(new DyingWebex(webex.base, dies));
      const restarted = workerOn(await another(), webexes[webexes.length - 1]!, { releaseLeasesOnStart: true });
      workers.push(restarted);
      restarted.start();
    }
    for (let waited = 0; !(await drained()) && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300)); // anything sent twice would show by now
    // The dead worker's round never ends; the others stop cleanly.
    expect(webexes.filter((w) => w.dead)).toHaveLength(1);
    await Promise.all(workers.filter((_, i) => !webexes[i]!.dead).map((w) => w.stop()));

    expect(threadStarts).toBeGreaterThanOrEqual(2);
    expect(await drained()).toBe(true);
    const ambiguous = logs.flatMap((l) => l.lines()).filter((l) => String(l.msg).includes('may duplicate')).length;
    const report = expectThreadedExactlyOnce(webex.messages(), await storedDeliveries(store.db), { groupSpaces: [spaces.group], ambiguous });
    // Threads and digests both happened: replies in threads, and fewer messages than changes.
    expect(report.replies).toBeGreaterThan(10);
    expect(report.messages).toBeLessThan(60 * spaces.all.length);
  }, 60_000);
});
