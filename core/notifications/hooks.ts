import type { MessageKey, MessageParams } from '../i18n';
import type { Logger } from '../log';
import { headerOf, readJsonBody, type RawDelivery } from '../raw-body';
import type { GraphDriveWatcher } from './graph-watcher';
import type { NotificationInbox } from './inbox';
import type { SubscriptionRepository } from './subscriptions';
import { parseGraphNotifications } from './sources/graph';
import { TRELLO_SIGNATURE_HEADER, parseTrelloWebhook, verifyTrelloSignature } from './sources/trello';
import { JIRA_DELIVERY_MAX_AGE_MS, JIRA_IDENTIFIER_HEADER, JIRA_SIGNATURE_HEADER, jiraDeliveryKey, jiraTimestampInWindow, parseJiraWebhook, verifyJiraSignature } from './sources/jira';

/**
 * What a webhook's sender is answered; the inbound HTTP edge (inbound/webhooks.ts) writes it.
 * Verify, parse and accept live here as plain functions over the raw delivery, so the rules
 * are the core's and the HTTP framework is the edge's.
 */
export interface WebhookAnswer {
  status: number;
  /** A JSON body; none for an empty answer. */
  json?: object;
  /** A text/plain body (Graph's validation echo). */
  text?: string;
  /** Refused: the error every route answers with, `{ error: { code, message } }`. */
  refused?: { key: MessageKey; params: MessageParams };
  /** Seconds, sent as Retry-After. */
  retryAfter?: number;
  /** Work that starts once the answer is on its way (Graph wants its 202 first). */
  after?: () => Promise<void>;
}

const refuse = (status: number, key: MessageKey, params: MessageParams = {}): WebhookAnswer => ({ status, refused: { key, params } });

export interface JiraHookOptions {
  /** JIRA_WEBHOOK_SECRET (or the sandbox's fixed one); asked per request. */
  secret: () => string;
  inbox: NotificationInbox;
  log: Logger;
  /** The clock the delivery window is read against (tests). */
  now?: () => number;
}

/**
 * POST /hooks/jira. Order matters: the signature is checked on the raw bytes before the body
 * is parsed or anything is stored (401), then the payload is validated (400), then the event is
 * committed, and only then is Jira answered 202, so an acknowledged event survives a crash; Jira
 * retries anything it did not see acknowledged. The spaces it goes to are the router's, after
 * the answer (router.ts), so the answer costs the same however many spaces follow the project.
 */
export async function receiveJiraWebhook(delivery: RawDelivery, options: JiraHookOptions): Promise<WebhookAnswer> {
  if (!verifyJiraSignature(delivery.body, headerOf(delivery, JIRA_SIGNATURE_HEADER), options.secret())) {
    return refuse(401, 'notify.badSignature');
  }
  const json = readJsonBody(delivery.body, headerOf(delivery, 'content-type'));
  if (json.outcome === 'refused') return refuse(json.refusal.status, json.refusal.key, json.refusal.params);
  const deliveryKey = headerOf(delivery, JIRA_IDENTIFIER_HEADER)?.trim();
  if (!deliveryKey || deliveryKey.length > 200) {
    return refuse(400, 'notify.missingHeader', { header: 'X-Atlassian-Webhook-Identifier' });
  }
  // Deduplicated on what Jira signs, not on the identifier header: the header is outside the
  // signature, so a captured delivery re-sent under a new identifier is still the same
  // delivery. Jira's retries repeat the body byte for byte (and keep the identifier), and may
  // come up to 30 minutes late ("Retry policy", https://developer.atlassian.com/cloud/jira/platform/webhooks/#retry-policy).
  // ...and only within the window around the payload's own (signed) timestamp, so a
  // captured body cannot be replayed once its digest might be forgotten.
  if (!jiraTimestampInWindow(json.value, (options.now ?? Date.now)())) {
    return refuse(400, 'notify.stale', { source: 'Jira', minutes: JIRA_DELIVERY_MAX_AGE_MS / 60_000 });
  }
  const parsed = parseJiraWebhook(json.value, jiraDeliveryKey(delivery.body));
  if (parsed.outcome === 'invalid') {
    return refuse(400, 'notify.badPayload', { source: 'Jira', problem: parsed.problem });
  }
  if (parsed.outcome === 'ignored') {
    return { status: 202, json: { status: 'ignored', reason: parsed.reason } };
  }
  try {
    const result = await options.inbox.accept(parsed.event);
    return { status: 202, json: result.status === 'accepted' ? { status: 'accepted' } : { status: 'duplicate' } };
  } catch (err) {
    return notStored(err, options.log);
  }
}

export interface TrelloHookOptions {
  /** TRELLO_API_SECRET (or the sandbox's). */
  secret: () => string;
  /** The exact callbackURL the board webhooks were registered with; part of what Trello signs. */
  callbackUrl: () => string;
  inbox: NotificationInbox;
  subscriptions: SubscriptionRepository;
  log: Logger;
}

/**
 * POST /hooks/trello (HEAD, Trello's check before it creates a webhook, is answered 200 by the
 * edge). Signature over raw body + callback URL (401), payload (400), then 410 Gone for a board
 * no space follows any more, which makes Trello delete its webhook; else commit, then 202.
 */
export async function receiveTrelloWebhook(delivery: RawDelivery, options: TrelloHookOptions): Promise<WebhookAnswer> {
  if (!verifyTrelloSignature(delivery.body, headerOf(delivery, TRELLO_SIGNATURE_HEADER), options.callbackUrl(), options.secret())) {
    return refuse(401, 'notify.badSignature');
  }
  const json = readJsonBody(delivery.body, headerOf(delivery, 'content-type'));
  if (json.outcome === 'refused') return refuse(json.refusal.status, json.refusal.key, json.refusal.params);
  const parsed = parseTrelloWebhook(json.value);
  if (parsed.outcome === 'invalid') {
    return refuse(400, 'notify.badPayload', { source: 'Trello', problem: parsed.problem });
  }
  const boardId = parsed.outcome === 'event' ? parsed.event.sourceKey : parsed.boardId;
  try {
    if (!(await options.subscriptions.anyFor('trello', boardId))) return { status: 410, json: { status: 'gone', reason: 'no space follows this board' } };
    if (parsed.outcome === 'ignored') return { status: 202, json: { status: 'ignored', reason: parsed.reason } };
    const result = await options.inbox.accept(parsed.event);
    return { status: 202, json: result.status === 'accepted' ? { status: 'accepted' } : { status: 'duplicate' } };
  } catch (err) {
    return notStored(err, options.log);
  }
}

export interface GraphHookOptions {
  watcher: GraphDriveWatcher;
  log: Logger;
}

/**
 * POST /hooks/graph, for change and lifecycle notifications alike
 * (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks):
 * - with `?validationToken=…` it is Graph checking the URL while creating a subscription: echo
 *   the token as text/plain with 200 at once (Graph gives up after 10 seconds);
 * - otherwise the body is a changeNotificationCollection. A body that is not one is 400. Graph
 *   wants 202 quickly (it retries and eventually drops slow endpoints), so we answer 202 and then
 *   act on the notifications whose clientState matches a subscription we hold; the others are
 *   dropped unread, as the docs say to, and nothing of theirs is stored.
 */
export function receiveGraphNotifications(delivery: RawDelivery, options: GraphHookOptions): WebhookAnswer {
  const validationToken = delivery.query?.get('validationToken') ?? null;
  if (validationToken !== null) return { status: 200, text: validationToken.slice(0, 1024) };
  const parsed = parseGraphNotifications(delivery.body);
  if (parsed.outcome === 'invalid') {
    return refuse(400, 'notify.badPayload', { source: 'Microsoft Graph', problem: parsed.problem });
  }
  return { status: 202, after: () => options.watcher.receive(parsed.notifications) };
}

/**
 * The event could not be committed (the store is down or restarting): not acknowledged, so the
 * source retries it. 503 with Retry-After says "come back", where a 500 would read as our bug.
 */
function notStored(err: unknown, log: Logger): WebhookAnswer {
  log.warn({ err }, 'a webhook could not be stored; the source will retry it');
  return { status: 503, refused: { key: 'store.notReady', params: {} }, retryAfter: 30 };
}
