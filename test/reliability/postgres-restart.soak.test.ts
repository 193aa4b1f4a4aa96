import { openStore } from '../../core/internal';
import { SANDBOX_WEBEX_BOT_TOKEN } from '../../sandbox/webex-api/webex-emulator';
import { assertBuilt } from '../helpers/built';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres';
import { freePort, spawnCli, waitFor, type RunningCli } from '../helpers/processes';
import { deliveredKeys, expectExactlyOnce, notificationSpaces, sendJira, startWebexOutside, subscribeAll, type WebexOutside } from '../helpers/reliability';

/**
 * PostgreSQL stopped and started again while Jira webhooks pour into `een-bridge serve`. The
 * cluster is a private one (the machine's is shared by the other test files). The service is
 * not restarted: /readyz must turn 503 on its own and back to 200 on its own, and every event it
 * acknowledged with 202 must reach every subscribed space exactly once.
 */
describe('PostgreSQL restarted under load', () => {
  const secret = 'pg-restart-jira-secret';
  let pg: PrivatePostgres;
  let webex: WebexOutside;
  let service: RunningCli | undefined;

  beforeAll(async () => {
    assertBuilt();
    pg = await startPrivatePostgres();
    webex = await startWebexOutside();
  }, 120_000);

  afterAll(async () => {
    if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
    await webex?.close();
    await pg?.dispose();
  });

  it('reports not ready during the outage, recovers by itself and loses nothing it acknowledged', async () => {
    const spaces = await notificationSpaces(webex);
    const store = openStore({ kind: 'postgres', url: pg.url });
    await store.migrate();
    await subscribeAll(store, spaces.all);
    await store.close();

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    service = spawnCli(['serve'], {
      EEN_DATA_DIR: pg.dataDir,
      EEN_PORT: String(port),
      EEN_HOST: '127.0.0.1',
      EEN_LOG_LEVEL: 'info',
      DATABASE_URL: pg.url,
      JIRA_WEBHOOK_SECRET: secret,
      WEBEX_BOT_TOKEN: SANDBOX_WEBEX_BOT_TOKEN,
      WEBEX_WEBHOOK_SECRET: 'unused-here',
      WEBEX_API_URL: `${webex.base}/v1`,
    });
    const running = service;
    // A crashed service must fail the test at once, with what it printed, not after every wait.
    const readiness = async () => {
      if (running.child.exitCode !== null) throw new Error(`the service exited (${running.child.exitCode}):\n${running.output().slice(-3000)}`);
      return (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(10_000) })).status;
    };
    const untilReady = async (status: number, ms: number, what: string) => {
      const until = Date.now() + ms;
      while (Date.now() < until) {
        if (running.child.exitCode === null && (await readiness().catch(() => 0)) === status) return;
        if (running.child.exitCode !== null) await readiness();
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`timed out waiting for ${what}`);
    };
    await untilReady(200, 60_000, 'the service to be ready');

    const acknowledged = new Set<number>();
    const refused = new Set<number>();
    const statuses = new Map<number, number>();
    let next = 1;
    let sending = true;
    const sender = async () => {
      while (sending && running.child.exitCode === null) {
        const n = next++;
        const status = await sendJira(url, secret, n);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status === 202) acknowledged.add(n);
        else refused.add(n);
      }
    };
    const senders = Array.from({ length: 4 }, sender);

    let notReadyAfterMs = 0;
    let readyAgainAfterMs = 0;
    let acknowledgedDuringOutage = 0;
    try {
      await waitFor(async () => acknowledged.size >= 100, 60_000, '100 acknowledged webhooks');
      const outageStarted = Date.now();
      await pg.stop();
      await untilReady(503, 30_000, '/readyz to answer 503 while PostgreSQL is down');
      notReadyAfterMs = Date.now() - outageStarted;
      // Keep the load on while the database is away: the service must refuse, not acknowledge.
      const acknowledgedAtStop = acknowledged.size;
      await new Promise((r) => setTimeout(r, 1_500));
      acknowledgedDuringOutage = acknowledged.size - acknowledgedAtStop;
      await pg.start();
      const back = Date.now();
      await untilReady(200, 60_000, '/readyz to answer 200 again by itself');
      readyAgainAfterMs = Date.now() - back;
      const afterRestart = acknowledged.size;
      await waitFor(async () => acknowledged.size >= afterRestart + 100, 60_000, '100 more acknowledged webhooks after the restart');
    } finally {
      sending = false;
      await Promise.all(senders);
    }
    expect(running.child.exitCode).toBeNull();

    // Jira retries what it did not see acknowledged.
    for (const n of refused) expect(await sendJira(url, secret, n)).toBe(202);
    const events = [...acknowledged, ...refused];
    await waitFor(async () => deliveredKeys(webex.messages()) >= events.length * spaces.all.length, 150_000, 'every delivery');
    await new Promise((r) => setTimeout(r, 1_000)); // anything sent twice would show by now

    expect(service.child.exitCode).toBeNull();
    const log = service.output();
    const ambiguous = log.split('\n').filter((l) => l.includes('may duplicate')).length;
    const duplicates = expectExactlyOnce(webex.messages(), spaces, events, ambiguous);
    // During the outage a webhook is refused with 500 or 503 (so Jira retries it), never a 4xx.
    expect([...statuses.keys()].filter((s) => s !== 202 && s !== 500 && s !== 503 && s !== 0)).toEqual([]);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    console.log(
      `postgres restart: ${acknowledged.size} acknowledged, ${refused.size} refused (${JSON.stringify(Object.fromEntries(statuses))}); ` +
        `${acknowledgedDuringOutage} acknowledged during the outage; /readyz 503 after ${notReadyAfterMs} ms, 200 again ${readyAgainAfterMs} ms after the start; ` +
        `${events.length * spaces.all.length} deliveries in ${webex.messages().length - spaces.direct.length} messages, ${ambiguous} in doubt, ${duplicates} duplicates`,
    );
  }, 300_000);
});
