import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, Response, Server } from 'restify';
import { presentFailure, type Logger } from '../core';
import { readBody } from './body';
import { createHttpMetrics, type HttpMetrics } from './metrics';
import { acceptedLanguage, failureBody, sendError } from './respond';
import { guardHandlers, refuseNonOriginForm } from './guard';
import { restifyServer } from './restify-server';

export interface HttpServerOptions {
  bodyLimitBytes: number;
  log: Logger;
  /** Store reachable and migrated; drives /readyz. */
  isReady: () => Promise<boolean>;
  /** Serve /metrics here (its own listener) and not on the public port; see EEN_METRICS_ADDR. */
  metricsAddress?: { host: string; port: number } | undefined;
}

export interface HttpServer {
  /** Adapters and emulators mount their routes here. */
  readonly restify: Server;
  readonly metrics: HttpMetrics;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** The base URL of the separate metrics listener, once listening; undefined without EEN_METRICS_ADDR. */
  metricsUrl(): string | undefined;
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
  const { server, queryParser } = restifyServer('een-bridge');
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
  server.use(queryParser({ mapParams: false }));
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
  server.on('restifyError', (req: Request, res: Response, err: unknown, callback: () => void) => {
    if (err instanceof Error) {
      const failed = err as Error & { statusCode?: number; toJSON?: () => unknown };
      if ((failed.statusCode ?? 500) >= 500) {
        // Through the one presenter (core/failure.ts), like a handler that throws (guard.ts).
        const failure = presentFailure(err, log.child({ method: req.method, route: req.getRoute()?.path }), 'http');
        if (failure.retryAfter !== undefined && !res.headersSent) res.setHeader('Retry-After', String(failure.retryAfter));
        failed.statusCode = failure.status;
        failed.toJSON = () => failureBody(failure, acceptedLanguage(req));
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
  // With EEN_METRICS_ADDR, /metrics is on its own listener (say loopback or a management
  // network) and the public port does not have it at all.
  const metricsServer = options.metricsAddress ? createMetricsServer(metrics, log) : undefined;
  if (!metricsServer) {
    server.get('/metrics', (_req: Request, res: Response, next) => {
      metrics.registry.metrics().then((text) => {
        res.setHeader('Content-Type', metrics.registry.contentType);
        res.sendRaw(200, text);
        next();
      }, next);
    });
  }
  let metricsUrl: string | undefined;

  return {
    restify: server,
    metrics,
    metricsUrl: () => metricsUrl,
    async listen(port, host) {
      if (metricsServer && options.metricsAddress) {
        const at = await listenOn(metricsServer, options.metricsAddress.port, options.metricsAddress.host);
        metricsUrl = `http://${at.address.includes(':') ? `[${at.address}]` : at.address}:${at.port}`;
        log.info({ url: metricsUrl }, 'metrics served on their own address (EEN_METRICS_ADDR)');
      }
      return new Promise((resolve, reject) => {
        const failed = (err: Error): void => {
          // The public port failed: do not leave the metrics listener behind.
          metricsServer?.close();
          reject(err);
        };
        // On restify's server, not its http.Server: restify re-emits that server's 'error' on
        // itself (restify lib/server.js, proxyEvents), and an 'error' nobody listens to there
        // crashed the process with a stack instead of rejecting (port in use, issue 16).
        server.once('error', failed);
        server.listen(port, host, () => {
          server.off('error', failed);
          resolve(server.address() as unknown as AddressInfo);
        });
      });
    },
    async close(graceMs = 10_000) {
      if (metricsServer?.listening) {
        metricsServer.closeAllConnections();
        await new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      }
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

/** GET /metrics and nothing else, on a plain node:http server with the public port's timeouts. */
function createMetricsServer(metrics: HttpMetrics, log: Logger): http.Server {
  // Separate writeHead and end: restify patches http.ServerResponse, and its writeHead returns nothing.
  const answer = (res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body?: string): void => {
    res.writeHead(status, headers);
    res.end(body);
  };
  const metricsServer = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') return answer(res, 404, { 'Content-Type': 'text/plain; charset=utf-8' }, 'not found\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return answer(res, 405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' }, 'method not allowed\n');
    }
    metrics.registry.metrics().then(
      (text) => answer(res, 200, { 'Content-Type': metrics.registry.contentType }, req.method === 'HEAD' ? undefined : text),
      (err: unknown) => {
        log.error({ err }, 'metrics could not be collected');
        answer(res, 500, {});
      },
    );
  });
  metricsServer.headersTimeout = HTTP_TIMEOUTS.headersMs;
  metricsServer.requestTimeout = HTTP_TIMEOUTS.requestMs;
  metricsServer.keepAliveTimeout = HTTP_TIMEOUTS.keepAliveMs;
  return metricsServer;
}

function listenOn(target: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    target.once('error', reject);
    target.listen(port, host, () => {
      target.off('error', reject);
      resolve(target.address() as AddressInfo);
    });
  });
}
