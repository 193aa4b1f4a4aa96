import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveTransport } from '../../app/keep-alive-transport';
import { fetchTransport, UpstreamError, WebexMessages, type HttpTransport } from '../../core';

/**
 * How WebexMessages reads Webex's answers, over real HTTP on loopback, with either transport: the
 * outbox worker decides on the UpstreamError's status, key and Retry-After.
 * Shapes: https://developer.webex.com/docs/basics (errors: `{"message": ..., "trackingId": ...}`;
 * 429 with Retry-After in seconds).
 */
let answer: (res: http.ServerResponse) => void = (res) => res.end();
const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString('utf8')));
  req.on('end', () => {
    seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
    answer(res);
  });
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const json = (status: number, value: unknown, headers: Record<string, string> = {}) => (res: http.ServerResponse) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
};

describe.each([
  ['node:http', keepAliveTransport],
  ['fetch', fetchTransport],
] as [string, HttpTransport][])('WebexMessages over %s', (_name, transport) => {
  const webex = () => new WebexMessages({ baseUrl: () => base, token: () => 'bot-token', timeoutMs: 300, transport });

  it('posts the message as JSON with the bot token and answers the created message', async () => {
    seen.length = 0;
    answer = json(200, { id: 'm1', roomId: 'r1', created: '2026-12-02T06:00:00.000Z' });
    const created = await webex().create({ roomId: 'r1', text: 'Hallo wereld — ü', markdown: '**Hallo**' });
    expect(created.id).toBe('m1');
    expect(seen[0]).toEqual({ method: 'POST', url: '/v1/messages', auth: 'Bearer bot-token', body: JSON.stringify({ roomId: 'r1', text: 'Hallo wereld — ü', markdown: '**Hallo**' }) });
  });

  it('answers undefined for 204 (a deleted webhook)', async () => {
    answer = (res) => {
      res.writeHead(204);
      res.end();
    };
    await expect(webex().deleteWebhook('w1')).resolves.toBeUndefined();
  });

  it('turns 429 into upstream.rateLimited with Retry-After in seconds', async () => {
    answer = json(429, { message: 'Too Many Requests', trackingId: 't' }, { 'retry-after': '7' });
    const err = await webex().create({ roomId: 'r1', text: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamError);
    expect(err).toMatchObject({ status: 429, key: 'upstream.rateLimited', retryAfterSeconds: 7 });
  });

  it('waits a minute after a 429 that names no Retry-After', async () => {
    answer = json(429, { message: 'Too Many Requests' });
    await expect(webex().create({ roomId: 'r1', text: 'x' })).rejects.toMatchObject({ status: 429, retryAfterSeconds: 60 });
  });

  it('turns 401 into upstream.unauthorized and keeps the message Webex gave', async () => {
    answer = json(401, { message: 'The request requires a valid access token set in the Authorization request header.', trackingId: 't' });
    await expect(webex().create({ roomId: 'r1', text: 'x' })).rejects.toMatchObject({ status: 401, key: 'upstream.unauthorized', message: expect.stringContaining('valid access token') });
  });

  it('treats a 2xx that is not JSON as no answer (retried), not as a crash', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>proxy</html>');
    };
    await expect(webex().create({ roomId: 'r1', text: 'x' })).rejects.toMatchObject({ status: 200, key: 'upstream.unavailable' });
  });

  it('gives up after its timeout with upstream.unavailable and no status', async () => {
    answer = () => undefined;
    await expect(webex().create({ roomId: 'r1', text: 'x' })).rejects.toMatchObject({ status: undefined, key: 'upstream.unavailable', message: expect.stringContaining('timed out') });
  });
});
