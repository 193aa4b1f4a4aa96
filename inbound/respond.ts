import type { Request, Response } from 'restify';
import { presentFailure, translate, type Failure, type Logger, type MessageKey, type MessageParams, type WebhookAnswer } from '../core';

/** One error shape for every HTTP route: `{ error: { code, message } }` in English. */
export function sendError(res: Response, status: number, key: MessageKey, params: MessageParams = {}): void {
  res.send(status, { error: { code: key, message: translate('en', key, params) } });
}

/**
 * Renders what the one presenter (core/failure.ts) made of a thrown error as an HTTP answer:
 * typed errors say what happened, an upstream's wait goes in Retry-After, anything else is a
 * 500 with the reference that is logged with it. English unless the caller knows the reader's
 * language (the console and the Teams tab pass the page's Accept-Language).
 */
export function sendFailure(res: Response, err: unknown, log: Logger, where = 'http', locale?: string): void {
  const failure = presentFailure(err, log, where);
  if (failure.retryAfter !== undefined) res.setHeader('Retry-After', String(failure.retryAfter));
  res.send(failure.status, failureBody(failure, locale));
}

/**
 * The JSON body of every failure answered over HTTP: the presenter's key as `code`, its message
 * in the reader's language, and the reference of an unexpected failure (also in the message) as
 * `ref`, so a client can show or report it without parsing the text.
 */
export function failureBody(failure: Pick<Failure, 'key' | 'params' | 'ref'>, locale?: string): { error: { code: MessageKey; message: string; ref?: string } } {
  return { error: { code: failure.key, message: translate(locale ?? 'en', failure.key, failure.params), ...(failure.ref !== undefined ? { ref: failure.ref } : {}) } };
}

/** The first language a browser asks for (Accept-Language), for an answer in the page's language. */
export function acceptedLanguage(req: Pick<Request, 'headers'>): string | undefined {
  const header = req.headers['accept-language'];
  return typeof header === 'string' ? header.split(',')[0]?.split(';')[0]?.trim() || undefined : undefined;
}

/** Writes what the core's webhook intake answered (core/notifications/hooks.ts) as HTTP. */
export function sendAnswer(res: Response, answer: WebhookAnswer): void {
  if (answer.retryAfter !== undefined) res.setHeader('Retry-After', String(answer.retryAfter));
  if (answer.refused) return sendError(res, answer.status, answer.refused.key, answer.refused.params);
  if (answer.text !== undefined) {
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    return void res.sendRaw(answer.status, answer.text);
  }
  if (answer.json !== undefined) return sendJsonInOneWrite(res, answer.status, answer.json);
  res.send(answer.status);
}

/**
 * What `res.send(status, json)` writes (status line, Content-Type: application/json,
 * Content-Length, the JSON), handed to the socket in one write instead of a writev of two chunks.
 * restify's send ends in writeHead, write(body), end() (restify lib/response.js, flush): Node's
 * first write puts the head and a string body into one chunk but corks the socket until the next
 * tick, and end() then adds an empty chunk, so both leave as one writev (Node
 * lib/_http_outgoing.js, write_ and end). In the issue 17 profile that writev cost ~36 µs of
 * every Jira webhook where a single write of the same bytes cost ~24 µs; on a bare restify route
 * answering `{"status":"accepted"}` this send took ~5 µs less main-thread CPU per request than
 * res.send (interleaved runs under wrk). Uncorking right after the write (only when that write
 * corked it) flushes the one chunk; end() finds nothing left.
 */
export function sendJsonInOneWrite(res: Response, status: number, json: object): void {
  const body = JSON.stringify(json);
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.statusCode = status;
  res.writeHead(status);
  const socket = res.socket;
  const corkedBefore = socket?.writableCorked ?? 0;
  res.write(body);
  if (socket && corkedBefore === 0 && socket.writableCorked === 1) socket.uncork();
  res.end();
}
