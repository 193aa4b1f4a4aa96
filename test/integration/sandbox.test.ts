import type { Next, Request, Response, Server } from 'restify';
import { RequestLog } from '../../sandbox/request-log';
import { recordInto, type Emulator } from '../../sandbox/emulator';
import { startTestService } from '../helpers/service';

/** A tiny emulator of "Jira", just to prove how emulators are mounted and gated. */
function echoEmulator(): Emulator {
  const log = new RequestLog();
  return {
    name: 'echo',
    serves: ['jira'],
    log,
    mount(server: Server, base: string) {
      server.post(`${base}/things`, recordInto(log), (_req: Request, res: Response, next: Next) => {
        res.send(201, { ok: true });
        next();
      });
    },
  };
}

describe('sandbox emulators', () => {
  it('are mounted under /sandbox/<name>/ and log what they receive, without credentials', async () => {
    const service = await startTestService({ emulators: [echoEmulator()] });
    try {
      const res = await fetch(`${service.url}/sandbox/echo/things?x=1`, {
        method: 'POST',
        body: '{"a":1}',
        headers: { 'content-type': 'application/json', authorization: 'Bearer very-secret' },
      });
      expect(res.status).toBe(201);
      const log = (await (await fetch(`${service.url}/sandbox/echo/_log`)).json()) as { requests: { method: string; path: string; query: unknown; body: string; headers: Record<string, string> }[] };
      expect(log.requests).toHaveLength(1);
      expect(log.requests[0]).toMatchObject({ method: 'POST', path: '/sandbox/echo/things', query: { x: '1' }, body: '{"a":1}' });
      expect(log.requests[0]?.headers.authorization).toBe('[hidden]');
    } finally {
      await service.dispose();
    }
  });

  it('are never reachable with EEN_SANDBOX=off', async () => {
    const service = await startTestService({ emulators: [echoEmulator()], env: { EEN_SANDBOX: 'off', EEN_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') } });
    try {
      expect((await fetch(`${service.url}/sandbox/echo/_log`)).status).toBe(404);
      expect((await fetch(`${service.url}/sandbox/echo/things`, { method: 'POST' })).status).toBe(404);
      expect((await fetch(`${service.url}/sandbox/webex/_log`)).status).toBe(404);
    } finally {
      await service.dispose();
    }
  });

  it('are not mounted for a system that has real settings', async () => {
    const service = await startTestService({ emulators: [echoEmulator()], env: { JIRA_WEBHOOK_SECRET: 'real-secret' } });
    try {
      expect((await fetch(`${service.url}/sandbox/echo/_log`)).status).toBe(404);
      expect(service.logLines().some((l) => l.msg === 'Jira Cloud: real')).toBe(true);
    } finally {
      await service.dispose();
    }
  });

  it('include the Webex API with bearer auth and its error shape', async () => {
    const service = await startTestService();
    try {
      const anonymous = await fetch(`${service.url}/sandbox/webex/v1/people/me`);
      expect(anonymous.status).toBe(401);
      const body = (await anonymous.json()) as { message: string; errors: { description: string }[]; trackingId: string };
      expect(body.message).toMatch(/valid access token/);
      expect(body.trackingId).toMatch(/^SANDBOX_/);
      const me = await fetch(`${service.url}/sandbox/webex/v1/people/me`, { headers: { authorization: 'Bearer sandbox-webex-bot-token' } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ type: 'bot', displayName: 'een-bridge' });
    } finally {
      await service.dispose();
    }
  });
});
