import type { Next, Request, Response } from 'restify';
import { createHttpServer, lazyRoute, type HttpServer } from '../../inbound';
import { memoryLogger } from '../helpers/service';

/**
 * inbound/lazy-route.ts: the Teams and Slack routes make their handler (and load their SDK) at
 * their first request (issue 17). Requests that arrive while it loads wait for it; a load that
 * fails is a 500 with a reference and is tried again at the next request.
 */
describe('a route made at its first request', () => {
  let server: HttpServer;
  let base: string;
  let makes = 0;
  let failNext = false;
  let release: (() => void) | undefined;
  const { log, lines } = memoryLogger();

  beforeAll(async () => {
    server = createHttpServer({ bodyLimitBytes: 1 << 20, log, isReady: async () => true });
    server.restify.post(
      '/lazy',
      lazyRoute(
        async () => {
          makes++;
          if (failNext) {
            failNext = false;
            throw new Error('the SDK could not be loaded');
          }
          await new Promise<void>((resolve) => (release = resolve));
          return (_req: Request, res: Response, next: Next) => {
            res.send(200, { made: makes });
            next();
          };
        },
        log,
        'lazy-test',
      ),
    );
    const address = await server.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(() => server.close(100));

  const post = () => fetch(`${base}/lazy`, { method: 'POST' }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it('answers a failed load as a failure with a reference, and loads again at the next request', async () => {
    failNext = true;
    const failed = await post();
    expect(failed.status).toBe(500);
    const ref = (failed.body.error as { ref?: string }).ref;
    expect(ref).toEqual(expect.any(String));
    // Logged with the same reference and where it happened.
    expect(lines().find((l) => l.ref === ref)).toMatchObject({ where: 'lazy-test', err: { message: 'the SDK could not be loaded' } });
    expect(makes).toBe(1);

    // Two requests while the handler is being made: both wait for the one load.
    const first = post();
    const second = post();
    while (!release) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    expect(makes).toBe(2);
    release();
    expect(await first).toEqual({ status: 200, body: { made: 2 } });
    expect(await second).toEqual({ status: 200, body: { made: 2 } });
    // Made once: later requests use it.
    expect(await post()).toEqual({ status: 200, body: { made: 2 } });
    expect(makes).toBe(2);
  });
});
