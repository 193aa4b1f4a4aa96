import { translate, type WebexWebhook } from '../../core';
import { SANDBOX_WEBEX_BOT_TOKEN, SANDBOX_WEBEX_ORG_ID } from '../../sandbox/webex-api/webex-emulator';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { freePort } from '../helpers/processes';
import { startWebexOutside, type WebexOutside } from '../helpers/reliability';
import { startTestService } from '../helpers/service';
import { spacePerson } from '../helpers/webex-sandbox';

/**
 * Webex failing while the bot framework registers its webhooks at start. The framework does
 * not handle a failed webhook list (an unhandled rejection, which ends a Node process); the
 * service retries it and, when Webex keeps failing, runs on without the bot, says why, and
 * starts the bot again later.
 */
describe('the Webex bot starting while Webex answers 429 or 503', () => {
  let webex: WebexOutside;
  let proxy: FaultProxy;
  const webhooksList = (method: string, path: string) => method === 'GET' && path.endsWith('/v1/webhooks');
  const webhooksCreate = (method: string, path: string) => method === 'POST' && path.endsWith('/v1/webhooks');
  const auth = { authorization: `Bearer ${SANDBOX_WEBEX_BOT_TOKEN}` };

  beforeAll(async () => {
    webex = await startWebexOutside();
    const origin = new URL(webex.base).origin;
    proxy = await startFaultProxy(() => origin);
  });
  afterAll(async () => {
    await proxy.close();
    await webex.close();
  });
  beforeEach(async () => {
    for (const h of await hooks()) await fetch(`${webex.base}/v1/webhooks/${h.id}`, { method: 'DELETE', headers: auth });
  });

  async function hooks(): Promise<WebexWebhook[]> {
    return ((await (await fetch(`${webex.base}/v1/webhooks`, { headers: auth })).json()) as { items: WebexWebhook[] }).items;
  }

  async function start() {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const service = await startTestService({
      env: {
        EEN_PORT: String(port),
        EEN_PUBLIC_URL: publicUrl,
        WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN,
        WEBEX_WEBHOOK_SECRET: 'start-faults-secret',
        WEBEX_API_URL: `${proxy.url}/sandbox/webex/v1`,
      },
    });
    return { service, publicUrl };
  }

  it('waits out a 429 (Retry-After) and a 503, then registers once and answers', async () => {
    // The first list is the service's own look for old een-bridge webhooks; the next two are the framework's.
    proxy.inject({ kind: 'status', status: 429, retryAfterSeconds: 1 }, 3, webhooksList);
    proxy.inject({ kind: 'status', status: 503 }, 1, webhooksCreate);
    const { service, publicUrl } = await start();
    try {
      expect(proxy.pending()).toBe(0);
      expect((await hooks()).map((h) => `${h.resource}/${h.event} -> ${h.targetUrl}`).sort()).toEqual([
        `all/all -> ${publicUrl}/webex/events`,
        `attachmentActions/created -> ${publicUrl}/webex/events`,
      ]);
      // The bot is real here, so only organisations an administrator allowed are served.
      await service.organisations.allow('webex-org', SANDBOX_WEBEX_ORG_ID, 'test:admin');
      const person = spacePerson(webex.emulator, `${webex.base}/v1`, { token: 'start-faults-anouk', email: 'anouk@example.nl' });
      const room = await person.space('Na een storing');
      expect(await person.say(room, 'hulp')).toContain(translate('nl', 'webexbot.help').split('\n')[0]!);
    } finally {
      await service.dispose();
    }
  });

  it('runs on without the bot for now, logs why and tries again later, when Webex keeps answering 429', async () => {
    proxy.inject({ kind: 'status', status: 429, retryAfterSeconds: 1 }, 5, webhooksList);
    const { service } = await start();
    try {
      expect((await fetch(`${service.url}/readyz`)).status).toBe(200);
      const warning = service.logLines().find((l) => l.msg === 'could not register the Webex bot webhook');
      // Tried again in the background: a minute after the first failure, then longer.
      expect(warning).toMatchObject({ failures: 1, retryInSeconds: 60 });
      expect(JSON.stringify(warning)).toMatch(/could not register its Webex webhooks/);
      expect(JSON.stringify(warning)).toMatch(/429|Too many requests/i);
      expect(await hooks()).toEqual([]);
    } finally {
      await service.dispose();
    }
  });
});
