import type { Server } from 'restify';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import { GraphApi, type GraphApiOptions } from './graph-client';
import { mountGraphHook } from './graph-hook';
import { GraphSubscriptionStore } from './graph-store';
import { GraphDriveWatcher, type GraphWatcherOptions } from './graph-watcher';
import { mountJiraHook, mountTrelloHook } from './hooks';
import { NotificationInbox } from './inbox';
import { NotificationRouter, type RouterOptions } from './router';
import { Outbox } from './outbox';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker';
import { SpaceMembers } from './less-noise';
import { SubscriptionRepository } from './subscriptions';
import { ThreadRepository } from './threads';
import { webexDeliverySender } from './webex-delivery';
import { WebexMessages } from './webex-messages';
import type { Registry } from 'prom-client';
import { TrelloApi, type TrelloApiOptions } from './trello-client';
import { HealthMonitor } from './health/monitor';
import { UpstreamHealthRepository } from './health/upstream-health';
import { brokenSubscriptionsCounter } from './health/metrics';
import type { HealthPolicy } from './health/assess';

export interface NotificationsOptions {
  server: Server;
  store: Store;
  log: Logger;
  /** The Jira webhook secret; /hooks/jira is not mounted when Jira is off. */
  jiraSecret: string | undefined;
  /** Trello's application secret and the callback URL its webhooks were registered with; no route when off. */
  trello?: { secret: string; callbackUrl: () => string } | undefined;
  /** Microsoft Graph for OneDrive folders; /hooks/graph is not mounted when Graph is off. */
  graph?: (GraphApiOptions & Pick<GraphWatcherOptions, 'notificationUrl' | 'defaultDriveId' | 'lifetimeMs' | 'renewBeforeMs' | 'checkEveryMs'>) | undefined;
  /** Where notifications go; no worker runs when Webex is off (deliveries wait in the outbox). */
  webex: { baseUrl: () => string; token: () => string } | undefined;
  worker?: Partial<OutboxWorkerOptions>;
  /** The router that fans accepted events out to spaces (router.ts): the default digest window. */
  router?: Partial<RouterOptions>;
  /** The subscription health check (health/monitor.ts). */
  health?: { everyMs: number; policy?: HealthPolicy; trello?: TrelloApiOptions | undefined; registry?: Registry | undefined } | undefined;
}

export interface Notifications {
  readonly inbox: NotificationInbox;
  readonly router: NotificationRouter;
  readonly outbox: Outbox;
  readonly subscriptions: SubscriptionRepository;
  readonly worker: OutboxWorker | undefined;
  /** The OneDrive folder watcher, when Graph is not off. */
  readonly graph: GraphDriveWatcher | undefined;
  /** Subscription health: shown by `subscriptions`, and a broken one told to its space once. */
  readonly health: HealthMonitor;
  /** Starts delivering; call once the service listens (the sandbox's URL is known then). */
  start(): void;
  /** Finishes the sends in flight and records them. */
  stop(): Promise<void>;
}

/** Everything notifications need, built over the service's store and HTTP server. */
export function createNotifications(options: NotificationsOptions): Notifications {
  const { store, log } = options;
  const outbox = new Outbox(store.db, store.dialect);
  let worker: OutboxWorker | undefined;
  const messages = options.webex ? new WebexMessages(options.webex) : undefined;
  if (options.webex && messages) {
    const workerLog = log.child({ component: 'outbox' });
    const noise = {
      subscriptions: new SubscriptionRepository(store.db),
      threads: new ThreadRepository(store.db),
      members: new SpaceMembers((roomId) => messages.memberEmails(roomId)),
    };
    worker = new OutboxWorker(outbox, webexDeliverySender(messages, workerLog, noise), workerLog, {
      releaseLeasesOnStart: store.dialect === 'sqlite',
      // Deliveries went dead: the health check tells the space within a second, not an interval later.
      onDeadLetter: () => health.wake(),
      ...options.worker,
    });
  }
  // Accepted events are routed in this process at once, and by any replica's router should this
  // one stop (the queue is in the store).
  const router = new NotificationRouter(store.db, store.dialect, log.child({ component: 'router' }), () => worker?.wake(), options.router);
  const inbox = new NotificationInbox(store.db, undefined, () => router.wake());
  const jiraSecret = options.jiraSecret;
  if (jiraSecret !== undefined) mountJiraHook(options.server, { secret: () => jiraSecret, inbox, log });
  const subscriptions = new SubscriptionRepository(store.db);
  const trello = options.trello;
  if (trello) mountTrelloHook(options.server, { secret: () => trello.secret, callbackUrl: trello.callbackUrl, inbox, subscriptions, log });
  const health = new HealthMonitor({
    db: store.db,
    subscriptions,
    log: log.child({ component: 'health' }),
    trello: options.health?.trello ? new TrelloApi(options.health.trello) : undefined,
    notify: messages ? async (spaceId, m) => void (await messages.create({ roomId: spaceId, markdown: m.markdown, text: m.text })) : undefined,
    broken: brokenSubscriptionsCounter(options.health?.registry),
    everyMs: options.health?.everyMs ?? 15 * 60_000,
    ...(options.health?.policy ? { policy: options.health.policy } : {}),
  });
  let graph: GraphDriveWatcher | undefined;
  if (options.graph) {
    const { baseUrl, token, timeoutMs, ...watch } = options.graph;
    graph = new GraphDriveWatcher({
      ...watch,
      api: new GraphApi({ baseUrl, token, ...(timeoutMs ? { timeoutMs } : {}) }),
      store: new GraphSubscriptionStore(store.db),
      upstream: new UpstreamHealthRepository(store.db),
      inbox,
      log: log.child({ component: 'graph' }),
    });
    mountGraphHook(options.server, { watcher: graph, log });
  }
  return {
    inbox,
    router,
    outbox,
    subscriptions,
    worker,
    graph,
    health,
    start: () => {
      router.start();
      worker?.start();
      graph?.start();
      health.start();
    },
    stop: async () => {
      await health.stop();
      await graph?.stop();
      await router.stop();
      await worker?.stop();
    },
  };
}
