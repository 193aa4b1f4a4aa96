import net from 'node:net';
import { HTTP_TIMEOUTS } from '../../inbound';
import { healthz } from '../helpers/raw-http';
import { startTestService, type TestService } from '../helpers/service';

/**
 * Issue 13, "Slowloris": a client that sends its request headers a byte at a time holds a
 * connection (and a file descriptor) for as long as the server lets it. Node's own defaults
 * (headersTimeout 60 s, checked every 30 s) let one connection live for up to 90 s; the
 * service sets its own timeouts and checks them every second.
 */
describe('a client that sends its headers slowly', () => {
  let service: TestService;
  let port: number;
  beforeAll(async () => {
    service = await startTestService();
    port = Number(new URL(service.url).port);
  });
  afterAll(() => service.dispose());

  it('runs with the documented timeouts', () => {
    const http = service.http.restify.server;
    expect(http.headersTimeout).toBe(HTTP_TIMEOUTS.headersMs);
    expect(http.requestTimeout).toBe(HTTP_TIMEOUTS.requestMs);
    expect(http.keepAliveTimeout).toBe(HTTP_TIMEOUTS.keepAliveMs);
    expect(HTTP_TIMEOUTS.headersMs).toBeLessThanOrEqual(10_000);
  });

  it('is cut off once the header timeout has passed, while others are still served', async () => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const started = Date.now();
    let received = '';
    socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now() - started)));
    socket.on('error', () => undefined);
    const bytes = 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ' + 'a'.repeat(10_000);
    let i = 0;
    const drip = setInterval(() => {
      if (socket.destroyed) return clearInterval(drip);
      socket.write(bytes[i % bytes.length]!);
      i += 1;
    }, 250);
    try {
      // Meanwhile the service answers everyone else.
      expect(await healthz(port)).toBe(200);
      const after = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(-1), HTTP_TIMEOUTS.headersMs + 5_000))]);
      expect(after).toBeGreaterThan(0);
      expect(after).toBeLessThan(HTTP_TIMEOUTS.headersMs + 3_000);
      // Node answers a request whose headers timed out with 408 before closing.
      expect(received).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  }, 30_000);
});
