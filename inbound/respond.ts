import { randomUUID } from 'node:crypto';
import type { Response } from 'restify';
import { UpstreamError, UserError } from '../errors';
import { translate, type MessageKey, type MessageParams } from '../i18n';
import type { Logger } from '../log';

/** One error shape for every HTTP route: `{ error: { code, message } }` in English. */
export function sendError(res: Response, status: number, key: MessageKey, params: MessageParams = {}): void {
  res.send(status, { error: { code: key, message: translate('en', key, params) } });
}

/** Turns a thrown error into a response: typed errors say what happened, others get a reference. */
export function sendFailure(res: Response, err: unknown, log: Logger): void {
  if (err instanceof UserError) return sendError(res, err.httpStatus, err.key, err.params);
  if (err instanceof UpstreamError) {
    if (err.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(err.retryAfterSeconds));
    log.warn({ err, system: err.system, status: err.status }, 'upstream failure');
    return sendError(res, err.status === 429 ? 503 : 502, err.key, { system: err.system, seconds: err.retryAfterSeconds ?? 60 });
  }
  const ref = randomUUID().slice(0, 8);
  log.error({ err, ref }, 'unhandled error in route');
  sendError(res, 500, 'http.internal', { ref });
}
