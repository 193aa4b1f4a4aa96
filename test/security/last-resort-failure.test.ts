import type { Next, Request, Response } from 'restify';
import { UserError, translate } from '../../core';
import { createHttpServer, type HttpServer } from '../../inbound';
import { memoryLogger } from '../helpers/service';

/**
 * Issue 14, one failure presenter: the inbound server's last resort (a handler that throws, an
 * async handler that rejects, an error passed to next()) answers through core/failure.ts like
 * every surface: JSON `{ error: { code, message, ref } }`, the message in the language the request
 * asks for, the reference the one logged beside the error, and the process keeps serving.
 */
describe('the inbound server’s last-resort answer', () => {
  let server: HttpServer;
  let base = '';
  const { log, lines } = memoryLogger();

  beforeAll(async () => {
    server = createHttpServer({ bodyLimitBytes: 1 << 20, log, isReady: async () => true });
    const r = server.restify;
    r.get('/test-only/throws', (_req: Request, _res: Response, _next: Next) => {
      throw new Error('disk on fire at /var/lib/een');
    });
    r.get('/test-only/rejects', async (_req: Request, _res: Response) => {
      throw new Error('disk on fire, asynchronously');
    });
    r.get('/test-only/next-error', (_req: Request, _res: Response, next: Next) => {
      next(new Error('disk on fire, passed to next'));
    });
    r.get('/test-only/user-error', (_req: Request, _res: Response, _next: Next) => {
      throw new UserError('calling.callNotFound', {}, 404);
    });
    const at = await server.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${at.port}`;
  });
  afterAll(() => server.close(0));

  /** The error-level log line that carries `ref`. */
  const loggedWith = (ref: string) => lines().find((l) => l.ref === ref && l.level === 50);

  it.each([
    ['/test-only/throws', 'nl-NL,nl;q=0.9,en;q=0.5', 'nl'],
    ['/test-only/rejects', 'en-GB', 'en'],
    ['/test-only/next-error', 'nl', 'nl'],
    ['/test-only/throws', undefined, 'en'],
  ] as const)('GET %s (Accept-Language %p) is a 500 with a reference, in %s', async (route, acceptLanguage, language) => {
    const res = await fetch(`${base}${route}`, { headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as { error: { code: string; message: string; ref?: string } };
    const ref = body.error.ref ?? '';
    expect(ref).toMatch(/^[0-9a-f]{8}$/);
    expect(body).toEqual({ error: { code: 'http.internal', message: translate(language, 'http.internal', { ref }), ref } });
    expect(JSON.stringify(body)).not.toContain('disk on fire');
    const line = loggedWith(ref);
    expect(line).toBeDefined();
    expect(String((line!.err as { message?: string }).message)).toContain('disk on fire');
    // The process is still up and serving.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('answers a person’s own mistake thrown by a handler with its own status and message, no reference', async () => {
    const res = await fetch(`${base}/test-only/user-error`, { headers: { 'accept-language': 'nl' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'calling.callNotFound', message: translate('nl', 'calling.callNotFound') } });
  });
});
