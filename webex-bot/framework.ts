import './slim-webex';
import Framework from 'webex-node-bot-framework';
import frameworkWebhook from 'webex-node-bot-framework/webhook';
import Webex from 'webex';
import { hmacHex, type Logger } from '../core';
import { retryingSdkCall } from './sdk-retry';

/**
 * The webex SDK settings that point it at another Webex API, documented in @webex/webex-core's
 * README: `services.discovery.hydra` is the public REST API (/people, /rooms, /messages, ...)
 * and `services.discovery.u2c` the service catalogue the SDK fetches in the background. Both
 * can also come from HYDRA_SERVICE_URL / U2C_SERVICE_URL, but those are read once when the SDK
 * is first loaded, and the sandbox's port is only known after listen.
 */
export interface SdkApi {
  /** e.g. https://webexapis.com/v1 or http://127.0.0.1:PORT/sandbox/webex/v1 */
  apiBaseUrl: string;
  /** Where the SDK asks for its service catalogue; the sandbox points it at the emulator too, so nothing leaves the machine. */
  catalogUrl?: string | undefined;
  /** The sandbox emulator: the SDK's console logging is switched off. */
  sandbox?: boolean;
}

// webex-node-bot-framework builds the SDK itself in start(), with `Webex.init({ config: {} })`
// and no way to pass settings. start() calls Webex.init synchronously, before its first await,
// so settings put here just before start() and taken away right after reach exactly that call.
let pendingServices: { discovery: Record<string, string> } | undefined;
// The SDK logs to the console, at debug level whenever NODE_ENV is test; our logger has what
// matters, so errors only. In the sandbox not even those (WEBEX_LOG_LEVEL still wins): the sandbox
// token is not in Webex's token format, so the SDK's background catalogue lookup fails at every
// start and says so, which is noise there.
let pendingLogLevel = 'error';
let initWrapped = false;

function wrapWebexInit(): void {
  if (initWrapped) return;
  initWrapped = true;
  const init = Webex.init.bind(Webex);
  Webex.init = (attrs) => {
    if (!pendingServices) return init(attrs);
    const config = attrs.config ?? {};
    const services = (config.services ?? {}) as Record<string, unknown>;
    const discovery = { ...(services.discovery as Record<string, string> | undefined), ...pendingServices.discovery };
    const logger = { ...(config.logger as Record<string, unknown> | undefined), level: process.env.WEBEX_LOG_LEVEL ?? pendingLogLevel };
    const webex = init({ ...attrs, config: { ...config, logger, services: { ...services, discovery } } });
    if (pendingGiveUp) containWebhookCalls(webex as SdkWebhooks, pendingGiveUp);
    return webex;
  };
}

type WebhookCall = 'list' | 'remove' | 'create';
/** The part of the SDK instance the framework registers its webhooks with (@webex/plugin-webhooks). */
type SdkWebhooks = { webhooks: Record<WebhookCall, (...args: unknown[]) => Promise<unknown>> };
let pendingGiveUp: ((err: unknown) => void) | undefined;

/**
 * The framework registers its webhooks in start() through these three calls, and does not
 * return the promise of list() and remove() (lib/framework.js, start(): `this.webex.webhooks.list()`
 * in a `.then` without `return`): a Webex 429 or 503 there was an unhandled rejection, which ends
 * a Node process. So each is retried (429 after its Retry-After), and when list() or remove()
 * still fails, the failure is handed to `giveUp` and the framework gets a promise that never
 * settles: its start stops there instead of taking the process down.
 */
function containWebhookCalls(webex: SdkWebhooks, giveUp: (err: unknown) => void): void {
  const hooks = webex.webhooks;
  for (const name of ['list', 'remove', 'create'] as const) {
    const original = hooks[name].bind(hooks);
    hooks[name] = (...args: unknown[]) =>
      retryingSdkCall(() => original(...args), SDK_RETRY).catch((err: unknown) => {
        giveUp(err);
        // create()'s rejection is caught by the framework (it sets `webhook` to false).
        return name === 'create' ? Promise.reject(err) : new Promise<never>(() => undefined);
      });
  }
}

/** Four tries, and Webex's Retry-After obeyed up to 30 s: a restart during a short Webex hiccup still gets its bot. */
const SDK_RETRY = { attempts: 4, maxWaitMs: 30_000 };

export interface BotFrameworkOptions {
  token: string;
  /** Where Webex sends the bot's events (this service's /webex/events). */
  webhookUrl: string;
  secret: string;
  api: SdkApi;
  log: Logger;
}

/**
 * Starts webex-node-bot-framework in webhook mode (never websockets: no device registration)
 * against `api`. The framework registers its own two webhooks (all events, and card actions)
 * at `webhookUrl` with `secret`, replacing only webhooks it made before (same name), and spawns
 * a bot per space when the first event from that space arrives (maxStartupSpaces 0: no listing
 * of every space at start). Resolves when those webhooks exist.
 */
export async function startBotFramework(framework: Framework, options: Pick<BotFrameworkOptions, 'api'>, timeoutMs = 150_000): Promise<void> {
  wrapWebexInit();
  pendingServices = { discovery: { hydra: options.api.apiBaseUrl, ...(options.api.catalogUrl ? { u2c: options.api.catalogUrl } : {}) } };
  pendingLogLevel = options.api.sandbox ? 'silent' : 'error';
  let started: Promise<boolean>;
  let gaveUp: { err: unknown } | undefined;
  pendingGiveUp = (err) => (gaveUp ??= { err });
  try {
    started = framework.start();
  } finally {
    pendingServices = undefined;
    pendingGiveUp = undefined;
  }
  await started;
  const hydra = framework.getWebexSDK().config.services?.discovery?.hydra;
  if (hydra !== options.api.apiBaseUrl) {
    throw new Error(`the bot framework's webex SDK talks to ${String(hydra)}, not ${options.api.apiBaseUrl}: has webex-node-bot-framework changed how it creates the SDK?`);
  }
  // start() does not wait for its webhook registration; events before it are dropped by name.
  const until = Date.now() + timeoutMs;
  while (!(hasId(framework.webhook) && hasId(framework.cardsWebhook))) {
    if (gaveUp || framework.webhook === false || Date.now() > until) {
      throw new Error('the bot framework could not register its Webex webhooks', gaveUp ? { cause: gaveUp.err } : undefined);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

function hasId(hook: { id?: string } | false): boolean {
  return hook !== false && typeof hook.id === 'string';
}

export function newBotFramework(options: Omit<BotFrameworkOptions, 'api' | 'log'>): Framework {
  return new Framework({
    token: options.token,
    webhookUrl: options.webhookUrl,
    webhookSecret: options.secret,
    removeWebhooksOnStart: false,
    maxStartupSpaces: 0,
    messageFormat: 'markdown',
  });
}

/**
 * Gives the framework one event that /webex/events already verified on its raw bytes. The
 * framework checks X-Spark-Signature again, over JSON.stringify(body); we sign exactly that
 * string, so its check passes for what we verified and cannot pass for anything else.
 */
export function deliverToFramework(framework: Framework, secret: string, body: Record<string, unknown>): Promise<unknown> {
  const signature = hmacHex('sha1', secret, Buffer.from(JSON.stringify(body)));
  return Promise.resolve(frameworkWebhook(framework)({ body, headers: { 'x-spark-signature': signature } }));
}
