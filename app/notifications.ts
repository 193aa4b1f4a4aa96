import type { Server } from 'restify';
import { keepAliveTransport } from './keep-alive-transport';
import {
  SANDBOX_JIRA_WEBHOOK_SECRET,
  SANDBOX_TRELLO_API_SECRET,
  WebexMessages,
  msalGraphToken,
  RetryInBackground,
  retireLegacyBotWebhooks,
  FollowRequests,
  JiraApi,
  Replies,
  ThreadItems,
  TrelloApi,
  SourceAllowList,
  SpaceAccess,
  SpaceWriters,
  WebexSeenEvents,
  type AuditLog,
  type DigestSchedules,
  type Config,
  type GraphDriveWatcher,
  type HealthMonitor,
  type Logger,
  type NotificationsOptions,
  type Store,
  type SubscriptionRepository,
  type Identity,
  webexSpaces,
} from '../core/internal';
import { SANDBOX_TRELLO_API_KEY, SANDBOX_TRELLO_TOKEN } from '../sandbox/trello-api/trello-emulator';
import { SANDBOX_JIRA_API_TOKEN, SANDBOX_JIRA_EMAIL } from '../sandbox/jira-api/jira-emulator';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../sandbox/webex-api/webex-emulator';
import { SANDBOX_GRAPH_DRIVE_ID, SANDBOX_GRAPH_TOKEN } from '../sandbox/graph-api/graph-emulator';
import { SANDBOX_WEBEX_WEBHOOK_SECRET, mountWebexBot, type WebexBotOptions } from '../webex-bot';
import type { Endpoints } from './endpoints';
import { servedOrganisations } from './organisations';
import { createSubscriptions } from './subscriptions';

/** The real APIs, unless WEBEX_API_URL / TRELLO_API_URL say otherwise. */
const WEBEX_API_URL = 'https://webexapis.com/v1';
const TRELLO_API_URL = 'https://api.trello.com/1';
const GRAPH_API_URL = 'https://graph.microsoft.com/v1.0';

/**
 * Which secret /hooks/jira checks and which Webex the outbox posts to: the configured ones in
 * real mode, the sandbox's fixed secret and the emulator on this process in sandbox mode,
 * nothing when the system is off.
 */
export function notificationSettings(config: Config, endpoints: Endpoints): Pick<NotificationsOptions, 'jiraSecret' | 'webex' | 'trello' | 'graph' | 'worker' | 'router' | 'health'> {
  const jira = config.systems.jira;
  const jiraSecret = jira.mode === 'real' ? jira.settings.JIRA_WEBHOOK_SECRET : jira.mode === 'sandbox' ? SANDBOX_JIRA_WEBHOOK_SECRET : undefined;
  const trello = config.systems.trello;
  const callbackUrl = trelloCallbackUrl(config, endpoints);
  const trelloHook =
    trello.mode === 'real'
      ? { secret: trello.settings.TRELLO_API_SECRET!, callbackUrl }
      : trello.mode === 'sandbox'
        ? { secret: SANDBOX_TRELLO_API_SECRET, callbackUrl }
        : undefined;
  return {
    jiraSecret,
    webex: webexBotApi(config, endpoints),
    trello: trelloHook,
    graph: graphSettings(config, endpoints),
    worker: { sendPerSecond: config.webexSendPerSecond },
    router: { digestWindowMs: config.digestWindowMs },
    health: { everyMs: config.healthCheckMs, trello: trelloApiSettings(config, endpoints) },
  };
}

/** Trello's REST API (the real one or TRELLO_API_URL, or the emulator), for the bot and the health check. */
function trelloApiSettings(config: Config, endpoints: Endpoints): { baseUrl: () => string; key: string; token: string } | undefined {
  const trello = config.systems.trello;
  if (trello.mode === 'real') return { baseUrl: () => trello.settings.TRELLO_API_URL ?? TRELLO_API_URL, key: trello.settings.TRELLO_API_KEY!, token: trello.settings.TRELLO_TOKEN! };
  if (trello.mode === 'sandbox') return { baseUrl: () => `${endpoints.sandbox('trello')}/1`, key: SANDBOX_TRELLO_API_KEY, token: SANDBOX_TRELLO_TOKEN };
  return undefined;
}

/**
 * Microsoft Graph for OneDrive folders: msal client credentials against GRAPH_API_URL in real mode
 * (notifications to EEN_PUBLIC_URL, which Graph requires to be HTTPS), the emulator and its fixed
 * token in sandbox mode.
 */
function graphSettings(config: Config, endpoints: Endpoints): NotificationsOptions['graph'] {
  const graph = config.systems.graph;
  if (graph.mode === 'real') {
    const s = graph.settings;
    const base = s.GRAPH_API_URL ?? GRAPH_API_URL;
    const publicUrl = config.publicUrl;
    return {
      baseUrl: () => base,
      token: msalGraphToken(s.GRAPH_TENANT_ID!, s.GRAPH_CLIENT_ID!, s.GRAPH_CLIENT_SECRET!),
      notificationUrl: () => `${publicUrl ?? endpoints.self()}/hooks/graph`,
      defaultDriveId: s.GRAPH_DRIVE_ID,
    };
  }
  if (graph.mode === 'sandbox') {
    return {
      baseUrl: () => `${endpoints.sandbox('graph')}/v1.0`,
      token: () => Promise.resolve(SANDBOX_GRAPH_TOKEN),
      notificationUrl: () => `${endpoints.self()}/hooks/graph`,
      defaultDriveId: SANDBOX_GRAPH_DRIVE_ID,
    };
  }
  return undefined;
}

/** Trello signs body + the callback URL it was given, so that URL must be the public one in real mode. */
function trelloCallbackUrl(config: Config, endpoints: Endpoints): () => string {
  const base = config.systems.trello.mode === 'real' && config.publicUrl ? config.publicUrl : undefined;
  return () => `${base ?? endpoints.self()}/hooks/trello`;
}

function webexBotApi(config: Config, endpoints: Endpoints): NotificationsOptions['webex'] {
  const bot = config.systems.webexBot;
  if (bot.mode === 'real') {
    const token = bot.settings.WEBEX_BOT_TOKEN!;
    const base = bot.settings.WEBEX_API_URL ?? WEBEX_API_URL;
    return { baseUrl: () => base, token: () => token, transport: keepAliveTransport };
  }
  if (bot.mode === 'sandbox') return { baseUrl: () => `${endpoints.sandbox('webex')}/v1`, token: () => SANDBOX_WEBEX_BOT_TOKEN, transport: keepAliveTransport };
  return undefined;
}

/**
 * Jira Cloud REST for replies and transitions: JIRA_BASE_URL with an API token in real mode, the
 * emulator and its fixed account in sandbox mode, nothing when the jiraApi group is off.
 */
export function jiraApi(config: Config, endpoints: Endpoints): JiraApi | undefined {
  const jira = config.systems.jiraApi;
  if (jira.mode === 'real') {
    const s = jira.settings;
    return new JiraApi({ baseUrl: () => s.JIRA_BASE_URL!, email: s.JIRA_EMAIL!, apiToken: s.JIRA_API_TOKEN! });
  }
  if (jira.mode === 'sandbox') return new JiraApi({ baseUrl: () => endpoints.sandbox('jira'), email: SANDBOX_JIRA_EMAIL, apiToken: SANDBOX_JIRA_API_TOKEN });
  return undefined;
}

/** How often the service looks for follow requests an administrator decided on with the CLI. */
const DECIDED_REQUESTS_EVERY_MS = 15_000;

/** The Webex bot's authorisation model over the service's store (docs/security.md). */
export function webexBotAccess(store: Store, audit: AuditLog, config: Config): { access: SpaceAccess; requests: FollowRequests; seen: WebexSeenEvents; threads: ThreadItems } {
  const requests = new FollowRequests(store.db, audit);
  const access = new SpaceAccess({
    organisations: servedOrganisations(store, audit, config),
    allowList: new SourceAllowList(store.db, audit),
    requests,
    writers: new SpaceWriters(store.db, audit),
    audit,
  });
  return { access, requests, seen: new WebexSeenEvents(store.db), threads: new ThreadItems(store.db) };
}

/**
 * The Webex bot's space commands on /webex/events, when the bot is not off. `afterListen`
 * registers the bot's webhook: at this process in sandbox mode, at EEN_PUBLIC_URL in real mode.
 */
export function startWebexBot(
  config: Config,
  endpoints: Endpoints,
  server: Server,
  subscriptions: SubscriptionRepository,
  log: Logger,
  guard: ReturnType<typeof webexBotAccess> & { digests?: DigestSchedules },
  identity: Identity,
  graph?: GraphDriveWatcher,
  health?: HealthMonitor,
  personal?: WebexBotOptions['personal'],
): { afterListen(): Promise<void>; stop(): void; applyDecidedRequests(): Promise<number> } | undefined {
  const api = webexBotApi(config, endpoints);
  const bot = config.systems.webexBot;
  if (!api) return undefined;
  const callbackUrl = trelloCallbackUrl(config, endpoints);
  const trelloSettings = trelloApiSettings(config, endpoints);
  const webex = new WebexMessages(api);
  const { threads, access, ...rest } = guard;
  const trelloClient = trelloSettings ? new TrelloApi({ baseUrl: trelloSettings.baseUrl, key: trelloSettings.key, token: trelloSettings.token }) : undefined;
  // One Trello client for following boards and writing cards, the bot's and the façade's.
  const trelloFollowing = trelloClient ? { api: trelloClient, callbackUrl } : undefined;
  const botLog = log.child({ component: 'webex-bot' });
  const facade = createSubscriptions({
    repository: subscriptions,
    access,
    spaces: webexSpaces(webex),
    following: { webex, trello: trelloFollowing, graph, log: botLog },
  });
  const replies = new Replies({
    items: threads,
    access: guard.access,
    webex,
    jira: jiraApi(config, endpoints),
    trello: trelloSettings ? new TrelloApi({ baseUrl: trelloSettings.baseUrl, key: trelloSettings.key, token: trelloSettings.token }) : undefined,
    log: log.child({ component: 'replies' }),
  });
  const webexBot = mountWebexBot({
    server,
    webex,
    // The framework's webex SDK: the same API; in sandbox mode its service catalogue too, so it never leaves the machine.
    sdk: { token: api.token(), api: () => ({ apiBaseUrl: api.baseUrl(), ...(bot.mode === 'sandbox' ? { catalogUrl: api.baseUrl(), sandbox: true } : {}) }) },
    webhookSecret: bot.mode === 'real' ? bot.settings.WEBEX_WEBHOOK_SECRET! : SANDBOX_WEBEX_WEBHOOK_SECRET,
    subscriptions: facade,
    identity,
    trello: trelloFollowing,
    graph,
    health,
    ...rest,
    replies,
    personal,
    access,
    log: botLog,
  });
  let starting: RetryInBackground | undefined;
  let sweeping: NodeJS.Timeout | undefined;
  return {
    async afterListen() {
      const base = bot.mode === 'sandbox' ? endpoints.self() : config.publicUrl;
      if (!base) return log.warn('EEN_PUBLIC_URL is not set: the Webex bot webhook is not registered, so space commands will not arrive');
      const targetUrl = `${base}/webex/events`;
      // Before the framework makes its pair: an upgrade from an older een-bridge drops the
      // webhooks its `webex setup` made, which the framework would ignore but Webex would still send.
      await retireLegacyBotWebhooks(new WebexMessages(api), targetUrl).then(
        (gone) => gone.length > 0 && log.info({ webhooks: gone.map((w) => w.name) }, 'removed the Webex webhooks an older een-bridge registered'),
        (err: unknown) => log.warn({ err }, 'could not look for old Webex webhooks to remove'),
      );
      // Webex down during a deploy: the bot comes up once it answers (1, 2, 4… up to 15 min), no restart needed.
      starting = new RetryInBackground(() => webexBot.registerWebhook(targetUrl), {
        baseMs: 60_000,
        maxMs: 15 * 60_000,
        onFailure: (err, failures, retryInMs) =>
          log.warn({ err, failures, retryInSeconds: retryInMs / 1000 }, 'could not register the Webex bot webhook'),
      });
      await starting.start();
      // Requests an administrator approved or denied with the CLI (another process) are carried out here.
      sweeping = setInterval(() => {
        webexBot.applyDecidedRequests().catch((err: unknown) => log.warn({ err }, 'could not look for decided follow requests'));
      }, DECIDED_REQUESTS_EVERY_MS);
      sweeping.unref();
    },
    stop() {
      webexBot.stop();
      starting?.stop();
      clearInterval(sweeping);
    },
    applyDecidedRequests: () => webexBot.applyDecidedRequests(),
  };
}
