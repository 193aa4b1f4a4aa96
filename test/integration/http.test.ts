import type { Next, Request, Response } from 'restify';
import { jsonBody } from '../../inbound';
import { startTestService, type TestService } from '../helpers/service';

describe('the HTTP server', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService();
    // A JSON route that stores what it is sent, to prove rejected bodies store nothing.
    service.http.restify.post('/test/echo', jsonBody(), (req: Request, res: Response, next: Next) => {
      service.audit.record({ actor: 'test', action: 'echo', outcome: 'succeeded', detail: { body: req.body } }).then(() => {
        res.send(201, { stored: true });
        next();
      }, next);
    });
  });
  afterAll(() => service.dispose());

  const storedCount = async () => (await service.audit.recent(1000)).length;
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${service.url}/test/echo`, { method: 'POST', body, headers });

  it('answers /healthz while the process is up', async () => {
    const res = await fetch(`${service.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 once the store is migrated', async () => {
    const res = await fetch(`${service.url}/readyz`);
    expect(res.status).toBe(200);
  });

  it('stores a valid JSON body', async () => {
    const before = await storedCount();
    const res = await post(JSON.stringify({ hello: 'world' }));
    expect(res.status).toBe(201);
    expect(await storedCount()).toBe(before + 1);
  });

  it('refuses a body that is not JSON with 400 and a clear message, storing nothing', async () => {
    const before = await storedCount();
    const res = await post('{"hello": ');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('http.badJson');
    expect(body.error.message).toMatch(/not valid JSON/);
    expect(await storedCount()).toBe(before);
  });

  it('refuses an empty body with 400', async () => {
    const res = await post('');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/empty/);
  });

  it('refuses a 2 MiB body with 413, storing nothing', async () => {
    const before = await storedCount();
    const res = await post(JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('http.bodyTooLarge');
    expect(await storedCount()).toBe(before);
  });

  it('refuses a 2 MiB body sent chunked (no Content-Length) with 413', async () => {
    const before = await storedCount();
    const big = new TextEncoder().encode(JSON.stringify({ pad: 'y'.repeat(2 * 1024 * 1024) }));
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < big.length; i += 65536) controller.enqueue(big.subarray(i, i + 65536));
        controller.close();
      },
    });
    const res = await fetch(`${service.url}/test/echo`, {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await storedCount()).toBe(before);
  });

  it('refuses a wrong content type with 415, storing nothing', async () => {
    const before = await storedCount();
    const res = await post('hello=world', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/application\/json/);
    expect(await storedCount()).toBe(before);
  });

  it('refuses a compressed body with 415 rather than inflating it', async () => {
    const res = await post(JSON.stringify({ a: 1 }), { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(415);
  });

  it('counts requests by route and status in /metrics', async () => {
    await fetch(`${service.url}/healthz`);
    const text = await (await fetch(`${service.url}/metrics`)).text();
    expect(text).toMatch(/een_bridge_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/);
    expect(text).toMatch(/een_bridge_http_request_duration_seconds_bucket\{le="0.005",method="POST",route="\/test\/echo",status="413"\}/);
    expect(text).toContain('een_bridge_process_resident_memory_bytes');
  });
});

describe('readiness and shutdown', () => {
  it('answers /readyz 503 when the store is gone', async () => {
    const service = await startTestService();
    try {
      await service.store.close();
      const res = await fetch(`${service.url}/readyz`);
      expect(res.status).toBe(503);
    } finally {
      await service.http.close();
    }
  });

  it('finishes a request in flight before it closes', async () => {
    const service = await startTestService();
    let release: () => void = () => undefined;
    service.http.restify.get('/test/slow', (_req: Request, res: Response, next: Next) => {
      release = () => {
        res.send(200, { finished: true });
        next();
      };
    });
    const inFlight = fetch(`${service.url}/test/slow`);
    await new Promise((r) => setTimeout(r, 100));
    const stopped = service.dispose();
    await new Promise((r) => setTimeout(r, 100));
    await expect(fetch(`${service.url}/healthz`)).rejects.toHaveProperty('message');
    release();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ finished: true });
    await stopped;
  });
});
