import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { SANDBOX_JIRA_WEBHOOK_SECRET, SubscriptionRepository, translate } from '../../core/internal';
import { createHttpServer, type HttpServer } from '../../inbound';
import { XsiEmulator } from '../../sandbox/broadworks-xsi/xsi-emulator';
import { TrelloEmulator } from '../../sandbox/trello-api/trello-emulator';
import { mountEmulator } from '../../sandbox/emulator';
import { SANDBOX_WEBEX_CLIENT_ID } from '../../sandbox/webex-api/webex-emulator';
import type { ConnectorActivity, TeamsConnectorEmulator } from '../../sandbox/teams-connector/connector-emulator';
import { startFaultProxy, type Fault, type FaultProxy } from '../helpers/fault-proxy';
import { deliveredKeys, expectExactlyOnce, notificationSpaces, sendJira, startWebexOutside, type WebexOutside } from '../helpers/reliability';
import { freePort } from '../helpers/processes';
import { allowSources, allowWriting, spacePerson } from '../helpers/webex-sandbox';
import { memoryLogger, startTestService, type TestService } from '../helpers/service';
import { connectWebex, postSigned, runCommand, slashCommand, textOf } from '../slack/slack-helpers';

/**
 * Webex (for the outbox), KPN EEN's Xsi (for calls from Teams) and Trello (for the Webex bot's
 * commands) sit behind a fault-injecting
 * proxy answering 500, 503 and 429 storms, resets and 10 s stalls. Meanwhile /healthz and Slack
 * slash-command acks are timed: the service must stay responsive, retry deliveries without
 * duplicating them, and tell a Teams user or a Webex space in their language what failed.
 */
const teamsFixture = JSON.parse(readFileSync(path.join(__dirname, '../fixtures/teams/message-activity.json'), 'utf8')) as Record<string, unknown>;

/**
 * Generous bounds for a loaded 2-CPU machine, where the service shares its event loop with the
 * test and a garbage collection or a busy neighbour can stall one probe for a second: most
 * probes must be quick, and none may come near two missed liveness probes (1 s timeout each)
 * or Slack's 3 s for an ack.
 */
const HEALTHZ_P95_MS = 250;
const HEALTHZ_MAX_MS = 2_000;
const SLACK_ACK_MAX_MS = 2_500;

describe('upstream fault storms', () => {
  const jiraSecret = SANDBOX_JIRA_WEBHOOK_SECRET;
  let webex: WebexOutside;
  let xsiServer: HttpServer;
  let webexProxy: FaultProxy;
  let xsiProxy: FaultProxy;
  let trelloProxy: FaultProxy;
  let service: TestService;
  let connector: TeamsConnectorEmulator;
  const healthz: number[] = [];
  const slackAcks: number[] = [];
  let probing = true;
  let probes: Promise<void>[] = [];

  beforeAll(async () => {
    webex = await startWebexOutside();
    xsiServer = createHttpServer({ bodyLimitBytes: 1 << 20, log: memoryLogger().log, isReady: async () => true });
    mountEmulator(xsiServer.restify, new XsiEmulator({ alertingMs: 300, activeMs: 60_000 }));
    mountEmulator(xsiServer.restify, new TrelloEmulator());
    const xsiPort = (await xsiServer.listen(0, '127.0.0.1')).port;
    const webexOrigin = new URL(webex.base).origin;
    webexProxy = await startFaultProxy(() => webexOrigin);
    xsiProxy = await startFaultProxy(() => `http://127.0.0.1:${xsiPort}`);
    trelloProxy = await startFaultProxy(() => `http://127.0.0.1:${xsiPort}`);
    // Webex must know where to send the bot's events, and the bot framework registers its
    // webhooks there at start: the service's public URL, so a port chosen before it starts.
    const port = await freePort();
    // The emulated Webex integration sends browsers only to the service's own callback.
    webex.emulator.registerRedirectUri(SANDBOX_WEBEX_CLIENT_ID, `http://127.0.0.1:${port}/oauth/webex/callback`);
    // Sandbox mode (sandbox is all or nothing, issue 13), with Webex, Xsi and Trello reached
    // through the fault proxies in front of emulators outside the service.
    service = await startTestService({
      env: { EEN_PORT: String(port), EEN_PUBLIC_URL: `http://127.0.0.1:${port}` },
      sandboxUpstreams: {
        webex: `${webexProxy.url}/sandbox/webex`,
        xsi: `${xsiProxy.url}/sandbox/xsi`,
        trello: `${trelloProxy.url}/sandbox/trello`,
      },
    });
    connector = service.emulators.find((e) => e.name === 'teams') as TeamsConnectorEmulator;
    // Probes run through both storms: liveness and Slack's 3 s ack must not depend on upstreams.
    probes = [
      (async () => {
        while (probing) {
          const began = performance.now();
          const res = await fetch(`${service.url}/healthz`);
          await res.arrayBuffer();
          healthz.push(performance.now() - began);
          expect(res.status).toBe(200);
          await new Promise((r) => setTimeout(r, 100));
        }
      })(),
      (async () => {
        while (probing) {
          // Someone without a Webex account: the ack and answer need no Webex call, so the probe
          // never takes a fault a test queued.
          const ack = await postSigned(service, slashCommand(service, '', 'U0PROBE').form, 'application/x-www-form-urlencoded');
          expect(ack.status).toBe(200);
          slackAcks.push(ack.ms);
          await new Promise((r) => setTimeout(r, 300));
        }
      })(),
    ];
  }, 60_000);

  afterAll(async () => {
    probing = false;
    await Promise.allSettled(probes);
    await service?.dispose();
    await webexProxy?.close();
    await xsiProxy?.close();
    await trelloProxy?.close();
    await xsiServer?.close(100);
    await webex?.close();
    const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]?.toFixed(1);
    console.log(
      `upstream faults: /healthz ${healthz.length} probes p50 ${p(healthz, 0.5)} ms max ${p(healthz, 1)} ms; ` +
        `Slack acks ${slackAcks.length} p50 ${p(slackAcks, 0.5)} ms max ${p(slackAcks, 1)} ms; ` +
        `Webex faults served ${JSON.stringify(Object.fromEntries(webexProxy?.served ?? []))}, Xsi ${JSON.stringify(Object.fromEntries(xsiProxy?.served ?? []))}`,
    );
  });

  it('delivers every notification exactly once through a Webex fault storm', async () => {
    const spaces = await notificationSpaces(webex);
    const subscriptions = new SubscriptionRepository(service.store.db);
    for (const spaceId of spaces.all) await subscriptions.subscribe({ spaceId, source: 'jira', sourceKey: 'KAN', locale: 'en' });

    const storm: [Fault, number][] = [
      [{ kind: 'status', status: 500 }, 2],
      [{ kind: 'status', status: 503 }, 2],
      [{ kind: 'status', status: 429, retryAfterSeconds: 1 }, 2],
      [{ kind: 'reset' }, 2],
      // Longer than the client's 10 s timeout: the service gives up and the proxy forwards nothing.
      [{ kind: 'slow', ms: 11_000 }, 1],
    ];
    // Only the notifications' own sends: the bot framework's SDK talks to Webex through the
    // same proxy and must not take the faults meant for the outbox.
    const messageSend = (method: string, path: string) => method === 'POST' && path.endsWith('/v1/messages');
    for (const [fault, times] of storm) webexProxy.inject(fault, times, messageSend);
    const events = Array.from({ length: 30 }, (_, i) => i + 1);
    // Accepting webhooks does not wait for Webex.
    for (const n of events) expect(await sendJira(service.url, jiraSecret, n)).toBe(202);

    await waitUntil(() => webexProxy.pending() === 0 && deliveredKeys(webex.messages()) >= events.length * spaces.all.length, 90_000, 'every delivery after the storm');
    await new Promise((r) => setTimeout(r, 1_000)); // anything sent twice would show by now
    // No lease ran out, so nothing was in doubt: no duplicate at all, group space included.
    expect(expectExactlyOnce(webex.messages(), spaces, events, 0)).toBe(0);
    const statuses = await sql<{ status: string; n: number }>`select status, count(*) as n from notification_deliveries group by status`.execute(service.store.db);
    expect(statuses.rows.map((r) => [r.status, Number(r.n)])).toEqual([['delivered', events.length * spaces.all.length]]);
    // 500, 503, resets and the timeout are failed attempts retried with backoff; 429 pauses without counting.
    const retried = service.logLines().filter((l) => l.msg === 'notification delivery failed; will retry');
    expect(retried.length).toBeGreaterThanOrEqual(7);
    expect(new Set(retried.map((l) => l.status ?? 'network'))).toEqual(new Set([500, 503, 'network']));
  }, 120_000);

  describe('a Teams user calling while KPN EEN fails', () => {
    const callFromTeams = async (locale: string) => {
      connector.activities.length = 0;
      const began = performance.now();
      const res = await fetch(`${service.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...teamsFixture, locale, serviceUrl: `${service.url}/sandbox/teams/`, id: `${Date.now()}`, text: 'call 06 1234 5678' }),
      });
      expect(res.status).toBe(200);
      const ms = performance.now() - began;
      const reply = connector.activities.find((a: ConnectorActivity) => a.operation === 'reply');
      return { ms, text: JSON.stringify(reply?.activity ?? {}) };
    };

    // Only the call's own POST takes the fault: the status polls of the call placed in beforeAll
    // (its CallWatcher) go through the same proxy and took the 429 meant for the next call once.
    const placing = (method: string, path: string) => method === 'POST' && path.split('?')[0]!.endsWith('/calls/new');

    beforeAll(async () => {
      // One good call links the Teams user to their line (directory lookups); later calls only POST.
      expect((await callFromTeams('en-US')).text).toContain('Calling 06 12345678');
    });

    it.each([
      ['503', { kind: 'status', status: 503 } as Fault, 'calling.xsi.unavailable', 'en-US'],
      ['500', { kind: 'status', status: 500 } as Fault, 'calling.xsi.unavailable', 'nl-NL'],
      ['a reset', { kind: 'reset' } as Fault, 'calling.xsi.unavailable', 'nl-NL'],
      ['a 10 s stall', { kind: 'slow', ms: 10_000 } as Fault, 'calling.xsi.timeout', 'nl-NL'],
    ] as const)('says what failed on %s (%s)', async (_name, fault, key, locale) => {
      xsiProxy.inject(fault, 1, placing);
      const { ms, text } = await callFromTeams(locale);
      expect(xsiProxy.pending()).toBe(0);
      expect(text).toContain(translate(locale, key));
      expect(text).not.toContain('Calling 06 12345678');
      // Teams waits 15 s for the bot; Xsi's own timeout is 5 s.
      expect(ms).toBeLessThan(12_000);
    }, 30_000);

    it('says how long to wait on a 429 with Retry-After', async () => {
      xsiProxy.inject({ kind: 'status', status: 429, retryAfterSeconds: 30 }, 1, placing);
      const { text } = await callFromTeams('nl-NL');
      expect(text).toContain(translate('nl-NL', 'upstream.rateLimited', { system: 'KPN EEN', seconds: 30 }));
    });
  });

  describe('a Webex space asking for a Trello card while Trello fails', () => {
    let say: (text: string) => Promise<string>;
    // `trello card` first looks up the board's lists; the service also calls Trello in the background.
    const listsLookup = (method: string, path: string) => method === 'GET' && /\/boards\/[^/]+\/lists/.test(path);

    beforeAll(async () => {
      // The bot framework registered its webhooks at EEN_PUBLIC_URL when the service started.
      const person = spacePerson(webex.emulator, `${webex.base}/v1`, { token: 'faults-anouk-token', email: 'anouk@example.nl' });
      const room = await person.space('Trello storing');
      // The board listed and writing granted by an administrator (issue 13): these tests are
      // about Trello failing. (Sandbox mode serves the sandbox's own Webex organisation.)
      await allowSources(service, [['trello', 'SbxDemo1']]);
      await allowWriting(service, room);
      say = (text) => person.say(room, text);
      // Following only the list Done keeps notifications of the cards made in Doing out of the
      // space, so each answer read is the answer to the command just said.
      expect(await say('subscribe trello https://trello.com/b/SbxDemo1/een-bridge-demo Done')).toContain('een-bridge demo');
    });

    it.each([
      ['503', { kind: 'status', status: 503 } as Fault, 'trello card Doing Storing', 'en', 'upstream.unavailable'],
      ['500', { kind: 'status', status: 500 } as Fault, 'trello kaart Doing Storing', 'nl', 'upstream.unavailable'],
      ['a reset', { kind: 'reset' } as Fault, 'trello kaart Doing Storing', 'nl', 'upstream.unavailable'],
    ] as const)('says what failed on %s (%s)', async (_name, fault, command, language, key) => {
      trelloProxy.inject(fault, 1, listsLookup);
      const reply = await say(command);
      expect(reply).toBe(translate(language, 'webexbot.failed', { reason: translate(language, key, { system: 'Trello' }) }));
      expect(trelloProxy.pending()).toBe(0);
      // Trello is back: the same command works, once.
      expect(await say(command)).toContain('Storing');
    });

    it('says how long to wait on a 429 with Retry-After', async () => {
      trelloProxy.inject({ kind: 'status', status: 429, retryAfterSeconds: 20 }, 1, listsLookup);
      const reply = await say('trello card Doing Storing');
      expect(reply).toBe(translate('en', 'webexbot.failed', { reason: translate('en', 'upstream.rateLimited', { system: 'Trello', seconds: 20 }) }));
    });
  });

  describe('Slack /webex while Webex Meetings fails', () => {
    const meetingCreate = (method: string, path: string) => method === 'POST' && path.endsWith('/v1/meetings');

    beforeAll(async () => {
      await connectWebex(service, 'U0BOB');
      // A title of two words (one unknown word would get the help).
      expect(textOf((await runCommand(service, 'Storing overleg', 'U0BOB')).answer)).toContain('*Storing overleg*');
    });

    it.each([
      ['503', { kind: 'status', status: 503 } as Fault, 'upstream.unavailable', {}],
      ['a reset', { kind: 'reset' } as Fault, 'upstream.unavailable', {}],
      ['a 429 storm', { kind: 'status', status: 429, retryAfterSeconds: 7 } as Fault, 'upstream.rateLimited', { seconds: 7 }],
      ['an 11 s stall', { kind: 'slow', ms: 11_000 } as Fault, 'upstream.unavailable', {}],
    ] as const)('acks at once and says what failed on %s', async (_name, fault, key, params) => {
      webexProxy.inject(fault, fault.kind === 'status' && fault.status === 429 ? 5 : 1, meetingCreate);
      // A stall outlasts the client's 10 s timeout before the answer can say so.
      const { ack, answer } = await runCommand(service, 'Storing overleg', 'U0BOB', undefined, 20_000);
      expect(ack.status).toBe(200);
      expect(ack.ms).toBeLessThan(SLACK_ACK_MAX_MS);
      expect(textOf(answer)).toBe(translate('en', key, { system: 'Webex', ...params }));
      // A 429 storm: each try is told to wait, until Webex lets it through.
      while (webexProxy.pending() > 0) expect(textOf((await runCommand(service, 'Storing overleg', 'U0BOB')).answer)).toBe(translate('en', key, { system: 'Webex', ...params }));
      expect(textOf((await runCommand(service, 'Storing overleg', 'U0BOB')).answer)).toContain('*Storing overleg*');
    }, 40_000);
  });

  it('stayed responsive throughout', () => {
    expect(healthz.length).toBeGreaterThan(20);
    expect(slackAcks.length).toBeGreaterThan(10);
    expect([...healthz].sort((a, b) => a - b)[Math.floor(healthz.length * 0.95)]).toBeLessThan(HEALTHZ_P95_MS);
    expect(Math.max(...healthz)).toBeLessThan(HEALTHZ_MAX_MS);
    expect(Math.max(...slackAcks)).toBeLessThan(SLACK_ACK_MAX_MS);
  });
});

async function waitUntil(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
