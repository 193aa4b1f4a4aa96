import {
  Outbox,
  OutboxWorker,
  SpaceMembers,
  SubscriptionRepository,
  ThreadRepository,
  UpstreamError,
  webexDeliverySender,
  type NewWebexMessage,
  type Store,
  type WebexMessages,
} from '../../core/internal';
import { jiraEvent, routedInbox, testStore } from '../helpers/notifications';
import { memoryLogger } from '../helpers/service';

/**
 * A change to an item with a thread is a reply plus, when the subscription marks it important
 * (a status change is by default), a one-line summary at the top level: two Webex requests for
 * one delivery. Found by the delivery bench with threads on: the summary bypassed the pacer (429s
 * above the limit), and a refused summary failed the whole delivery after its reply was posted,
 * so the retry posted the reply again.
 */
describe('the top-level summary of a reply in a thread', () => {
  let store: Store;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    ({ store, dispose } = await testStore('sqlite'));
    await new SubscriptionRepository(store.db).subscribe({ spaceId: 'space-a', source: 'jira', sourceKey: 'KAN', locale: 'en' });
  });
  afterEach(() => dispose());

  it('takes its own pacer turn, and a refused summary neither fails the delivery nor sends the reply twice', async () => {
    const posted: NewWebexMessage[] = [];
    let refuseSummaries = true;
    const messages = {
      create: async (m: NewWebexMessage) => {
        // The summary: top level, right after its reply.
        if (refuseSummaries && m.parentId === undefined && posted.at(-1)?.parentId !== undefined) throw new UpstreamError('webex', 429, 'upstream.rateLimited', 0);
        posted.push(m);
        return { id: `m-${posted.length}`, roomId: m.roomId };
      },
      list: async () => [],
      room: async () => ({ id: 'space-a', type: 'group' }),
      memberEmails: async () => [],
    } as unknown as WebexMessages;
    const noise = { subscriptions: new SubscriptionRepository(store.db), threads: new ThreadRepository(store.db), members: new SpaceMembers(async () => []) };
    const { log } = memoryLogger();
    const outbox = new Outbox(store.db, store.dialect);
    const turns: number[] = [];
    const worker = new OutboxWorker(outbox, webexDeliverySender(messages, log, noise), log, { digestMax: 1, pollMs: 10, sendPerSecond: 1000 });
    // Every Webex request the worker makes takes a turn of its pacer.
    const pacer = (worker as unknown as { pacer: { take: () => Promise<boolean> } }).pacer;
    const take = pacer.take.bind(pacer);
    pacer.take = () => (turns.push(posted.length), take());

    const inbox = routedInbox(store);
    await inbox.accept(jiraEvent('s-1', 'KAN-7'));
    expect(await worker.runOnce()).toBe(1); // starts the thread
    await inbox.accept(jiraEvent('s-2', 'KAN-7'));
    expect(await worker.runOnce()).toBe(1); // the reply; its summary is refused with a 429
    refuseSummaries = false;
    for (let round = 0; round < 3; round++) await worker.runOnce();

    const replies = posted.filter((m) => m.parentId !== undefined);
    expect(replies).toHaveLength(1);
    expect(await outbox.counts()).toEqual({ pending: 0, sending: 0, delivered: 2, dead: 0 });
    // Thread start, reply and the summary attempt: three turns.
    expect(turns).toHaveLength(3);
  });
});
