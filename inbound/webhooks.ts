import type { Next, Request, Response, Server } from 'restify';
import type { NotificationHooks, RawDelivery, WebhookAnswer } from '../core';
import { rawDeliveryOf } from './body';
import { mountGraphHook } from './graph-hook';
import { sendAnswer } from './respond';

type Receive = (delivery: RawDelivery) => Promise<WebhookAnswer>;

/** A webhook route: the exact bytes and headers go to the core, its answer goes back. */
function route(receive: Receive) {
  return function webhook(req: Request, res: Response, next: Next): void {
    // The core's intake does not throw (a store failure is its 503); a bug is still the guard's 500.
    receive(rawDeliveryOf(req)).then(
      (answer) => {
        sendAnswer(res, answer);
        if (answer.refused) next(false);
        else next();
      },
      (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
    );
  };
}

/**
 * POST /hooks/jira, HEAD and POST /hooks/trello and POST /hooks/graph, for the sources that are
 * not off (core/notifications/hooks.ts holds their verify, parse and accept rules).
 */
export function mountNotificationHooks(server: Server, hooks: NotificationHooks): void {
  const { jira, trello, graph } = hooks;
  if (jira) server.post('/hooks/jira', route(jira));
  if (trello) {
    // Trello checks the callback URL with a HEAD before it creates a webhook.
    server.head('/hooks/trello', (_req: Request, res: Response, next: Next) => {
      res.send(200);
      next();
    });
    server.post('/hooks/trello', route(trello));
  }
  if (graph) mountGraphHook(server, graph);
}
