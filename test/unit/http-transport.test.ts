import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { keepAliveTransport } from '../../app/keep-alive-transport';
import { fetchTransport, type HttpTransport } from '../../core';

/** A loopback server whose handler each test sets; it records the client port of every request. */
function server(handler: (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void) {
  const ports: number[] = [];
  const s = http.createServer((req, res) => {
    ports.push(req.socket.remotePort!);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks).toString('utf8')));
  });
  return new Promise<{ url: string; ports: number[]; close: () => Promise<void> }>((resolve) => {
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        ports,
        close: () =>
          new Promise<void>((done) => {
            s.closeAllConnections();
            s.close(() => done());
          }),
      });
    });
  });
}

// Both transports keep one contract: the clients in core cannot tell which one they were given.
describe.each([
  ['keepAliveTransport (node:http)', keepAliveTransport],
  ['fetchTransport (fetch)', fetchTransport],
] as [string, HttpTransport][])('%s', (_name, transport) => {
  const httpRequest = (url: string, options: { method: string; headers: Record<string, string>; body?: string; timeoutMs: number; maxAnswerBytes?: number }) => transport({ url, ...options });

  it('sends the method, headers and body, and answers status, headers and text', async () => {
    const srv = await server((req, res, body) => {
      res.writeHead(201, { 'content-type': 'application/json', 'retry-after': '7' });
      res.end(JSON.stringify({ method: req.method, path: req.url, auth: req.headers.authorization, length: req.headers['content-length'], body }));
    });
    try {
      const answer = await httpRequest(`${srv.url}/v1/messages?x=1`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'application/json' }, body: '{"text":"hé"}', timeoutMs: 2000 });
      expect(answer.status).toBe(201);
      expect(answer.header('Retry-After')).toBe('7');
      expect(answer.header('x-missing')).toBeUndefined();
      // The length is the UTF-8 byte count, not the string's: é is two bytes.
      expect(JSON.parse(answer.text)).toEqual({ method: 'POST', path: '/v1/messages?x=1', auth: 'Bearer t', length: '14', body: '{"text":"hé"}' });
    } finally {
      await srv.close();
    }
  });

  it('gives up after timeoutMs with a TimeoutError, however long the server takes', async () => {
    const srv = await server(() => undefined);
    try {
      const began = Date.now();
      await expect(httpRequest(`${srv.url}/slow`, { method: 'GET', headers: {}, timeoutMs: 150 })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(Date.now() - began).toBeLessThan(2000);
    } finally {
      await srv.close();
    }
  });

  it('counts the timeout over the whole answer, not only until its headers', async () => {
    const srv = await server((_req, res) => {
      res.writeHead(200);
      res.write('{');
    });
    try {
      await expect(httpRequest(`${srv.url}/dribble`, { method: 'GET', headers: {}, timeoutMs: 150 })).rejects.toMatchObject({ name: 'TimeoutError' });
    } finally {
      await srv.close();
    }
  });

  it('refuses an answer larger than maxAnswerBytes instead of holding it in memory', async () => {
    const srv = await server((_req, res) => res.end('x'.repeat(5000)));
    try {
      await expect(httpRequest(`${srv.url}/big`, { method: 'GET', headers: {}, timeoutMs: 2000, maxAnswerBytes: 1000 })).rejects.toThrow(/larger than 1000 bytes/);
    } finally {
      await srv.close();
    }
  });

  it('rejects (never throws synchronously) when nothing listens', async () => {
    const srv = await server(() => undefined);
    const url = srv.url;
    await srv.close();
    await expect(httpRequest(`${url}/`, { method: 'GET', headers: {}, timeoutMs: 2000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('rejects a URL that is not http or https', async () => {
    await expect(httpRequest('ftp://127.0.0.1/', { method: 'GET', headers: {}, timeoutMs: 2000 })).rejects.toThrow(/http or https/);
  });
});

it('node:http keeps the connection for the next request (one connection for several sequential requests)', async () => {
  const srv = await server((_req, res) => res.end('{}'));
  try {
    for (let i = 0; i < 3; i++) await keepAliveTransport({ url: `${srv.url}/`, method: 'GET', headers: {}, timeoutMs: 2000 });
    expect(srv.ports).toHaveLength(3);
    expect(new Set(srv.ports).size).toBe(1);
  } finally {
    await srv.close();
  }
});
