import { DigestScheduler, Outbox, OutboxWorker, WebexMessages, webexDeliverySender, type Clock } from '../../core/internal';
import { messagingOf } from '../../sandbox/webex-api/messaging-state';
import { SANDBOX_WEBEX_BOT_TOKEN, WebexEmulator } from '../../sandbox/webex-api/webex-emulator';
import { postJiraWebhook } from '../helpers/jira';
import { memoryLogger, startTestService, type TestService } from '../helpers/service';
import { dialects } from '../helpers/stores';
import { allowSources, spacePerson, type SpacePerson } from '../helpers/webex-sandbox';
import { jiraIssueCreated, jiraIssueUpdated, jiraSecuredIssueCreated } from '../fixtures/jira-webhooks';
import { allRouted } from '../helpers/notifications';

/** The service routes an accepted webhook just after its 202 (issue 17): wait for that before counting. */
async function routed(service: TestService): Promise<void> {
  for (let waited = 0; waited < 5000 && !(await allRouted(service.store)); waited += 20) await new Promise((r) => setTimeout(r, 20));
}

/**
 * A scheduled digest end to end: the space asks the bot for it (Webex emulator), Jira's webhooks
 * arrive over loopback HTTP and are collected, and at the due time one message grouped by item
 * reaches the space through the outbox. The scheduler and an outbox worker here run on a clock the
 * test moves; the service's own run on the real clock, which does not reach the due times used.
 */
describe.each(dialects)('a scheduled digest on %s', (dialect) => {
  let service: TestService;
  let webex: WebexEmulator;
  let say: SpacePerson['say'];
  let space: SpacePerson['space'];
  let now: Date;
  const clock: Clock = { now: () => now };

  beforeAll(async () => {
    service = await startTestService({ store: dialect });
    webex = service.emulators.find((e): e is WebexEmulator => e instanceof WebexEmulator)!;
    ({ space, say } = spacePerson(webex, `${service.endpoints.sandbox('webex')}/v1`, { token: `digest-${dialect}`, email: 'anouk@example.nl' }));
    await allowSources(service, [['jira', 'KAN']]);
  }, 60_000);
  afterAll(() => service.dispose());

  const inRoom = (roomId: string) => messagingOf(webex.context).messages.filter((m) => m.roomId === roomId && m.personEmail === 'een-bridge@webex.bot');
  const change = (n: number, body: object) => ({ ...body, timestamp: Date.now() + n });
  const scheduler = () => new DigestScheduler(service.store.db, service.store.dialect, memoryLogger().log, {}, clock);
  /** An outbox worker on the test's clock, posting to the Webex emulator over loopback. */
  const worker = () => {
    const messages = new WebexMessages({ baseUrl: () => `${service.endpoints.sandbox('webex')}/v1`, token: () => SANDBOX_WEBEX_BOT_TOKEN });
    return new OutboxWorker(new Outbox(service.store.db, service.store.dialect, clock), webexDeliverySender(messages), memoryLogger().log, { sendPerSecond: 0 }, clock);
  };

  it('collects a day of changes and sends them at 09:00 as one Dutch message grouped by item, once', async () => {
    const room = await space(`Dagoverzicht ${dialect}`);
    await say(room, 'abonneer jira KAN');
    const answer = await say(room, 'digest dagelijks 09:00');
    expect(answer).toMatch(/^Wijzigingen voor deze space worden nu verzameld en als één overzicht verstuurd, dagelijks 09:00 \(Europe\/Amsterdam\)\. Het volgende komt op \d{4}-\d\d-\d\d 09:00 \(Europe\/Amsterdam\)\.$/);
    const schedule = await service.notifications.digestSchedules.get(room);
    const due = new Date(schedule.nextDueAt!);
    const before = inRoom(room).length;

    // Two changes to KAN-22, one new issue KAN-23, and one restricted issue (security level).
    expect((await postJiraWebhook(service.url, change(1, jiraIssueUpdated))).status).toBe(202);
    const created = { ...jiraIssueCreated, issue: { ...jiraIssueCreated.issue, id: '10023', key: 'KAN-23', fields: { ...jiraIssueCreated.issue.fields, summary: 'Offerte Hoogvliet' } } };
    expect((await postJiraWebhook(service.url, change(2, created))).status).toBe(202);
    expect((await postJiraWebhook(service.url, change(3, jiraSecuredIssueCreated))).status).toBe(202);
    const renamed = { ...jiraIssueUpdated, changelog: { id: '10400', items: [{ field: 'status', fieldtype: 'jira', fieldId: 'status', from: '3', fromString: 'In Progress', to: '10002', toString: 'Done' }] } };
    expect((await postJiraWebhook(service.url, change(4, renamed))).status).toBe(202);
    await routed(service);
    expect((await service.notifications.digestSchedules.get(room)).waiting).toBe(4);
    // Collected, not delivered: nothing reaches the space before the due time.
    now = new Date(due.getTime() - 60_000);
    expect(await scheduler().runOnce()).toEqual([]);
    await new Promise((r) => setTimeout(r, 300));
    expect(inRoom(room)).toHaveLength(before);
    // `abonnementen` shows the schedule, its next due time and what waits.
    expect(await say(room, 'abonnementen')).toContain('Overzicht: dagelijks 09:00 (Europe/Amsterdam), volgende');

    const sent = inRoom(room).length;
    now = due;
    const queued = await scheduler().runOnce();
    expect(queued).toEqual([expect.objectContaining({ spaceId: room, changes: 4 })]);
    // A second look at the same moment (another replica, a restart) finds nothing due.
    expect(await scheduler().runOnce()).toEqual([]);
    expect(await worker().runOnce()).toBe(1);
    expect(await worker().runOnce()).toBe(0);
    const digest = inRoom(room).slice(sent);
    expect(digest).toHaveLength(1);
    const lines = digest[0]!.markdown!.split('\n');
    expect(lines[0]).toBe('**Overzicht: 3 wijzigingen aan 2 items**');
    const kan22 = lines.findIndex((l) => l.startsWith('[KAN-22]('));
    const kan23 = lines.findIndex((l) => l.startsWith('[KAN-23]('));
    expect(kan22).toBeGreaterThan(0);
    expect(kan23).toBeGreaterThan(kan22);
    // KAN-22's two changes under it, in the order they happened.
    expect(lines[kan22 + 1]).toMatch(/^- Pieter Visser: Status: To Do → In Progress/);
    expect(lines[kan22 + 2]).toMatch(/^- Pieter Visser: Status: In Progress → Done/);
    expect(lines[kan23 + 1]).toMatch(/heeft KAN-23 aangemaakt/);
    expect(digest[0]!.markdown).toContain('1 afgeschermde wijziging niet getoond');
    expect(digest[0]!.markdown).not.toContain('Hoogvliet Datalek');
    expect(digest[0]!.markdown).not.toContain('Datalek');
    // Not in a thread: one message in the space.
    expect(digest[0]!.parentId).toBeUndefined();

    const after = await service.notifications.digestSchedules.get(room);
    expect(after.waiting).toBe(0);
    expect(after.nextDueAt).toBe(new Date(due.getTime() + 24 * 3_600_000).toISOString());
    const deliveries = (await service.notifications.outbox.list({ limit: 500 })).filter((d) => d.spaceId === room);
    expect(deliveries).toEqual([expect.objectContaining({ status: 'delivered' })]);
  }, 60_000);

  it('refuses a bad schedule in the person’s language and changes nothing; `digest off` sends what was collected', async () => {
    const room = await space(`Weekoverzicht ${dialect}`);
    await say(room, 'subscribe jira KAN');
    expect(await say(room, 'digest weekly someday 09:00')).toBe('“someday” is not a day of the week: say monday, tuesday, wednesday, thursday, friday, saturday or sunday.');
    expect(await say(room, 'digest dagelijks 25:00')).toBe('‘25:00’ is geen tijdstip: schrijf het in 24-uurs tijd, bijvoorbeeld `09:00` of `17:30`.');
    expect(await say(room, 'tijdzone Mars/Olympus')).toContain('‘Mars/Olympus’ is geen tijdzone');
    expect((await service.notifications.digestSchedules.get(room)).cadence).toBeUndefined();

    expect(await say(room, 'timezone Europe/London')).toBe('This space’s time zone is now Europe/London.');
    expect(await say(room, 'digest weekly monday 09:00')).toMatch(/weekly monday 09:00 \(Europe\/London\)\. The next one is due \d{4}-\d\d-\d\d 09:00 \(Europe\/London\)\.$/);
    const before = inRoom(room).length;
    expect((await postJiraWebhook(service.url, change(10, jiraIssueUpdated))).status).toBe(202);
    await routed(service);
    expect((await service.notifications.digestSchedules.get(room)).waiting).toBe(1);
    expect(await say(room, 'digest off')).toBe('No more scheduled digest: changes are sent as they come again. The 1 changes collected so far go out now as one last digest.');
    now = new Date();
    expect(await scheduler().runOnce()).toEqual([]); // the service's own scheduler, woken by the change, may have taken it already
    for (let i = 0; i < 200 && !inRoom(room).slice(before + 1).some((m) => m.markdown?.startsWith('**Digest: 1 change')); i++) await new Promise((r) => setTimeout(r, 25));
    expect(inRoom(room).slice(before + 1).filter((m) => m.markdown?.startsWith('**Digest: 1 change to 1 item**'))).toHaveLength(1);
    // Off: the next change goes out by itself again.
    expect((await postJiraWebhook(service.url, change(11, jiraIssueUpdated))).status).toBe(202);
    for (let i = 0; i < 400 && inRoom(room).length < before + 3; i++) await new Promise((r) => setTimeout(r, 25));
    expect(inRoom(room).at(-1)?.markdown).toMatch(/Pieter Visser\*\* updated \[KAN-22\]/);
  }, 60_000);
});
