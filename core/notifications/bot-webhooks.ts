import type { WebexMessages, WebexWebhook } from './webex-messages';

/** The webhooks the bot needs: what is said to it, and the buttons pressed on its cards. */
export const BOT_WEBHOOKS = [
  { name: 'een-bridge messages', resource: 'messages', event: 'created' },
  { name: 'een-bridge card actions', resource: 'attachmentActions', event: 'created' },
] as const;

export interface WebhookSetup {
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Extra copies of the same registration, deleted so each event arrives once. */
  removed: string[];
}

/**
 * Registers the bot's webhooks at `targetUrl` with `secret`, or brings existing ones up to
 * date; never makes a second one. Matches on resource and event, and on our name or target,
 * so a webhook someone else made for another URL is left alone.
 */
export async function ensureBotWebhooks(webex: WebexMessages, targetUrl: string, secret: string): Promise<WebhookSetup> {
  const result: WebhookSetup = { created: [], updated: [], unchanged: [], removed: [] };
  const { items } = await webex.listWebhooks();
  for (const wanted of BOT_WEBHOOKS) {
    const ours = items.filter(
      (w) => w.resource === wanted.resource && w.event === wanted.event && (w.name === wanted.name || w.targetUrl === targetUrl),
    );
    const [keep, ...extra] = ours;
    if (!keep) {
      await webex.createWebhook({ ...wanted, targetUrl, secret });
      result.created.push(wanted.name);
    } else if (isCurrent(keep, wanted.name, targetUrl, secret)) {
      result.unchanged.push(wanted.name);
    } else {
      await webex.updateWebhook(keep.id, { name: wanted.name, targetUrl, secret, status: 'active' });
      result.updated.push(wanted.name);
    }
    for (const duplicate of extra) {
      await webex.deleteWebhook(duplicate.id);
      result.removed.push(`${duplicate.name} (${duplicate.id})`);
    }
  }
  return result;
}

function isCurrent(hook: WebexWebhook, name: string, targetUrl: string, secret: string): boolean {
  // Webex returns the secret to the webhook's owner; without it we cannot know, so update.
  return hook.name === name && hook.targetUrl === targetUrl && hook.secret === secret && (hook.status ?? 'active') === 'active';
}
