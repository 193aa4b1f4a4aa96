import { GraphApi, GraphDriveWatcher, GraphSubscriptionStore, NotificationInbox, SubscriptionRepository, graphFolderKey, type Clock, type Store } from '../../core/internal';
import { GraphEmulator, SANDBOX_GRAPH_DRIVE_ID, SANDBOX_GRAPH_TOKEN } from '../../sandbox/graph-api/graph-emulator';
import { testStore } from '../helpers/notifications';
import { memoryLogger, startTestService, type TestService } from '../helpers/service';

const DAY = 24 * 60 * 60 * 1000;

/** The watcher's renewal against the Graph emulator, with a clock the test moves. */
describe('Graph subscription renewal', () => {
  let service: TestService;
  let graph: GraphEmulator;
  let store: Store;
  let dispose: () => Promise<void>;
  let watcher: GraphDriveWatcher;
  let rows: GraphSubscriptionStore;
  let subscriptions: SubscriptionRepository;
  let now = Date.now();
  const clock: Clock = { now: () => new Date(now) };
  const patches = () => graph.log.list().filter((r) => r.method === 'PATCH').length;

  beforeAll(async () => {
    service = await startTestService();
    graph = service.emulators.find((e): e is GraphEmulator => e instanceof GraphEmulator)!;
    ({ store, dispose } = await testStore('sqlite'));
    rows = new GraphSubscriptionStore(store.db);
    subscriptions = new SubscriptionRepository(store.db);
    watcher = new GraphDriveWatcher({
      api: new GraphApi({ baseUrl: () => `${service.endpoints.sandbox('graph')}/v1.0`, token: () => Promise.resolve(SANDBOX_GRAPH_TOKEN) }),
      store: rows,
      inbox: new NotificationInbox(store.db),
      log: memoryLogger().log,
      notificationUrl: () => `${service.url}/hooks/graph`,
      defaultDriveId: SANDBOX_GRAPH_DRIVE_ID,
      clock,
      lifetimeMs: 3 * DAY,
      renewBeforeMs: DAY,
      checkEveryMs: 10,
    });
    const folder = await watcher.findFolder('Documenten');
    await subscriptions.subscribe({ spaceId: 'space-1', source: 'graph', sourceKey: graphFolderKey(folder!) });
    await watcher.watchDrive(SANDBOX_GRAPH_DRIVE_ID);
  });
  afterAll(async () => {
    await watcher.stop();
    await dispose();
    await service.dispose();
  });

  it('leaves a subscription alone while it has more than a day left', async () => {
    await watcher.renewDue();
    expect(patches()).toBe(0);
  });

  it('renews one that expires within a day, and records the new expiry', async () => {
    const before = (await rows.byDrive(SANDBOX_GRAPH_DRIVE_ID))!;
    now += 2.5 * DAY;
    await watcher.renewDue();
    expect(patches()).toBe(1);
    const after = (await rows.byDrive(SANDBOX_GRAPH_DRIVE_ID))!;
    expect(after.id).toBe(before.id);
    expect(Date.parse(after.expires_at)).toBeGreaterThan(Date.parse(before.expires_at));
    expect(graph.subscriptions.get(after.id)?.expirationDateTime).toBe(after.expires_at);
  });

  it('recreates a subscription Graph no longer knows (404 on renewal), keeping the delta link', async () => {
    const before = (await rows.byDrive(SANDBOX_GRAPH_DRIVE_ID))!;
    graph.subscriptions.clear();
    now += 2.5 * DAY;
    await watcher.renewDue();
    const after = (await rows.byDrive(SANDBOX_GRAPH_DRIVE_ID))!;
    expect(after.id).not.toBe(before.id);
    expect(after.delta_link).toBe(before.delta_link);
    expect([...graph.subscriptions.keys()]).toEqual([after.id]);
  });

  it('renews from its timer once started, and stop() waits for the run in flight', async () => {
    now += 2.5 * DAY;
    const count = patches();
    watcher.start();
    for (let i = 0; i < 100 && patches() === count; i++) await new Promise((r) => setTimeout(r, 10));
    await watcher.stop();
    expect(patches()).toBe(count + 1);
  });

  it('deletes the subscription of a drive no space follows any more', async () => {
    const [only] = await subscriptions.forSpace('space-1');
    await subscriptions.unsubscribe('space-1', only!.id);
    await watcher.renewDue();
    expect(graph.subscriptions.size).toBe(0);
    expect(await rows.all()).toEqual([]);
  });
});
