import type { Next, Request, Response, Server } from 'restify';
import type { RawDelivery, WebhookAnswer } from '../core';
import { rawDeliveryOf } from './body';
import { sendAnswer } from './respond';

/**
 * POST /hooks/graph: the HTTP edge of the core's `receiveGraphNotifications` (validation echo,
 * 400 for a body that is not a changeNotificationCollection, else 202 and then the watcher acts).
 */
export function mountGraphHook(server: Server, receive: (delivery: RawDelivery) => WebhookAnswer): void {
  server.post('/hooks/graph', (req: Request, res: Response, next: Next) => {
    const answer = receive(rawDeliveryOf(req));
    sendAnswer(res, answer);
    if (answer.refused) next(false);
    else next();
    void answer.after?.();
  });
}
