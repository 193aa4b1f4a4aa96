import { sql } from 'kysely';
import { SpaceSettingsRepository, openStore, type Store } from '../../core/internal';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { assertBuilt } from '../helpers/built';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { freePort, spawnCli, waitFor, type RunningCli } from '../helpers/processes';
import { notificationSpaces, sendJira, startWebexOutside, subscribeAll, type WebexOutside } from '../helpers/reliability';
import { distinctDeliveriesCarried, expectThreadedExactlyOnce, storedDeliveries } from '../helpers/thread-delivery';

/**
 * Three `een-bridge serve` processes on one PostgreSQL database share one outbox; Webex is an
 * emulator in this test process. Webhooks are spread over the replicas and one is killed with
 * SIGKILL mid-run, while it is sending: its Webex goes through a proxy that stalls each request
 * once the load is on. Its leases run out (60 s) and the others take its deliveries over,
 * checking the space first. Longer than a minute, so it runs under `npm run test:soak`.
 *
 * Threads and digests are on (issue 15): the changes are about seven issues, in runs of five, so
 * items' threads start and fill while bursts fold into digests; two spaces fold for the service's
 * default window (WEBEX_DIGEST_SECONDS, 3 s), one sends at once. Exactly-once per space, per-space
 * order and every reply in its item's thread are checked against the store's deliveries
 * (test/helpers/thread-delivery.ts; the light version is test/notifications/threads-exactly-once.test.ts).
 */
const threaded = { items: 7, run: 5 };
describe('three replicas on one PostgreSQL', () => {
  const secret = 'replicas-jira-secret';
  let pg: PrivatePostgres;
  let webex: WebexOutside;
  let store: Store | undefined;
  let victimProxy: FaultProxy | undefined;
  const replicas: { cli: RunningCli; url: string }[] = [];

  beforeAll(async () => {
    assertBuilt();
    pg = await startPrivatePostgres();
    webex = await startWebexOutside();
  }, 120_000);

  afterAll(async () => {
    for (const r of replicas) if (r.cli.child.exitCode === null) r.cli.child.kill('SIGKILL');
    await store?.close();
    await victimProxy?.close();
    await webex?.close();
    await pg?.dispose();
  });

  it('delivers every acknowledged event once, leaves none behind, and survives losing a replica', async () => {
    const spaces = await notificationSpaces(webex);
    store = openStore({ kind: 'postgres', url: pg.url });
    await store.migrate();
    await subscribeAll(store, spaces.all);
    await new SpaceSettingsRepository(store.db).setDigestWindow(spaces.direct[0]!, 0, 'soak');

    const webexOrigin = new URL(webex.base).origin;
    victimProxy = await startFaultProxy(() => webexOrigin);
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const webexApi = i === 1 ? `${victimProxy.url}/sandbox/webex/v1` : `${webex.base}/v1`;
      const cli = spawnCli(['serve'], {
        EEN_DATA_DIR: pg.dataDir,
        EEN_PORT: String(port),
        EEN_HOST: '127.0.0.1',
        // debug: each replica logs the deliveries it made, which shows the outbox is shared.
        EEN_LOG_LEVEL: 'debug',
        DATABASE_URL: pg.url,
        JIRA_WEBHOOK_SECRET: secret,
        WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN,
        WEBEX_WEBHOOK_SECRET: 'unused-here',
        WEBEX_API_URL: webexApi,
      });
      replicas.push({ cli, url: `http://127.0.0.1:${port}` });
    }
    for (const r of replicas) await waitFor(async () => (await fetch(`${r.url}/readyz`)).status === 200, 60_000, 'a replica to be ready');

    const victim = replicas[1]!;
    let killed = false;
    const alive = () => replicas.filter((r) => r.cli.child.exitCode === null && !(killed && r === victim));
    const acknowledged = new Set<number>();
    const refused = new Set<number>();
    const perReplica = replicas.map(() => 0);
    let next = 1;
    let sending = true;
    const sender = async () => {
      while (sending) {
        const n = next++;
        const targets = alive();
        const target = targets[n % targets.length]!;
        const status = await sendJira(target.url, secret, n, undefined, threaded);
        if (status === 202) {
          acknowledged.add(n);
          perReplica[replicas.indexOf(target)]!++;
        } else refused.add(n);
      }
    };
    const senders = Array.from({ length: 6 }, sender);
    try {
      await waitFor(async () => acknowledged.size >= 150, 60_000, '150 acknowledged webhooks');
      // From now on the victim's sends hang, so it is killed holding claimed deliveries.
      victimProxy.inject({ kind: 'slow', ms: 120_000 }, 1_000);
      await waitFor(async () => (victimProxy!.served.get('slow') ?? 0) >= 1, 30_000, 'the victim to be mid-send');
      killed = true;
      victim.cli.child.kill('SIGKILL');
      await victim.cli.exited;
      const atKill = acknowledged.size;
      await waitFor(async () => acknowledged.size >= atKill + 150, 60_000, '150 more acknowledged webhooks on the two left');
    } finally {
      sending = false;
      await Promise.all(senders);
    }

    // Jira retries what it did not see acknowledged, here on a replica that is still up.
    for (const n of refused) expect(await sendJira(alive()[0]!.url, secret, n, undefined, threaded)).toBe(202);
    const events = [...acknowledged, ...refused];
    // The victim's leases (60 s) must run out before its claimed deliveries are taken over.
    await waitFor(async () => distinctDeliveriesCarried(webex.messages()) >= events.length * spaces.all.length, 180_000, 'every delivery');
    await waitFor(
      async () => Number((await sql<{ n: number }>`select count(*) as n from notification_deliveries where status <> 'delivered'`.execute(store!.db)).rows[0]?.n) === 0,
      30_000,
      'the outbox to be empty',
    );
    await new Promise((r) => setTimeout(r, 1_000)); // anything sent twice would show by now

    // The survivors looked for the victim's in-doubt sends before making them (1:1 spaces are listed).
    const lookups = (await (await fetch(`${webex.base}/_log`)).json()) as { requests: { method: string; path: string }[] };
    const checks = lookups.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/v1/messages')).length;
    expect(checks).toBeGreaterThan(0);
    const logs = replicas.map((r) => r.cli.output());
    const ambiguous = logs.reduce((n, l) => n + l.split('\n').filter((line) => line.includes('may duplicate')).length, 0);
    const deliveries = await storedDeliveries(store.db);
    expect(deliveries.size).toBe(events.length * spaces.all.length);
    const report = expectThreadedExactlyOnce(webex.messages(), deliveries, { groupSpaces: [spaces.group], ambiguous });
    const duplicates = report.duplicates;
    expect(report.replies).toBeGreaterThan(0);
    const delivering = logs.map((l) => l.split('\n').filter((line) => line.includes('notification delivered')).length);
    // Every replica accepted webhooks. Which one sends is up to who claims first, so the
    // per-replica send counts are reported, not asserted.
    expect(perReplica.every((n) => n > 0)).toBe(true);
    for (const r of alive()) expect(r.cli.child.exitCode).toBeNull();

    for (const r of alive()) r.cli.child.kill('SIGTERM');
    for (const r of replicas.filter((r) => r !== victim)) expect(await r.cli.exited).toBe(0);
    console.log(
      `replicas: ${acknowledged.size} acknowledged (${perReplica.join('/')} per replica), ${refused.size} refused and retried; ` +
        `messages sent per replica ${delivering.join('/')}; victim killed holding ${victimProxy.served.get('slow')} stalled sends; ` +
        `${checks} in-doubt checks; ${events.length * spaces.all.length} deliveries in ${report.messages} messages, ${report.threads} threads, ${report.replies} replies; ` +
        `${ambiguous} sent again unsure, ${duplicates} duplicates`,
    );
  }, 400_000);
});
