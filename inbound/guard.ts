import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Next, Request, RequestHandler, RequestHandlerType, Response, Server } from 'restify';
import { presentFailure, translate, type Logger, type MessageKey, type MessageParams } from '../core';
import type { HttpMetrics } from './metrics';
import { acceptedLanguage, failureBody } from './respond';

/** Longest request target served; longer ones are 414 (RFC 9112 section 3: 8000 octets is the recommended minimum a server supports). */
export const MAX_TARGET_LENGTH = 8192;

/**
 * Origin-form only (RFC 9112 section 3.2.1): one `/`, then visible ASCII. Refused: absolute-form
 * (`http://x:99999/hooks/graph`, which routes like its path but makes `new URL(req.url)` throw),
 * authority- and asterisk-form (`*`), a leading `//` (which `new URL(target, base)` reads as a
 * host), an empty target, spaces and control or non-ASCII bytes that the parser let through.
 * Nothing een-bridge serves (Slack, Graph, Jira, Trello, Webex, Bot Framework, browsers) sends
 * anything but origin-form to a server that is not a proxy.
 */
const ORIGIN_FORM = /^\/(?!\/)[\x21-\x7e]*$/;

export function isOriginForm(target: string | undefined): target is string {
  return target !== undefined && ORIGIN_FORM.test(target);
}

function refuse(res: ServerResponse, status: number, key: MessageKey, params: MessageParams): void {
  const body = JSON.stringify({ error: { code: key, message: translate('en', key, params) } });
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
  res.end(body);
}

/**
 * A restify `first` handler: runs before restify decorates, parses or routes the request, so no
 * route (and no URL parser) ever sees a target that is not origin-form. Returns false to stop.
 */
export function refuseNonOriginForm(metrics: HttpMetrics): (req: IncomingMessage, res: ServerResponse) => boolean {
  return function originFormOnly(req, res) {
    const target = req.url;
    let status = 0;
    if (target !== undefined && target.length > MAX_TARGET_LENGTH) {
      status = 414;
      refuse(res, status, 'http.targetTooLong', { limit: MAX_TARGET_LENGTH });
    } else if (!isOriginForm(target)) {
      status = 400;
      refuse(res, status, 'http.badTarget', {});
    }
    if (status === 0) return true;
    // The body, if any, is not read: the connection closes after the answer.
    req.resume();
    metrics.requests.inc({ method: req.method ?? 'GET', route: 'refused', status: String(status) });
    return false;
  };
}

type AnyHandler = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Wraps every handler registered on the server (routes, `use`, `pre`, including emulators and
 * adapters mounted later) so that a throw, synchronous or from an async handler, becomes a 500
 * with a reference that is logged with the error (core/failure.ts, in the request's language), instead of an uncaught exception that would
 * stop the process (restify runs handlers with no try/catch when handleUncaughtExceptions is off,
 * and its domain-based alternative is deprecated: https://nodejs.org/api/domain.html).
 */
export function guardHandlers(server: Server, log: Logger): void {
  // The one presenter (core/failure.ts) decides what the person reads: a typed error keeps its
  // own status and message, anything else is a 500 with the reference it logs beside the error.
  const fail = (err: unknown, req: Request, res: Response): void => {
    const failure = presentFailure(err, log.child({ method: req.method, route: routePath(req) }), 'http');
    if (!res.headersSent) {
      if (failure.retryAfter !== undefined) res.setHeader('Retry-After', String(failure.retryAfter));
      res.setHeader('Connection', 'close');
      res.send(failure.status, failureBody(failure, acceptedLanguage(req)));
    }
  };

  const guard = (handler: RequestHandlerType): RequestHandlerType => {
    if (Array.isArray(handler)) return handler.map(guard) as RequestHandlerType;
    const h = handler as unknown as AnyHandler;
    if (typeof h !== 'function' || h.length > 3) return handler;
    const isAsync = h.constructor.name === 'AsyncFunction';
    const wrapped = function guardedHandler(this: unknown, req: Request, res: Response, next: Next): void {
      let settled = false;
      const proceed = (arg?: unknown): void => {
        if (settled) return;
        settled = true;
        (next as (a?: unknown) => void)(arg);
      };
      const stop = (err: unknown): void => {
        fail(err, req, res);
        proceed(false);
      };
      try {
        if (isAsync) {
          // restify's own contract for async handlers: resolve = next(), reject = error.
          (h.call(this, req, res) as Promise<unknown>).then(() => proceed(), stop);
        } else {
          h.call(this, req, res, proceed);
        }
      } catch (err) {
        stop(err);
      }
    };
    Object.defineProperty(wrapped, 'name', { value: h.name || 'handler' });
    return wrapped as unknown as RequestHandler;
  };

  const s = server as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const method of ['get', 'post', 'put', 'patch', 'del', 'head', 'opts'] as const) {
    const original = s[method]!.bind(server);
    s[method] = (opts: unknown, ...handlers: unknown[]) => original(opts, ...handlers.map((x) => guard(x as RequestHandlerType)));
  }
  for (const method of ['use', 'pre'] as const) {
    const original = s[method]!.bind(server);
    s[method] = (...handlers: unknown[]) => original(...handlers.map((x) => guard(x as RequestHandlerType)));
  }
}

function routePath(req: Request): string | undefined {
  try {
    const path = req.getRoute()?.path;
    return typeof path === 'string' ? path : undefined;
  } catch {
    return undefined;
  }
}
