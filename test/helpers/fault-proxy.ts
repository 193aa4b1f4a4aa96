import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to the next request it takes. */
export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  /** Holds the request this long, then forwards it, unless the caller gave up meanwhile. */
  | { kind: 'slow'; ms: number }
  /** Drops the connection without an answer (ECONNRESET for the caller); nothing is forwarded. */
  | { kind: 'reset' };

/**
 * A loopback HTTP proxy in front of an upstream (an emulator): requests pass through unchanged
 * unless a fault is queued, in which case the next request gets the fault instead. A faulted
 * request never reaches the upstream, so a test can tell a retry from a duplicate.
 */
export interface FaultProxy {
  /** e.g. http://127.0.0.1:1234; the path of each request is kept. */
  url: string;
  /**
   * Queues `times` copies of a fault, taken by the next requests in order; with `match`, only
   * by requests it accepts (others pass), so background calls cannot take a test's fault.
   */
  inject(fault: Fault, times?: number, match?: (method: string, path: string) => boolean): void;
  /** Faults still queued. */
  pending(): number;
  /** Faults served, by kind (`status:503`, `slow`, `reset`). */
  served: Map<string, number>;
  forwarded(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(upstream: () => string): Promise<FaultProxy> {
  const queue: { fault: Fault; match: (method: string, path: string) => boolean }[] = [];
  const served = new Map<string, number>();
  let forwarded = 0;
  const count = (key: string) => served.set(key, (served.get(key) ?? 0) + 1);

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    if (res.destroyed || req.socket.destroyed) return;
    forwarded++;
    const target = new URL(req.url ?? '/', upstream());
    const out = http.request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    out.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const at = queue.findIndex((q) => q.match(req.method ?? 'GET', req.url ?? '/'));
      const fault = at < 0 ? undefined : queue.splice(at, 1)[0]!.fault;
      if (!fault) return forward(req, res, body);
      if (fault.kind === 'status') {
        count(`status:${fault.status}`);
        const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        res.writeHead(fault.status, headers);
        res.end(JSON.stringify({ message: `injected ${fault.status}` }));
      } else if (fault.kind === 'reset') {
        count('reset');
        req.socket.destroy();
      } else {
        count('slow');
        setTimeout(() => forward(req, res, body), fault.ms).unref();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inject(fault, times = 1, match = () => true) {
      for (let i = 0; i < times; i++) queue.push({ fault, match });
    },
    pending: () => queue.length,
    served,
    forwarded: () => forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
