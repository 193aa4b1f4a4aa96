import type { WebexMessages, WebexWebhook } from './webex-messages';

/**
 * What `een-bridge webex setup` registered before the bot ran on webex-node-bot-framework.
 * The framework ignores events whose webhook has another name than its own, so these only
 * cost traffic (every message twice) and are removed.
 */
export const LEGACY_BOT_WEBHOOK_NAMES: readonly string[] = ['een-bridge messages', 'een-bridge card actions'];

/** The pair the framework registers at start: everything, and card actions (not in "all"). */
const FRAMEWORK_WEBHOOKS = [
  { resource: 'all', event: 'all', label: 'all events' },
  { resource: 'attachmentActions', event: 'created', label: 'card actions' },
] as const;

/**
 * The framework's name for its webhooks: base64 of "<host of the target URL> <bot email>"
 * (webex-node-bot-framework lib/framework.js, start()). At start it deletes the webhooks of
 * that name and makes the pair again, so registering under it can never leave a second pair.
 */
export function frameworkWebhookName(targetUrl: string, botEmail: string): string {
  return Buffer.from(`${hostOf(targetUrl)} ${botEmail}`).toString('base64');
}

export type WebhookAction =
  | 'create'
  | 'update'
  | 'keep'
  | 'remove duplicate'
  | 'remove old een-bridge webhook'
  | 'remove, other host'
  | 'leave, other host'
  | 'leave, not een-bridge';

/** One line of the plan: what is (or will be) registered, and what setup does with it. */
export interface WebhookStep {
  action: WebhookAction;
  /** The registration as Webex lists it; absent for one to create. */
  hook: WebexWebhook | undefined;
  /** For people: "bot framework: card actions (een.example.nl)", or the webhook's own name. */
  label: string;
  resource: string;
  event: string;
  targetUrl: string;
}

export interface WebhookPlanOptions {
  /** `<public URL>/webex/events`. */
  targetUrl: string;
  secret: string;
  /** The bot's own address (GET /people/me), part of the framework's webhook name. */
  botEmail: string;
  /** Also remove the framework's webhooks for other hosts (an old public URL of this bot). */
  pruneOtherHosts: boolean;
}

/**
 * Decides, from the bot's registrations, what makes them exactly the framework's pair at
 * `targetUrl`: create what is missing, update what is stale in place, remove duplicates and
 * the old een-bridge webhooks to this host. Ours for another host may be another deployment
 * of the same bot, so they go only when asked; anything else the bot's token made is left alone.
 */
export function planBotWebhooks(registered: readonly WebexWebhook[], options: WebhookPlanOptions): WebhookStep[] {
  const name = frameworkWebhookName(options.targetUrl, options.botEmail);
  const host = hostOf(options.targetUrl);
  const steps: WebhookStep[] = [];
  const claimed = new Set<string>();
  for (const wanted of FRAMEWORK_WEBHOOKS) {
    const label = `bot framework: ${wanted.label} (${host})`;
    const kind = { resource: wanted.resource, event: wanted.event };
    const ours = registered.filter((w) => w.name === name && w.resource === wanted.resource && w.event === wanted.event);
    const [keep, ...extra] = ours;
    if (!keep) steps.push({ action: 'create', hook: undefined, label, ...kind, targetUrl: options.targetUrl });
    else steps.push({ action: isCurrent(keep, options) ? 'keep' : 'update', hook: keep, label, ...kind, targetUrl: options.targetUrl });
    for (const hook of extra) steps.push(step('remove duplicate', hook, label));
    for (const hook of ours) claimed.add(hook.id);
  }
  for (const hook of registered) {
    if (claimed.has(hook.id)) continue;
    if (LEGACY_BOT_WEBHOOK_NAMES.includes(hook.name)) {
      const legacyHost = hostOf(hook.targetUrl);
      if (legacyHost === host) steps.push(step('remove old een-bridge webhook', hook, hook.name));
      else steps.push(step(options.pruneOtherHosts ? 'remove, other host' : 'leave, other host', hook, `${hook.name} (${legacyHost})`));
      continue;
    }
    const otherHost = frameworkHostOf(hook.name, options.botEmail);
    if (otherHost !== undefined) {
      // The same name with another resource (one nobody registers) is ours too: a duplicate.
      if (otherHost === host) steps.push(step('remove duplicate', hook, `bot framework (${host})`));
      else steps.push(step(options.pruneOtherHosts ? 'remove, other host' : 'leave, other host', hook, `bot framework (${otherHost})`));
      continue;
    }
    steps.push(step('leave, not een-bridge', hook, hook.name));
  }
  return steps;
}

/** Carries out a plan, in order. A webhook already gone counts as removed. */
export async function applyBotWebhookPlan(webex: WebexMessages, steps: readonly WebhookStep[], options: WebhookPlanOptions): Promise<void> {
  const name = frameworkWebhookName(options.targetUrl, options.botEmail);
  for (const s of steps) {
    if (s.action === 'create') {
      await webex.createWebhook({ name, targetUrl: options.targetUrl, resource: s.resource, event: s.event, secret: options.secret });
    } else if (s.action === 'update' && s.hook) {
      await webex.updateWebhook(s.hook.id, { name, targetUrl: options.targetUrl, secret: options.secret, status: 'active' });
    } else if (s.action.startsWith('remove') && s.hook) {
      await webex.deleteWebhook(s.hook.id);
    }
  }
}

/**
 * At start, before the framework registers its pair: removes the old een-bridge webhooks that
 * point at this service, so an upgrade needs no manual step. Answers what was removed.
 */
export async function retireLegacyBotWebhooks(webex: WebexMessages, targetUrl: string): Promise<WebexWebhook[]> {
  const { items } = await webex.listWebhooks();
  const legacy = items.filter((w) => LEGACY_BOT_WEBHOOK_NAMES.includes(w.name) && w.targetUrl === targetUrl);
  for (const hook of legacy) await webex.deleteWebhook(hook.id);
  return legacy;
}

function step(action: WebhookAction, hook: WebexWebhook, label: string): WebhookStep {
  return { action, hook, label, resource: hook.resource, event: hook.event, targetUrl: hook.targetUrl };
}

function isCurrent(hook: WebexWebhook, options: WebhookPlanOptions): boolean {
  // Webex shows the secret to the webhook's owner; when it does not, updating is the safe side.
  return hook.targetUrl === options.targetUrl && hook.secret === options.secret && (hook.status ?? 'active') === 'active';
}

function hostOf(url: string): string {
  // The framework's own split: "https://host:port/path".split('/')[2] is "host:port".
  return url.split('/')[2] ?? '';
}

/** The host a framework webhook name stands for, when it is this bot's; otherwise undefined. */
function frameworkHostOf(name: string, botEmail: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+=*$/.test(name)) return undefined;
  const decoded = Buffer.from(name, 'base64').toString('utf8');
  const suffix = ` ${botEmail}`;
  return decoded.endsWith(suffix) && decoded.length > suffix.length ? decoded.slice(0, -suffix.length) : undefined;
}
