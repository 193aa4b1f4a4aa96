import type { Next, Request, Response, Server } from 'restify';
import type { Logger } from '../log';
import { rawBodyOf } from '../http/body';
import { sendError } from '../http/respond';
import { requestQuery } from '../http/target';
import type { GraphDriveWatcher } from './graph-watcher';
import { parseGraphNotifications } from './sources/graph';

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
export function mountGraphHook(server: Server, options: GraphHookOptions): void {
  server.post('/hooks/graph', (req: Request, res: Response, next: Next) => {
    const validationToken = requestQuery(req).get('validationToken');
    if (validationToken !== null) {
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.sendRaw(200, validationToken.slice(0, 1024));
      return next();
    }
    const parsed = parseGraphNotifications(rawBodyOf(req));
    if (parsed.outcome === 'invalid') {
      sendError(res, 400, 'notify.badPayload', { source: 'Microsoft Graph', problem: parsed.problem });
      return next(false);
    }
    res.send(202);
    next();
    void options.watcher.receive(parsed.notifications);
  });
}
