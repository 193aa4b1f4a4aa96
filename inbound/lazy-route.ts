import type { Next, Request, RequestHandler, Response } from 'restify';
import type { Logger } from '../core';
import { sendFailure } from './respond';

/**
 * A route handler made at the route's first request, for the handlers behind which a chat SDK
 * sits (botbuilder for Teams, @slack/bolt for Slack). Loading such an SDK takes hundreds of ms
 * and tens of MB, which the service used to pay before it listened, so before /readyz (issue 17);
 * a deployment whose users never write to that system pays nothing. The route is mounted at
 * start, so the service is ready to serve it: the first request waits for the load (once; every
 * later one finds the handler made), and a load that fails is answered as any other failure and
 * tried again at the next request.
 */
export function lazyRoute(make: () => Promise<RequestHandler>, log: Logger, where: string): RequestHandler {
  let made: Promise<RequestHandler> | undefined;
  return function lazilyMadeRoute(req: Request, res: Response, next: Next): void {
    const handler = (made ??= make());
    handler.then(
      (handle) => {
        handle(req, res, next);
      },
      (err: unknown) => {
        made = undefined;
        sendFailure(res, err, log, where);
        next(false);
      },
    );
  };
}
