import { postJiraWebhook } from '../helpers/jira';
import { startTestService, type TestService } from '../helpers/service';
import { acceptedMessages, createSpace } from '../helpers/webex-sandbox';
import { jiraIssueUpdated } from '../fixtures/jira-webhooks';
import { allRouted } from '../helpers/notifications';

/**
 * The README's promise: a burst to one space goes out as one digest. Here the whole service
 * runs as shipped (default window, digests of at most 10, paced sends) and posts to the Webex
 * emulator over loopback HTTP; Jira's webhooks arrive one after another, as Jira sends them.
 */
describe('a burst of changes to one space', () => {
  let service: TestService;
  let webex: string;

  beforeAll(async () => {
    service = await startTestService();
    webex = service.endpoints.sandbox('webex');
  });
  afterAll(() => service.dispose());

  // Each delivery its own body (and timestamp), as Jira sends them: een-bridge drops a replayed body.
  const issueKey = (n: number) => ({ ...jiraIssueUpdated, timestamp: Date.now(), issue: { ...jiraIssueUpdated.issue, key: `KAN-${n}` } });
  const inRoom = (roomId: string) => acceptedMessages(service.emulators).filter((m) => m.roomId === roomId);
  const keysOf = (markdown: string | undefined) => [...(markdown ?? '').matchAll(/\[(KAN-\d+)\]/g)].map((m) => m[1]);

  async function settled(ms = 15_000): Promise<void> {
    const until = Date.now() + ms;
    for (;;) {
      // Routed first, then counted: the router commits an event's deliveries as it takes it off its queue.
      const routed = await allRouted(service.store);
      const c = await service.notifications.outbox.counts();
      // The router makes the deliveries just after each webhook is answered.
      if ((c.pending + c.sending === 0 && routed) || Date.now() > until) return;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it.each([
    ['en-GB', '**10 changes, oldest first**', '**Pieter Visser** updated [KAN-1]', 'Status: To Do → In Progress'],
    ['nl-NL', '**10 wijzigingen, oudste eerst**', '**Pieter Visser** heeft [KAN-1]', 'Status: To Do → In Progress'],
  ])('20 webhooks within two seconds reach a %s space as at most two digests, in order, each change once', async (locale, heading, line, change) => {
    const room = await createSpace(webex, `Klantportaal ${locale}`);
    await service.notifications.subscriptions.subscribe({ spaceId: room, source: 'jira', sourceKey: 'KAN', locale });
    const started = Date.now();
    for (let n = 1; n <= 20; n++) {
      const res = await postJiraWebhook(service.url, issueKey(n));
      expect(res.status).toBe(202);
      await new Promise((r) => setTimeout(r, 50));
    }
    // About a second of sending: two digests at most when it fits in one 3 s window, as it does on
    // a quiet machine; a machine busy enough to stretch the burst gets one more per window it spans.
    const sending = Date.now() - started;
    await settled();
    const messages = inRoom(room);
    expect(messages.length).toBeGreaterThanOrEqual(1);
    expect(messages.length).toBeLessThanOrEqual(2 + Math.floor(sending / 3_000));
    expect(messages.flatMap((m) => keysOf(m.markdown))).toEqual(Array.from({ length: 20 }, (_, i) => `KAN-${i + 1}`));
    const [first] = messages;
    expect(first?.markdown?.split('\n')[0]).toBe(heading);
    expect(first?.markdown).toContain(line);
    expect(first?.markdown).toContain(change);
    expect(first?.text).toContain(heading.replace(/\*\*/g, ''));
    for (const m of messages) expect(Buffer.byteLength(m.markdown ?? '')).toBeLessThanOrEqual(7439);
  });

  it('delivers a lone change alone, within the window (3 s by default)', async () => {
    const room = await createSpace(webex, 'Eén wijziging');
    await service.notifications.subscriptions.subscribe({ spaceId: room, source: 'jira', sourceKey: 'SOLO', locale: 'en-GB' });
    const lone = { ...jiraIssueUpdated, issue: { ...jiraIssueUpdated.issue, key: 'SOLO-1', fields: { ...jiraIssueUpdated.issue.fields, project: { ...jiraIssueUpdated.issue.fields.project, key: 'SOLO' } } } };
    const sent = Date.now();
    expect((await postJiraWebhook(service.url, lone)).status).toBe(202);
    while (inRoom(room).length === 0 && Date.now() - sent < 6_000) await new Promise((r) => setTimeout(r, 10));
    const took = Date.now() - sent;
    expect(inRoom(room)).toHaveLength(1);
    // The window is the one intended wait; the rest is the machine (a full parallel test run adds a few hundred ms).
    expect(took).toBeLessThanOrEqual(3_000 + 1_000);
    expect(inRoom(room)[0]?.markdown).toMatch(/^\*\*Pieter Visser\*\* updated \[SOLO-1\]/);
  });
});
