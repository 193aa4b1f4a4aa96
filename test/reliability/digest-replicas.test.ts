import {
  DigestScheduler,
  DigestSchedules,
  NotificationInbox,
  NotificationRouter,
  Outbox,
  OutboxWorker,
  SubscriptionRepository,
  WebexMessages,
  openStore,
  webexDeliverySender,
  type QueuedDigest,
  type SourceEvent,
  type Store,
} from '../../core/internal';
import { createEmulators } from '../../app/emulators';
import { createHttpServer, type HttpServer } from '../../inbound';
import { mountEmulator } from '../../sandbox/emulator';
import { messagingOf } from '../../sandbox/webex-api/messaging-state';
import { SANDBOX_WEBEX_BOT_TOKEN, WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { dropSchema, freshSchemaName, postgresUrl } from '../helpers/postgres';
import { memoryLogger } from '../helpers/service';
import { createSpace } from '../helpers/webex-sandbox';

/**
 * Two replicas on one PostgreSQL schema, each with its own connection pool, scheduler and outbox
 * worker, claim the same due digests at the same moment, round after round. Every space must get
 * its digest exactly once, with every change it collected: the schedule row is claimed FOR UPDATE
 * SKIP LOCKED and moved on in the same transaction that queues the delivery.
 */
describe('scheduled digests with two replicas on PostgreSQL', () => {
  const SPACES = 40;
  const CHANGES = 3;
  const T0 = new Date('2031-01-06T12:00:00Z');
  let webexServer: HttpServer;
  let emulator: WebexEmulator;
  let webexApi: string;
  const schema = freshSchemaName('digrep');
  const stores: Store[] = [];

  beforeAll(async () => {
    emulator = createEmulators().find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    webexServer = createHttpServer({ bodyLimitBytes: 1 << 20, log: memoryLogger().log, isReady: async () => true });
    mountEmulator(webexServer.restify, emulator);
    webexApi = `http://127.0.0.1:${(await webexServer.listen(0, '127.0.0.1')).port}/sandbox/webex/v1`;
  }, 60_000);
  afterAll(async () => {
    for (const s of stores) await s.close();
    await webexServer.close(100);
    await dropSchema(schema);
  });

  it('sends each space its digest once, whichever replica claims it', async () => {
    const a = openStore({ kind: 'postgres', url: postgresUrl }, { schema });
    const b = openStore({ kind: 'postgres', url: postgresUrl }, { schema });
    stores.push(a, b);
    await a.migrate();
    await b.migrate();
    const rooms: string[] = [];
    for (let i = 0; i < SPACES; i++) rooms.push(await createSpace(webexApi.replace(/\/v1$/, ''), `Replica digest ${i}`));
    const setup = { now: () => T0 };
    const schedules = new DigestSchedules(a.db, setup);
    for (const room of rooms) {
      await new SubscriptionRepository(a.db).subscribe({ spaceId: room, source: 'jira', sourceKey: 'REP', locale: 'en-GB' });
      await schedules.set(room, { kind: 'daily', at: '09:00' }, 'test');
    }
    // Changes arrive through both replicas' inboxes; each reaches every space.
    const inboxes = [a, b].map((s) => new NotificationInbox(s.db, setup));
    await Promise.all(Array.from({ length: CHANGES }, (_, n) => inboxes[n % 2]!.accept(event(n + 1))));
    // Both replicas' routers at once: one routes under the lock, the other finds it busy.
    await Promise.all([a, b].map((s) => new NotificationRouter(s.db, 'postgres', memoryLogger().log, undefined, {}, setup).routeAll()));
    for (const room of rooms) expect((await schedules.get(room)).waiting).toBe(CHANGES);

    const due = new Date('2031-01-07T08:00:00Z');
    const clock = { now: () => due };
    const messages = new WebexMessages({ baseUrl: () => webexApi, token: () => SANDBOX_WEBEX_BOT_TOKEN });
    const replicas = [a, b].map((s) => ({
      scheduler: new DigestScheduler(s.db, 'postgres', memoryLogger().log, { batchSize: 4 }, clock),
      worker: new OutboxWorker(new Outbox(s.db, 'postgres', clock), webexDeliverySender(messages), memoryLogger().log, { sendPerSecond: 0, batchSize: 7 }, clock),
    }));
    // Both claim at once until neither finds anything due.
    const queued: QueuedDigest[][] = [[], []];
    for (let round = 0; round < 50; round++) {
      const found = await Promise.all(replicas.map((r) => r.scheduler.runOnce()));
      found.forEach((f, i) => queued[i]!.push(...f));
      if (found.every((f) => f.length === 0)) break;
    }
    for (let round = 0; round < 50; round++) {
      const sent = await Promise.all(replicas.map((r) => r.worker.runOnce()));
      if (sent.every((n) => n === 0)) break;
    }

    const all = [...queued[0]!, ...queued[1]!];
    expect(all.map((q) => q.spaceId).sort()).toEqual([...rooms].sort());
    // Both replicas did some of the work (otherwise this would not test sharing).
    expect(queued[0]!.length).toBeGreaterThan(0);
    expect(queued[1]!.length).toBeGreaterThan(0);
    for (const room of rooms) {
      const got = messagingOf(emulator.context).messages.filter((m) => m.roomId === room && m.markdown?.startsWith('**Digest:'));
      expect({ room, digests: got.length }).toEqual({ room, digests: 1 });
      for (let n = 1; n <= CHANGES; n++) expect(got[0]!.markdown).toContain(`[REP-${n}]`);
    }
    expect(await new Outbox(a.db, 'postgres', clock).counts()).toEqual({ pending: 0, sending: 0, delivered: SPACES, dead: 0 });
    console.log(`digest replicas: ${SPACES} spaces, replica A queued ${queued[0]!.length}, replica B ${queued[1]!.length}; every space one digest`);
  }, 120_000);
});

function event(n: number): SourceEvent {
  return {
    source: 'jira',
    deliveryKey: `replica-digest-${n}`,
    sourceKey: 'REP',
    kind: 'issue.updated',
    occurredAt: '2031-01-06T12:00:00Z',
    actor: 'Anouk Jansen',
    subject: { key: `REP-${n}`, title: `Change ${n}`, url: `https://example.atlassian.net/browse/REP-${n}`, type: 'Task', priority: 'Medium', status: 'Done', assignee: null },
    changes: [{ field: 'status', from: 'To Do', to: 'Done' }],
    comment: null,
  };
}
