import type { Next, Request, Response, Server } from 'restify';
import type { Logger } from '../log';
import { jsonBody, rawBodyOf } from '../http/body';
import { sendError } from '../http/respond';
import type { NotificationInbox } from './inbox';
import type { SubscriptionRepository } from './subscriptions';
import { TRELLO_SIGNATURE_HEADER, parseTrelloWebhook, verifyTrelloSignature } from './sources/trello';
import { JIRA_DELIVERY_MAX_AGE_MS, JIRA_IDENTIFIER_HEADER, JIRA_SIGNATURE_HEADER, jiraDeliveryKey, jiraTimestampInWindow, parseJiraWebhook, verifyJiraSignature } from './sources/jira';

export interface JiraHookOptions {
  /** JIRA_WEBHOOK_SECRET (or the sandbox's fixed one); asked per request. */
  secret: () => string;
  inbox: NotificationInbox;
  log: Logger;
  /** The clock the delivery window is read against (tests). */
  now?: () => number;
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * POST /hooks/jira. Order matters: the signature is checked on the raw bytes before the body
 * is parsed or anything is stored (401), then the payload is validated (400), then the event is
 * committed, and only then is Jira answered 202, so an acknowledged event survives a crash; Jira
 * retries anything it did not see acknowledged. The spaces it goes to are the router's, after
 * the answer (router.ts), so the answer costs the same however many spaces follow the project.
 */
export function mountJiraHook(server: Server, options: JiraHookOptions): void {
  const verify = (req: Request, res: Response, next: Next): void => {
    if (!verifyJiraSignature(rawBodyOf(req), header(req, JIRA_SIGNATURE_HEADER), options.secret())) {
      sendError(res, 401, 'notify.badSignature');
      return next(false);
    }
    next();
  };
  server.post('/hooks/jira', verify, jsonBody(), (req: Request, res: Response, next: Next) => {
    const deliveryKey = header(req, JIRA_IDENTIFIER_HEADER)?.trim();
    if (!deliveryKey || deliveryKey.length > 200) {
      sendError(res, 400, 'notify.missingHeader', { header: 'X-Atlassian-Webhook-Identifier' });
      return next(false);
    }
    // Deduplicated on what Jira signs, not on the identifier header: the header is outside the
    // signature, so a captured delivery re-sent under a new identifier is still the same
    // delivery. Jira's retries repeat the body byte for byte (and keep the identifier), and may
    // come up to 30 minutes late ("Retry policy", https://developer.atlassian.com/cloud/jira/platform/webhooks/#retry-policy).
    // ...and only within the window around the payload's own (signed) timestamp, so a
    // captured body cannot be replayed once its digest might be forgotten.
    if (!jiraTimestampInWindow(req.body, (options.now ?? Date.now)())) {
      sendError(res, 400, 'notify.stale', { source: 'Jira', minutes: JIRA_DELIVERY_MAX_AGE_MS / 60_000 });
      return next(false);
    }
    const parsed = parseJiraWebhook(req.body, jiraDeliveryKey(rawBodyOf(req)));
    if (parsed.outcome === 'invalid') {
      sendError(res, 400, 'notify.badPayload', { source: 'Jira', problem: parsed.problem });
      return next(false);
    }
    if (parsed.outcome === 'ignored') {
      res.send(202, { status: 'ignored', reason: parsed.reason });
      return next();
    }
    options.inbox.accept(parsed.event).then(
      (result) => {
        res.send(202, { status: result.status });
        next();
      },
      (err: unknown) => {
        notStored(res, err, options.log);
        next(false);
      },
    );
  });
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
 * HEAD and POST /hooks/trello. HEAD answers 200 (Trello's check before it creates a webhook).
 * POST: signature over raw body + callback URL (401), payload (400), then 410 Gone for a board
 * no space follows any more, which makes Trello delete its webhook; else commit, then 202.
 */
export function mountTrelloHook(server: Server, options: TrelloHookOptions): void {
  server.head('/hooks/trello', (_req: Request, res: Response, next: Next) => {
    res.send(200);
    next();
  });
  const verify = (req: Request, res: Response, next: Next): void => {
    if (!verifyTrelloSignature(rawBodyOf(req), header(req, TRELLO_SIGNATURE_HEADER), options.callbackUrl(), options.secret())) {
      sendError(res, 401, 'notify.badSignature');
      return next(false);
    }
    next();
  };
  server.post('/hooks/trello', verify, jsonBody(), (req: Request, res: Response, next: Next) => {
    const parsed = parseTrelloWebhook(req.body);
    if (parsed.outcome === 'invalid') {
      sendError(res, 400, 'notify.badPayload', { source: 'Trello', problem: parsed.problem });
      return next(false);
    }
    const boardId = parsed.outcome === 'event' ? parsed.event.sourceKey : parsed.boardId;
    const work = async (): Promise<[number, object]> => {
      if (!(await options.subscriptions.anyFor('trello', boardId))) return [410, { status: 'gone', reason: 'no space follows this board' }];
      if (parsed.outcome === 'ignored') return [202, { status: 'ignored', reason: parsed.reason }];
      const result = await options.inbox.accept(parsed.event);
      return [202, { status: result.status }];
    };
    work().then(
      ([status, body]) => {
        res.send(status, body);
        next();
      },
      (err: unknown) => {
        notStored(res, err, options.log);
        next(false);
      },
    );
  });
}

/**
 * The event could not be committed (the store is down or restarting): not acknowledged, so the
 * source retries it. 503 with Retry-After says "come back", where a 500 would read as our bug.
 */
function notStored(res: Response, err: unknown, log: Logger): void {
  log.warn({ err }, 'a webhook could not be stored; the source will retry it');
  res.setHeader('Retry-After', '30');
  sendError(res, 503, 'store.notReady');
}
