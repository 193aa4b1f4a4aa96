import type { Logger } from '../log';
import type { Store } from '../store/store';
import { GraphApi, type GraphApiOptions } from './graph-client';
import { GraphSubscriptionStore } from './graph-store';
import { GraphDriveWatcher, type GraphWatcherOptions } from './graph-watcher';
import { receiveGraphNotifications, receiveJiraWebhook, receiveTrelloWebhook, type WebhookAnswer } from './hooks';
import type { RawDelivery } from '../raw-body';
import { NotificationInbox } from './inbox';
import { NotificationRouter, type RouterOptions } from './router';
import { Outbox } from './outbox';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker';
import { DigestScheduler, type DigestSchedulerOptions } from './digests/digest-scheduler';
import { DigestSchedules } from './digests/digest-schedules';
import { SpaceMembers } from './less-noise';
import { SubscriptionRepository } from './subscriptions';
import { ThreadRepository } from './threads';
import { webexDeliverySender } from './webex-delivery';
import { WebexMessages, type WebexMessagesOptions } from './webex-messages';
import type { Registry } from 'prom-client';
import { TrelloApi, type TrelloApiOptions } from './trello-client';
import { HealthMonitor } from './health/monitor';
import { UpstreamHealthRepository } from './health/upstream-health';
import { brokenSubscriptionsCounter } from './health/metrics';
import type { HealthPolicy } from './health/assess';

export interface NotificationsOptions {
  store: Store;
  log: Logger;
  /** The Jira webhook secret; no Jira hook (and no /hooks/jira) when Jira is off. */
  jiraSecret: string | undefined;
  /** Trello's application secret and the callback URL its webhooks were registered with; no route when off. */
  trello?: { secret: string; callbackUrl: () => string } | undefined;
  /** Microsoft Graph for OneDrive folders; no Graph hook (and no /hooks/graph) when Graph is off. */
  graph?: (GraphApiOptions & Pick<GraphWatcherOptions, 'notificationUrl' | 'defaultDriveId' | 'lifetimeMs' | 'renewBeforeMs' | 'checkEveryMs'>) | undefined;
  /** Where notifications go; no worker runs when Webex is off (deliveries wait in the outbox). */
  webex: Pick<WebexMessagesOptions, 'baseUrl' | 'token' | 'transport'> | undefined;
  worker?: Partial<OutboxWorkerOptions>;
  /** The router that fans accepted events out to spaces (router.ts): the default digest window. */
  router?: Partial<RouterOptions>;
  /** Scheduled digests (digests/digest-scheduler.ts). */
  digests?: Partial<DigestSchedulerOptions>;
  /** The subscription health check (health/monitor.ts). */
  health?: { everyMs: number; policy?: HealthPolicy; trello?: TrelloApiOptions | undefined; registry?: Registry | undefined } | undefined;
}

/**
 * The webhook intake of each source that is not off: verify, parse and accept over the raw
 * delivery (hooks.ts); inbound/webhooks.ts mounts them as HTTP routes.
 */
export interface NotificationHooks {
  readonly jira?: ((delivery: RawDelivery) => Promise<WebhookAnswer>) | undefined;
  readonly trello?: ((delivery: RawDelivery) => Promise<WebhookAnswer>) | undefined;
  readonly graph?: ((delivery: RawDelivery) => WebhookAnswer) | undefined;
}

export interface Notifications {
  readonly inbox: NotificationInbox;
  readonly router: NotificationRouter;
  readonly outbox: Outbox;
  readonly subscriptions: SubscriptionRepository;
  readonly worker: OutboxWorker | undefined;
  /** Queues each space's scheduled digest into the outbox when it falls due. */
  readonly digests: DigestScheduler;
  /** What each space asked for (`digest daily 09:00`, `timezone …`). */
  readonly digestSchedules: DigestSchedules;
  /** The OneDrive folder watcher, when Graph is not off. */
  readonly graph: GraphDriveWatcher | undefined;
  /** Subscription health: shown by `subscriptions`, and a broken one told to its space once. */
  readonly health: HealthMonitor;
  /** What the inbound edge mounts as /hooks/jira, /hooks/trello and /hooks/graph. */
  readonly hooks: NotificationHooks;
  /** Starts delivering; call once the service listens (the sandbox's URL is known then). */
  start(): void;
  /** Finishes the sends in flight and records them. */
  stop(): Promise<void>;
}

/** Everything notifications need, built over the service's store; the HTTP edge mounts `hooks`. */
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
  // Scheduled digests (digests/): queued into the outbox when due, so only where a worker sends them.
  const digests = new DigestScheduler(store.db, store.dialect, log.child({ component: 'digests' }), { onQueued: () => worker?.wake(), ...options.digests });
  const jiraSecret = options.jiraSecret;
  const jira = jiraSecret === undefined ? undefined : (delivery: RawDelivery) => receiveJiraWebhook(delivery, { secret: () => jiraSecret, inbox, log });
  const subscriptions = new SubscriptionRepository(store.db);
  const trello = options.trello;
  const trelloHook = trello ? (delivery: RawDelivery) => receiveTrelloWebhook(delivery, { secret: () => trello.secret, callbackUrl: trello.callbackUrl, inbox, subscriptions, log }) : undefined;
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
  let graphHook: NotificationHooks['graph'];
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
    const watcher = graph;
    graphHook = (delivery) => receiveGraphNotifications(delivery, { watcher, log });
  }
  return {
    inbox,
    router,
    outbox,
    subscriptions,
    worker,
    digests,
    digestSchedules: new DigestSchedules(store.db, undefined, () => digests.wake()),
    graph,
    health,
    hooks: { jira, trello: trelloHook, graph: graphHook },
    start: () => {
      router.start();
      worker?.start();
      // Without a worker nothing would send them: the digests stay collected until Webex is on.
      if (worker) digests.start();
      graph?.start();
      health.start();
    },
    stop: async () => {
      await health.stop();
      await graph?.stop();
      await router.stop();
      await digests.stop();
      await worker?.stop();
    },
  };
}
