import net from 'node:net';
import type { Next, Request, Response } from 'restify';
import { createHttpServer, mountNotificationHooks, type HttpServer } from '../../inbound';
import type { WebhookAnswer } from '../../core';
import { memoryLogger } from '../helpers/service';

/**
 * Issue 17: a webhook's JSON answer leaves in one socket write. restify's res.send writes the
 * head and the body, then ends, and Node flushes that as a two-chunk writev, which cost ~12 µs
 * more per Jira webhook than one write. The answer must stay byte for byte what res.send wrote:
 * same status line, headers and body.
 */
describe('a webhook’s JSON answer', () => {
  let server: HttpServer;
  let port = 0;
  const writes: { write: number; writev: number } = { write: 0, writev: 0 };
  const answers: Record<string, WebhookAnswer> = {
    accepted: { status: 202, json: { status: 'accepted' } },
    ignored: { status: 202, json: { status: 'ignored', reason: 'event jira:worklog_updated — ü' } },
    gone: { status: 410, json: { status: 'gone', reason: 'no space follows this board' }, retryAfter: 30 },
  };
  let next: WebhookAnswer = answers.accepted!;

  beforeAll(async () => {
    server = createHttpServer({ bodyLimitBytes: 1 << 20, log: memoryLogger().log, isReady: async () => true });
    // Counts what the server writes to each connection (net.Socket's _write and _writev, which
    // Writable calls once per flushed chunk or batch of chunks).
    server.restify.server.on('connection', (socket: net.Socket) => {
      const s = socket as net.Socket & { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
      const write = s._write.bind(s);
      const writev = s._writev.bind(s);
      s._write = (...a: unknown[]) => {
        writes.write += 1;
        write(...a);
      };
      s._writev = (...a: unknown[]) => {
        writes.writev += 1;
        writev(...a);
      };
    });
    mountNotificationHooks(server.restify, { jira: async () => next });
    // The reference: the same answer through restify's own res.send.
    server.restify.post('/test-only/send', (_req: Request, res: Response, done: Next) => {
      if (next.retryAfter !== undefined) res.setHeader('Retry-After', String(next.retryAfter));
      res.send(next.status, next.json);
      done();
    });
    port = (await server.listen(0, '127.0.0.1')).port;
  });
  afterAll(() => server.close(0));

  /** Sends raw requests on one connection and returns everything the server wrote back. */
  function exchange(requests: string[], responses: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1');
      let got = '';
      socket.setEncoding('latin1');
      socket.on('data', (chunk: string) => {
        got += chunk;
        if ((got.match(/HTTP\/1\.1 /g) ?? []).length === responses && complete(got, responses)) socket.end();
      });
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
      socket.write(requests.join(''));
    });
  }

  /** True when each of `count` responses has its Content-Length of body. */
  function complete(raw: string, count: number): boolean {
    let at = 0;
    for (let i = 0; i < count; i++) {
      const headEnd = raw.indexOf('\r\n\r\n', at);
      if (headEnd < 0) return false;
      const length = Number(/content-length: (\d+)/i.exec(raw.slice(at, headEnd))?.[1] ?? 0);
      at = headEnd + 4 + length;
      if (raw.length < at) return false;
    }
    return true;
  }

  const post = (path: string) => `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;
  // The Date header is the clock's; everything else must match.
  const withoutDate = (raw: string) => raw.replace(/\r\nDate: [^\r]*/gi, '');

  it.each(Object.keys(answers))('(%s) is the bytes res.send writes, in one write', async (name) => {
    next = answers[name]!;
    const reference = await exchange([post('/test-only/send')], 1);
    writes.write = 0;
    writes.writev = 0;
    const answered = await exchange([post('/hooks/jira')], 1);
    expect(writes).toEqual({ write: 1, writev: 0 });
    expect(withoutDate(answered)).toBe(withoutDate(reference));
    const body = answered.slice(answered.indexOf('\r\n\r\n') + 4);
    expect(JSON.parse(Buffer.from(body, 'latin1').toString('utf8'))).toEqual(next.json);
    expect(answered).toMatch(/^HTTP\/1\.1 (202 Accepted|410 Gone)\r\n/);
    expect(answered).toMatch(/\r\nContent-Type: application\/json\r\n/);
    expect(answered).toContain(`\r\nContent-Length: ${Buffer.byteLength(JSON.stringify(next.json))}\r\n`);
  });

  it('answers pipelined requests on one connection in order', async () => {
    next = answers.accepted!;
    const raw = await exchange([post('/hooks/jira'), post('/hooks/jira'), post('/test-only/send')], 3);
    const bodies = withoutDate(raw).split('HTTP/1.1 ').filter(Boolean);
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toMatch(/^202 Accepted\r\n[\s\S]*\r\n\r\n\{"status":"accepted"\}$/);
  });
});
