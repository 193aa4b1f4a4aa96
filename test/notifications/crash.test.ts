import { assertBuilt } from '../helpers/built';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpaceSettingsRepository, SubscriptionRepository, openStore, signJiraBody } from '../../core/internal';
import { createHttpServer, type HttpServer } from '../../inbound';
import { createEmulators } from '../../app/emulators';
import { mountEmulator } from '../../sandbox/emulator';
import { messagingOf } from '../../sandbox/webex-api/messaging-state';
import { SANDBOX_WEBEX_BOT_TOKEN, WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { memoryLogger } from '../helpers/service';
import { freePort, spawnCli, waitFor, type RunningCli } from '../helpers/processes';
import { createSpace, webexCall } from '../helpers/webex-sandbox';
import { jiraIssueUpdated } from '../fixtures/jira-webhooks';
import { distinctDeliveriesCarried, expectThreadedExactlyOnce, storedDeliveries } from '../helpers/thread-delivery';

/**
 * kill -9 of `een-bridge serve` while Jira webhooks pour in, at a moment when acknowledged events
 * are still waiting for the router to fan them out to spaces. Webex is an emulator in this test
 * process, so it outlives the service and counts what arrived. Jira retries what it did not see
 * acknowledged, with the same X-Atlassian-Webhook-Identifier; so does this test after the restart.
 *
 * Threads and digests are on (issue 15): the changes are about five issues, in runs of four, so
 * threads start and fill while bursts fold; one space sends at once, the others fold for the
 * default window. Exactly-once per space, per-space order and every reply in its item's thread
 * are checked against the store's deliveries (test/helpers/thread-delivery.ts).
 */
describe('a crash while webhooks are being accepted', () => {
  const secret = 'crash-test-jira-secret';
  let dataDir: string;
  let webexServer: HttpServer;
  let emulator: WebexEmulator;
  let webexBase: string;
  let service: RunningCli | undefined;

  beforeAll(async () => {
    // npm test compiles dist/ first (pretest); the process under test is the compiled one.
    assertBuilt();
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-crash-'));
    emulator = createEmulators().find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    webexServer = createHttpServer({ bodyLimitBytes: 1 << 20, log: memoryLogger().log, isReady: async () => true });
    mountEmulator(webexServer.restify, emulator);
    const address = await webexServer.listen(0, '127.0.0.1');
    webexBase = `http://127.0.0.1:${address.port}/sandbox/webex`;
  }, 120_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
    await webexServer.close(100);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers every acknowledged event exactly once after the restart', async () => {
    // Two 1:1 spaces (the bot can list them, so an in-doubt send is checked) and one group space.
    const direct = [];
    for (const email of ['anouk@example.nl', 'pieter@example.nl']) {
      const hello = await webexCall<{ roomId: string }>(webexBase, 'POST', '/messages', { toPersonEmail: email, text: 'Hoi' });
      direct.push(hello.body.roomId);
    }
    const group = await createSpace(webexBase, 'Klantportaal');
    const spaces = [...direct, group];

    const store = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    await store.migrate();
    for (const spaceId of spaces) await new SubscriptionRepository(store.db).subscribe({ spaceId, source: 'jira', sourceKey: 'KAN', locale: 'en' });
    await new SpaceSettingsRepository(store.db).setDigestWindow(direct[0]!, 0, 'test');
    await store.close();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      EEN_DATA_DIR: dataDir,
      EEN_PORT: String(port),
      EEN_HOST: '127.0.0.1',
      EEN_LOG_LEVEL: 'info',
      JIRA_WEBHOOK_SECRET: secret,
      WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN,
      WEBEX_WEBHOOK_SECRET: 'unused-here',
      WEBEX_API_URL: `${webexBase}/v1`,
    };
    const start = async () => {
      service = spawnCli(['serve'], env);
      await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, 60_000, 'the service to be ready');
    };
    const send = async (n: number): Promise<boolean> => {
      // Change n is about one of five issues, its own body (changelog id), the same body when retried.
      const body = JSON.stringify({ ...jiraIssueUpdated, issue: { ...jiraIssueUpdated.issue, key: `KAN-${1 + (Math.floor(n / 4) % 5)}` }, changelog: { ...jiraIssueUpdated.changelog, id: String(40_000 + n) } });
      try {
        const res = await fetch(`${url}/hooks/jira`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature': signJiraBody(body, secret), 'x-atlassian-webhook-identifier': `crash-${n}` },
          body,
        });
        return res.status === 202;
      } catch {
        return false;
      }
    };

    await start();
    const acknowledged = new Set<number>();
    const unacknowledged = new Set<number>();
    let next = 1;
    let killed = false;
    const sender = async () => {
      while (!killed) {
        const n = next++;
        if (await send(n)) acknowledged.add(n);
        else unacknowledged.add(n);
      }
    };
    const senders = Array.from({ length: 6 }, sender);
    await waitFor(async () => acknowledged.size >= 150, 60_000, '150 acknowledged webhooks');
    // The crash must fall between acknowledgement and routing (issue 17: the router fans an event
    // out after its 202): kill when the store lists accepted events not yet routed, and count
    // them once the process is gone; should the router have caught up in between, start again.
    const reader = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    const unrouted = async () => Number((await reader.db.selectFrom('notification_unrouted').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    let unroutedAtCrash = 0;
    for (let attempt = 1; unroutedAtCrash === 0; attempt += 1) {
      const until = Date.now() + 20_000;
      while ((await unrouted()) === 0 && Date.now() < until) await new Promise((r) => setImmediate(r));
      service!.child.kill('SIGKILL');
      await service!.exited;
      unroutedAtCrash = await unrouted();
      if (unroutedAtCrash === 0 && attempt < 10) await start();
      else break;
    }
    killed = true;
    await Promise.all(senders);
    await reader.close();
    expect(unroutedAtCrash).toBeGreaterThan(0);
    const messagesBeforeCrash = messagingOf(emulator.context).messages.length - direct.length;

    await start();
    // Jira retries what it did not see acknowledged.
    for (const n of unacknowledged) expect(await send(n)).toBe(true);
    const all = [...acknowledged, ...unacknowledged];
    // Bursts go out as digests, so count the deliveries the messages carry, not the messages.
    const check = openStore({ kind: 'sqlite', file: path.join(dataDir, 'een-bridge.db') });
    let deliveries;
    try {
      const carried = () => distinctDeliveriesCarried(messagingOf(emulator.context).messages);
      await waitFor(async () => carried() >= all.length * spaces.length, 120_000, 'every delivery');
      // The backlog went out folded, mostly about several issues (top level): two more changes to
      // one issue, each delivered before the next, so the space without a window has a reply in
      // that issue's thread for certain.
      for (const n of [4 * Math.ceil(next / 4) + 4, 4 * Math.ceil(next / 4) + 5]) {
        expect(await send(n)).toBe(true);
        all.push(n);
        await waitFor(async () => carried() >= all.length * spaces.length, 30_000, 'the change to one issue');
      }
      deliveries = await storedDeliveries(check.db);
    } finally {
      await check.close();
    }
    await new Promise((r) => setTimeout(r, 1_000)); // anything sent twice would show by now
    const restartLog = service!.output();
    service!.child.kill('SIGTERM');
    expect(await service!.exited).toBe(0);

    expect(deliveries.size).toBe(all.length * spaces.length);
    // A 1:1 space is checked for an in-doubt send; a group space cannot be listed by a bot,
    // so only a send the service logged as ambiguous may show up twice there.
    const ambiguous = restartLog.split('\n').filter((l) => l.includes('may duplicate')).length;
    const report = expectThreadedExactlyOnce(messagingOf(emulator.context).messages, deliveries, { groupSpaces: [group], ambiguous });
    expect(report.replies).toBeGreaterThan(0);
    console.log(
      `crash test: ${acknowledged.size} acknowledged and ${unacknowledged.size} unacknowledged before kill -9, ${unroutedAtCrash} acknowledged but not yet routed; ` +
        `${messagesBeforeCrash} messages (single or digest) before the crash, ${messagingOf(emulator.context).messages.length - direct.length} in all; after restart all ${all.length * spaces.length} deliveries made ` +
        `in ${report.messages} messages, ${report.threads} threads, ${report.replies} replies; ${ambiguous} in-doubt group-space sends resent, ${report.duplicates} duplicates`,
    );
  }, 300_000);
});
