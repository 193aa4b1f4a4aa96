import type { Request, Response } from 'restify';
import type { Logger } from '../core';

/**
 * The console's live updates by Server-Sent Events (WHATWG HTML, "Server-sent events":
 * `text/event-stream`, `event:`/`data:` lines, a blank line ends an event, `retry:` sets the
 * reconnection delay, a line starting with `:` is a comment). Each stream looks at a fingerprint
 * of what the page shows every `everyMs` and sends `event: change` when it differs; the page then
 * reloads what it shows. Nothing of the data itself goes over the stream.
 *
 * Every open stream is ended by close(), which the service calls before it stops listening, so
 * an open console does not hold a shutdown for the HTTP server's grace period.
 */
export class EventStreams {
  private readonly open = new Set<() => void>();

  constructor(private readonly log: Logger) {}

  private closed = false;

  serve(req: Request, res: Response, look: () => Promise<string>, everyMs: number): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
    res.write(`retry: ${everyMs * 4}\n\n`);
    let last = '';
    let quiet = 0;
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      look()
        .then((now) => {
          if (now !== last) {
            if (last !== '') res.write('event: change\ndata: {}\n\n');
            last = now;
            quiet = 0;
          } else if (++quiet * everyMs >= 15_000) {
            // A comment now and then, so proxies do not take the stream for a dead connection.
            res.write(': still here\n\n');
            quiet = 0;
          }
        }, (err: unknown) => this.log.warn({ err }, 'console events: could not look for changes'))
        .finally(() => (busy = false));
    }, everyMs);
    const end = () => {
      clearInterval(timer);
      this.open.delete(end);
      if (!res.writableEnded) res.end();
    };
    this.open.add(end);
    req.on('close', end);
    if (this.closed) end();
  }

  close(): void {
    // A stream whose sign-in check was still running when the service began to stop is ended as
    // soon as it opens (serve sees `closed`), so it cannot hold the shutdown either.
    this.closed = true;
    for (const end of [...this.open]) end();
  }
}
