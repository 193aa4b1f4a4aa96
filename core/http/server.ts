import type { AddressInfo } from 'node:net';
import restify, { type Request, type Response, type Server } from 'restify';
import { translate } from '../i18n';
import type { Logger } from '../log';
import { readBody } from './body';
import { createHttpMetrics, type HttpMetrics } from './metrics';
import { newReference } from '../failure';
import { sendError } from './respond';
import { guardHandlers, refuseNonOriginForm } from './guard';

export interface HttpServerOptions {
  bodyLimitBytes: number;
  log: Logger;
  /** Store reachable and migrated; drives /readyz. */
  isReady: () => Promise<boolean>;
}

export interface HttpServer {
  /** Adapters and emulators mount their routes here. */
  readonly restify: Server;
  readonly metrics: HttpMetrics;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>;
}

/**
 * Timeouts of the public port (Node's http.Server; https://nodejs.org/api/http.html#serverheaderstimeout).
 * Node's defaults (headers 60 s, whole request 300 s, checked every 30 s) let one slowloris
 * connection, sending its headers a byte at a time, live for up to 90 s. Every sender een-bridge
 * serves (Slack, Graph, Jira, Trello, Webex, Bot Framework, a browser) sends its headers in one
 * go and wants an answer within seconds (Slack and Graph: 3 s), so:
 * - headers: 10 s from the first byte to the end of the headers (408, then closed);
 * - request: 30 s for headers plus a body of at most EEN_BODY_LIMIT (1 MiB by default);
 * - keep-alive: 5 s idle between requests on one connection (Node's default; a reverse proxy in
 *   front should close idle upstream connections sooner, or it may reuse one being closed);
 * - checked every second, so a timeout takes effect within a second of passing.
 */
export const HTTP_TIMEOUTS = { headersMs: 10_000, requestMs: 30_000, keepAliveMs: 5_000, checkEveryMs: 1_000 } as const;

const started = Symbol('startedAt');
type TimedRequest = Request & { [started]?: bigint };

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { log } = options;
  // No domains (handleUncaughtExceptions): every handler is wrapped instead, see guardHandlers.
  const server = restify.createServer({ name: 'een-bridge', handleUncaughtExceptions: false });
  const metrics = createHttpMetrics();
  // Before restify decorates or routes the request: only origin-form targets go further.
  (server as unknown as { first(h: ReturnType<typeof refuseNonOriginForm>): void }).first(refuseNonOriginForm(metrics));
  guardHandlers(server, log);
  server.server.headersTimeout = HTTP_TIMEOUTS.headersMs;
  server.server.requestTimeout = HTTP_TIMEOUTS.requestMs;
  server.server.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveMs;
  // Read when the server starts listening (it starts the check timer then).
  (server.server as unknown as { connectionsCheckingInterval: number }).connectionsCheckingInterval = HTTP_TIMEOUTS.checkEveryMs;

  server.pre((req: TimedRequest, _res, next) => {
    req[started] = process.hrtime.bigint();
    next();
  });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(readBody(options.bodyLimitBytes));

  server.on('after', (req: TimedRequest, res: Response, route: { path?: unknown } | null) => {
    const labels = {
      method: req.method ?? 'GET',
      route: typeof route?.path === 'string' ? route.path : 'unmatched',
      status: String(res.statusCode),
    };
    metrics.requests.inc(labels);
    const begun = req[started];
    if (begun !== undefined) metrics.duration.observe(labels, Number(process.hrtime.bigint() - begun) / 1e9);
  });
  // An error a handler passed to next(): a 5xx leaves with our error shape and a reference that
  // is also in the log, never with the error's own message (restify would send that).
  server.on('restifyError', (req: Request, _res: Response, err: unknown, callback: () => void) => {
    if (err instanceof Error) {
      const failed = err as Error & { statusCode?: number; toJSON?: () => unknown };
      if ((failed.statusCode ?? 500) >= 500) {
        const ref = newReference();
        log.error({ err, ref, route: req.getRoute()?.path }, 'request failed');
        failed.statusCode = 500;
        failed.toJSON = () => ({ error: { code: 'http.internal', message: translate('en', 'http.internal', { ref }) } });
      }
    }
    callback();
  });

  server.get('/healthz', (_req: Request, res: Response, next) => {
    res.send(200, { status: 'ok' });
    next();
  });
  server.get('/readyz', (_req: Request, res: Response, next) => {
    options.isReady().then(
      (ready) => {
        if (ready) res.send(200, { status: 'ready' });
        else sendError(res, 503, 'store.notReady');
        next();
      },
      () => {
        sendError(res, 503, 'store.notReady');
        next();
      },
    );
  });
  server.get('/metrics', (_req: Request, res: Response, next) => {
    metrics.registry.metrics().then((text) => {
      res.setHeader('Content-Type', metrics.registry.contentType);
      res.sendRaw(200, text);
      next();
    }, next);
  });

  return {
    restify: server,
    metrics,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(port, host, () => {
          server.server.off('error', reject);
          resolve(server.address() as unknown as AddressInfo);
        });
      });
    },
    close(graceMs = 10_000) {
      return new Promise((resolve) => {
        if (!server.server.listening) return resolve();
        const force = setTimeout(() => server.server.closeAllConnections(), graceMs);
        force.unref();
        server.server.close(() => {
          clearTimeout(force);
          resolve();
        });
        // Keep-alive connections with no request in flight would hold close() open.
        server.server.closeIdleConnections();
      });
    },
  };
}
