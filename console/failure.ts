import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'restify';
import { UpstreamError, UserError, translate, type Logger } from '../core';

/**
 * Like sendFailure (core/http/respond.ts), but in the language the console page asks for
 * (its fetches send Accept-Language: the page's lang), as the tab's API does.
 */
export function sendConsoleFailure(req: Request, res: Response, err: unknown, log: Logger): void {
  const locale = req.headers['accept-language']?.split(',')[0];
  if (err instanceof UserError) {
    res.send(err.httpStatus, { error: { code: err.key, message: translate(locale, err.key, err.params) } });
  } else if (err instanceof UpstreamError) {
    log.warn({ err, system: err.system, status: err.status }, 'upstream failure in the console API');
    res.send(502, { error: { code: err.key, message: translate(locale, err.key, { system: err.system, seconds: err.retryAfterSeconds ?? 60 }) } });
  } else {
    const ref = randomUUID().slice(0, 8);
    log.error({ err, ref }, 'unhandled error in the console API');
    res.send(500, { error: { code: 'http.internal', message: translate(locale, 'http.internal', { ref }) } });
  }
}
