import type { Request } from 'restify';
import { requestPath, requestQuery } from '../inbound';

export interface LoggedRequest {
  at: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
}

/** Hidden so the log never hands out credentials, even in the sandbox. */
const hiddenHeaders = new Set(['authorization', 'cookie']);

/** What an emulator received, newest last, for tests, demos and people (`GET …/_log`). */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];

  constructor(private readonly capacity = 1000) {}

  record(req: Request): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] = hiddenHeaders.has(name) ? '[hidden]' : Array.isArray(value) ? value.join(', ') : value;
    }
    this.entries.push({
      at: new Date().toISOString(),
      method: req.method ?? 'GET',
      path: requestPath(req),
      query: Object.fromEntries(requestQuery(req)),
      headers,
      body: Buffer.isBuffer(req.rawBody) ? (req.rawBody as Buffer).toString('utf8') : '',
    });
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(): readonly LoggedRequest[] {
    return this.entries;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
