import { randomUUID } from 'node:crypto';
import type { Response } from 'restify';
import { UpstreamError, UserError, translate, type Logger, type MessageKey, type MessageParams, type WebhookAnswer } from '../core';

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

/** Writes what the core's webhook intake answered (core/notifications/hooks.ts) as HTTP. */
export function sendAnswer(res: Response, answer: WebhookAnswer): void {
  if (answer.retryAfter !== undefined) res.setHeader('Retry-After', String(answer.retryAfter));
  if (answer.refused) return sendError(res, answer.status, answer.refused.key, answer.refused.params);
  if (answer.text !== undefined) {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    return void res.sendRaw(answer.status, answer.text);
  }
  if (answer.json !== undefined) return void res.send(answer.status, answer.json);
  res.send(answer.status);
}
