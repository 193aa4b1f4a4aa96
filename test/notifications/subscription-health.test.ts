import { graphFolderKey } from '../../core';
import { runCli } from '../../app/cli';
import { GraphEmulator, SANDBOX_GRAPH_DRIVE_ID } from '../../sandbox/graph-api/graph-emulator';
import { SANDBOX_TRELLO_API_KEY, SANDBOX_TRELLO_TOKEN, TrelloEmulator } from '../../sandbox/trello-api/trello-emulator';
import { WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { postJiraWebhook } from '../helpers/jira';
import { startTestService, type TestService } from '../helpers/service';
import { acceptedMessages, allowSources, spacePerson, type SpacePerson } from '../helpers/webex-sandbox';
import { jiraIssueCreated } from '../fixtures/jira-webhooks';
import { allRouted } from '../helpers/notifications';

/**
 * Issue 15, "Failing loudly", end to end through the Trello, Graph and Webex emulators on SQLite
 * and PostgreSQL: a subscription whose board is gone, or whose Graph renewal keeps failing, is
 * told to its space once (in its language, with what to do), counted in /metrics, shown in the
 * bot's `subscriptions` and in `een-bridge subscriptions list`; the flag resets once healthy.
 */
describe.each(['sqlite', 'postgres'] as const)('subscription health on %s', (store) => {
  let service: TestService;
  let trello: TrelloEmulator;
  let graph: GraphEmulator;
  let space: SpacePerson['space'];
  let say: SpacePerson['say'];

  beforeAll(async () => {
    service = await startTestService({ store, env: { WEBEX_DIGEST_SECONDS: '0' } });
    trello = service.emulators.find((e): e is TrelloEmulator => e instanceof TrelloEmulator)!;
    graph = service.emulators.find((e): e is GraphEmulator => e instanceof GraphEmulator)!;
    const webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    ({ space, say } = spacePerson(webex, `${service.endpoints.sandbox('webex')}/v1`, { token: 'anouk-token', email: 'anouk@example.nl' }));
    await allowSources(service, [['jira', 'KAN']]);
  });
  afterAll(() => service.dispose());

  const inSpace = (room: string) => acceptedMessages(service.emulators).filter((m) => m.roomId === room);
  const metric = async (source: string, problem: string): Promise<number> => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`een_bridge_notification_subscriptions_broken_total{source="${source}",problem="${problem}"}`));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  /** A space with the bot in it, once the bot's greeting is there (so later counts do not race it). */
  const greetedSpace = async (title: string): Promise<string> => {
    const room = await space(title);
    for (let i = 0; i < 200 && inSpace(room).length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    return room;
  };
  const trelloCall = (method: string, path: string, params: Record<string, string>) =>
    fetch(`${service.endpoints.sandbox('trello')}/1${path}?key=${SANDBOX_TRELLO_API_KEY}&token=${SANDBOX_TRELLO_TOKEN}&${new URLSearchParams(params)}`, { method });

  it('tells a space once that its Trello board is gone, counts it, shows it, and resets once the board is back', async () => {
    const board = trello.addBoard('Oud project', 'org');
    const room = await greetedSpace('Oud project');
    const sub = await service.notifications.subscriptions.subscribe({ spaceId: room, source: 'trello', sourceKey: board.id, locale: 'nl-NL' });
    expect((await trelloCall('POST', '/webhooks', { callbackURL: `${service.url}/hooks/trello`, idModel: board.id })).status).toBe(200);
    const { health } = service.notifications;

    expect(await health.runOnce()).toBe(0);
    expect((await health.health(room))[0]).toMatchObject({ status: 'ok', upstream: 'ok', dead: 0 });
    const before = inSpace(room).length;
    const counted = await metric('trello', 'sourceGone');

    trello.deleteBoard(board.id);
    expect(await health.runOnce()).toBe(1);
    const told = inSpace(room).slice(before);
    expect(told).toHaveLength(1);
    expect(told[0]?.markdown).toBe(
      '**Meldingen over Trello-bord ' +
        board.id +
        ' zijn gestopt**: het bestaat niet meer, of een-bridge mag het niet meer zien. Zeg `unsubscribe 1` om het te verwijderen, of abonneer opnieuw zodra het terug is.',
    );
    expect(await metric('trello', 'sourceGone')).toBe(counted + 1);

    // Told once: later rounds keep quiet while it stays broken.
    expect(await health.runOnce()).toBe(0);
    expect(await health.runOnce()).toBe(0);
    expect(inSpace(room).slice(before)).toHaveLength(1);
    expect(await metric('trello', 'sourceGone')).toBe(counted + 1);

    // Shown in the space's `subscriptions` and in the CLI.
    expect(await say(room, 'abonnementen')).toMatch(new RegExp(`^Deze space volgt:\\n1\\. Trello ${board.id} — \\*\\*gestopt: bron weg\\*\\*, nog geen wijziging$`));
    const json = (await health.health(room))[0]!;
    expect(json).toMatchObject({ subscriptionId: sub.id, status: 'broken', problem: 'sourceGone', upstream: 'gone', upstreamFailures: 3 });

    // Back (Trello restores a board from its trash) with a webhook: healthy, flag cleared, and a new break is told again.
    trello.boards.set(board.id, board);
    expect((await trelloCall('POST', '/webhooks', { callbackURL: `${service.url}/hooks/trello`, idModel: board.id })).status).toBe(200);
    expect(await health.runOnce()).toBe(0);
    expect((await health.health(room))[0]).toMatchObject({ status: 'ok', upstream: 'ok', upstreamFailures: 0 });
    for (const [id, hook] of trello.webhooks) if (hook.idModel === board.id) trello.webhooks.delete(id);
    expect(await health.runOnce()).toBe(1);
    expect(inSpace(room).at(-1)?.markdown).toMatch(/^\*\*Meldingen over Trello-bord .* zijn gestopt\*\*: Trello stuurt de wijzigingen niet meer/);
    expect(await metric('trello', 'webhookMissing')).toBeGreaterThanOrEqual(1);
    await service.notifications.subscriptions.unsubscribe(room, sub.id);
  });

  it('tells a space once, in English, when its OneDrive subscription cannot be renewed three times in a row', async () => {
    const watcher = service.notifications.graph!;
    const folder = (await watcher.findFolder('Documenten'))!;
    const room = await greetedSpace('Documents');
    await service.notifications.subscriptions.subscribe({ spaceId: room, source: 'graph', sourceKey: graphFolderKey(folder), locale: 'en-GB' });
    await watcher.watchDrive(SANDBOX_GRAPH_DRIVE_ID);
    const { health } = service.notifications;
    // Its Graph subscription and expiry show from the start, before any renewal.
    const fresh = (await health.health(room))[0]!;
    expect(fresh).toMatchObject({ status: 'ok', upstream: 'ok', upstreamFailures: 0 });
    expect(Date.parse(fresh.expiresAt!)).toBeGreaterThan(Date.now() + 60 * 60_000);
    const before = inSpace(room).length;
    const counted = await metric('graph', 'renewalFailing');

    // Graph forgot the subscription and the app lost its consent: renewal (404) falls back to
    // creating one, which Graph refuses (403), every time.
    graph.subscriptions.clear();
    const roles = graph.appRoles;
    graph.appRoles = [];
    const expireSoon = () => service.store.db.updateTable('graph_subscriptions').set({ expires_at: new Date(Date.now() + 60_000).toISOString() }).execute();
    for (let i = 1; i <= 3; i++) {
      await expireSoon();
      await watcher.renewDue();
      expect(await health.runOnce()).toBe(i === 3 ? 1 : 0);
    }
    expect((await health.health(room))[0]).toMatchObject({ status: 'broken', problem: 'renewalFailing', upstream: 'failing', upstreamFailures: 3 });
    await expireSoon();
    await watcher.renewDue();
    expect(await health.runOnce()).toBe(0);
    const told = inSpace(room).slice(before);
    expect(told.map((m) => m.text)).toEqual([
      'Notifications for OneDrive folder ' +
        graphFolderKey(folder) +
        ' may stop: een-bridge could not renew its OneDrive subscription 3 times in a row. Ask an administrator to check the Graph permissions (een-bridge doctor).',
    ]);
    expect(await metric('graph', 'renewalFailing')).toBe(counted + 1);

    // Consent back: the next renewal works, the subscription is healthy with its new expiry.
    graph.appRoles = roles;
    await expireSoon();
    await watcher.renewDue();
    expect(await health.runOnce()).toBe(0);
    const healthy = (await health.health(room))[0]!;
    expect(healthy).toMatchObject({ status: 'ok', upstream: 'ok', upstreamFailures: 0 });
    expect(Date.parse(healthy.expiresAt!)).toBeGreaterThan(Date.now() + 60 * 60_000);
  });

  it('shows dead letters as broken, tells the space once, and lists health in the CLI', async () => {
    const room = await greetedSpace('Klantportaal');
    const sub = await service.notifications.subscriptions.subscribe({ spaceId: room, source: 'jira', sourceKey: 'KAN', locale: 'en-GB' });
    const { health, outbox } = service.notifications;
    await service.notifications.worker!.stop();
    expect((await postJiraWebhook(service.url, { ...jiraIssueCreated, timestamp: jiraIssueCreated.timestamp + 99 })).status).toBe(202);
    // The router makes the delivery just after the answer.
    while (!(await allRouted(service.store))) await new Promise((r) => setTimeout(r, 10));
    const dead = (await outbox.list()).filter((d) => d.spaceId === room);
    for (const d of dead) await outbox.markDead(d.id, 'Webex 404: Could not find a room with provided ID.', true);
    service.notifications.worker!.start();

    expect(await health.runOnce()).toBe(1);
    expect(inSpace(room).at(-1)?.text).toBe('Notifications for Jira project KAN could not be delivered here (1). Ask an administrator to send them again (een-bridge outbox retry).');
    expect((await health.health(room))[0]).toMatchObject({ status: 'broken', problem: 'deadLetters', dead: 1, upstream: 'seen' });
    expect(await health.runOnce()).toBe(0);

    if (store === 'sqlite') {
      const out: string[] = [];
      const cli = (...argv: string[]) => runCli(argv, { env: { EEN_DATA_DIR: service.dataDir, EEN_LOG_LEVEL: 'silent' }, cwd: service.dataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
      expect(await cli('subscriptions', 'list', '--space', room)).toBe(0);
      // A table now (ID, SPACE, … HEALTH, RESTRICTED, FILTER, SETTINGS): the health column says why it broke.
      expect(out.join('\n')).toMatch(new RegExp(`^${sub.id}\\s+\\S.*\\s+jira\\s+KAN\\s+en-GB\\s+1 undelivered; event \\d{4}-.*Z, delivered never\\s+withheld\\s+\\{\\}\\s+format=full`, 'm'));
      out.length = 0;
      expect(await cli('subscriptions', 'list', '--space', room, '--json')).toBe(0);
      expect(JSON.parse(out.join('\n'))).toMatchObject([{ id: sub.id, restrictedAllowed: false, health: { status: 'broken', problem: 'deadLetters', dead: 1, failing: 0 } }]);
      out.length = 0;
      expect(await cli('subscriptions', 'restricted', String(sub.id), 'allow')).toBe(0);
      expect(out).toEqual([`Subscription ${sub.id} now carries restricted items into its space.`]);
      expect((await service.notifications.subscriptions.forSpace(room))[0]?.restrictedAllowed).toBe(true);
      expect(await cli('subscriptions', 'restricted', String(sub.id), 'maybe')).toBe(2);
      expect(await cli('subscriptions', 'restricted', '999999', 'deny')).toBe(1);
    }

    // Purged: healthy again, and the flag is cleared.
    await outbox.purgeDead();
    expect(await health.runOnce()).toBe(0);
    expect((await health.health(room))[0]).toMatchObject({ status: 'ok' });
  });

  it('tells the space within seconds when a delivery goes dead, without waiting for the interval', async () => {
    const room = await greetedSpace('Operations');
    await service.notifications.subscriptions.subscribe({ spaceId: room, source: 'jira', sourceKey: 'OPS', locale: 'en-GB' });
    const ops = { ...jiraIssueCreated, timestamp: jiraIssueCreated.timestamp + 123, issue: { ...jiraIssueCreated.issue, key: 'OPS-1', fields: { ...jiraIssueCreated.issue.fields, project: { ...jiraIssueCreated.issue.fields.project, key: 'OPS' } } } };
    // The bot greets a space it joins (greetedSpace waited for it); that message must not be the one refused.
    const greeted = inSpace(room).length;
    // Webex refuses the next message with a 400, which no retry can fix: a dead letter at once.
    const fault = await fetch(`${service.endpoints.sandbox('webex')}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 400 }) });
    expect(fault.status).toBe(201);
    expect((await postJiraWebhook(service.url, ops)).status).toBe(202);
    const until = Date.now() + 10_000;
    while (Date.now() < until && !inSpace(room).some((m) => m.text?.startsWith('Notifications for Jira project OPS could not'))) await new Promise((r) => setTimeout(r, 50));
    expect(inSpace(room).slice(greeted).map((m) => m.text)).toEqual(['Notifications for Jira project OPS could not be delivered here (1). Ask an administrator to send them again (een-bridge outbox retry).']);
  });

  it('tells a space once that its OneDrive drive is gone (Graph 404 on renewal and on a new subscription)', async () => {
    const watcher = service.notifications.graph!;
    const room = await greetedSpace('Oude schijf');
    const drive = 'b!gOnEdRiVe000000000000000000000000000000000000000000000';
    await service.notifications.subscriptions.subscribe({ spaceId: room, source: 'graph', sourceKey: `${drive}/01FOLDER`, locale: 'nl-NL' });
    // What een-bridge kept from when the drive was there: a subscription Graph no longer knows.
    const now = new Date().toISOString();
    await service.store.db
      .insertInto('graph_subscriptions')
      .values({ id: 'sub-of-a-gone-drive', drive_id: drive, client_state_hash: 'x', expires_at: new Date(Date.now() + 60_000).toISOString(), delta_link: null, synced_at: now, created_at: now, updated_at: now })
      .execute();
    const { health } = service.notifications;
    const counted = await metric('graph', 'sourceGone');
    await watcher.renewDue();
    expect(await health.runOnce()).toBe(1);
    expect((await health.health(room))[0]).toMatchObject({ status: 'broken', problem: 'sourceGone', upstream: 'gone' });
    expect(inSpace(room).at(-1)?.text).toBe(
      `Meldingen over OneDrive-map ${drive}/01FOLDER zijn gestopt: het bestaat niet meer, of een-bridge mag het niet meer zien. Zeg unsubscribe 1 om het te verwijderen, of abonneer opnieuw zodra het terug is.`,
    );
    await watcher.renewDue();
    expect(await health.runOnce()).toBe(0);
    expect(await metric('graph', 'sourceGone')).toBe(counted + 1);
  });
});
