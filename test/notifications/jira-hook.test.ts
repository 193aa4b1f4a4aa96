import { signJiraBody } from '../../core';
import { postJiraWebhook } from '../helpers/jira';
import { startTestService, type TestService } from '../helpers/service';
import { acceptedMessages, createSpace, postedMessages, webexCall } from '../helpers/webex-sandbox';
import { jiraCommentCreated, jiraIssueCreated, jiraIssueRanked, jiraIssueUpdated } from '../fixtures/jira-webhooks';
import { allRouted } from '../helpers/notifications';

interface WebexMessage {
  id: string;
  roomId: string;
  markdown?: string;
  text?: string;
  attachments?: { contentType: string; content: { body: { id?: string; text?: string }[] } }[];
}

describe('POST /hooks/jira in sandbox mode', () => {
  let service: TestService;
  let webex: string;
  let space: string;

  beforeAll(async () => {
    service = await startTestService();
    webex = service.endpoints.sandbox('webex');
    space = await createSpace(webex, 'Klantportaal');
    await service.notifications.subscriptions.subscribe({ spaceId: space, source: 'jira', sourceKey: 'KAN', locale: 'nl-NL' });
  });
  afterAll(() => service.dispose());

  const stored = async () => {
    const events = await service.store.db.selectFrom('notification_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const deliveries = await service.notifications.outbox.counts();
    return { events: Number(events.n), deliveries: deliveries.pending + deliveries.sending + deliveries.delivered + deliveries.dead };
  };

  async function messagesInSpace(count: number, roomId = space, ms = 10_000): Promise<WebexMessage[]> {
    const until = Date.now() + ms;
    for (;;) {
      // A bot may list only mentions in a group space, so read what the emulator accepted.
      const posted = acceptedMessages(service.emulators) as readonly WebexMessage[];
      // Routed first, then counted: the router commits an event's deliveries as it takes it off its queue.
      const routed = await allRouted(service.store);
      const c = await service.notifications.outbox.counts();
      const inRoom = posted.filter((m) => m.roomId === roomId);
      if ((c.pending + c.sending === 0 && routed && inRoom.length >= count) || Date.now() > until) return inRoom;
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('turns one signed webhook into one message with markdown and a card in the subscribed space', async () => {
    const res = await postJiraWebhook(service.url, jiraIssueUpdated);
    expect(res.status).toBe(202);
    // The event alone is stored before the answer; the router makes its deliveries just after.
    expect(await res.json()).toEqual({ status: 'accepted' });
    const [message] = await messagesInSpace(1);
    const logged = (await postedMessages(webex)).map((r) => JSON.parse(r.body) as { roomId: string; markdown: string });
    expect(logged).toEqual([expect.objectContaining({ roomId: space, markdown: message?.markdown })]);
    expect(message?.markdown).toContain('**Pieter Visser** heeft [KAN-22](https://kpn-een-demo.atlassian.net/browse/KAN-22) gewijzigd');
    expect(message?.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const delivered = await service.notifications.outbox.list({ status: 'delivered' });
    expect(delivered[0]?.webexMessageId).toMatch(/^[A-Za-z0-9_-]+$/);
    const direct = await webexCall<WebexMessage>(webex, 'GET', `/messages/${delivered[0]!.webexMessageId}`);
    expect(direct.body.roomId).toBe(space);
  });

  it('stores and sends nothing more when Jira retries the same delivery', async () => {
    const before = await stored();
    const posted = (await postedMessages(webex)).length;
    // An issue of its own: a later change to KAN-22 (of the test before) would reply in its thread
    // and, being a creation, also be summarised at the top: two messages for one delivery.
    const created = { ...jiraIssueCreated, issue: { ...jiraIssueCreated.issue, key: 'KAN-23' } };
    const first = await postJiraWebhook(service.url, created, { identifier: 'retry-me' });
    const again = await postJiraWebhook(service.url, created, { identifier: 'retry-me' });
    expect([first.status, again.status]).toEqual([202, 202]);
    expect(await again.json()).toEqual({ status: 'duplicate' });
    await messagesInSpace(0);
    expect(await stored()).toEqual({ events: before.events + 1, deliveries: before.deliveries + 1 });
    expect((await postedMessages(webex)).length).toBe(posted + 1);
  });

  it('answers 202 and stores nothing for an update of fields nobody watches', async () => {
    const before = await stored();
    const res = await postJiraWebhook(service.url, jiraIssueRanked);
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ status: 'ignored' });
    expect(await stored()).toEqual(before);
  });

  describe('refuses, storing nothing,', () => {
    let before: { events: number; deliveries: number };
    beforeEach(async () => {
      before = await stored();
    });
    afterEach(async () => {
      expect(await stored()).toEqual(before);
    });

    it('a signature made with the wrong secret (401)', async () => {
      const res = await postJiraWebhook(service.url, jiraCommentCreated, { secret: 'not-the-secret' });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'notify.badSignature', message: expect.stringMatching(/signature/) } });
    });

    it('a body changed after it was signed (401)', async () => {
      const raw = JSON.stringify(jiraCommentCreated);
      const tampered = raw.replace('Pieter Visser', 'Pieter Vissers');
      const res = await postJiraWebhook(service.url, undefined, { raw: tampered, signature: signJiraBody(raw, 'sandbox-jira-webhook-secret') });
      expect(res.status).toBe(401);
    });

    it('a webhook without X-Hub-Signature (401)', async () => {
      const res = await postJiraWebhook(service.url, jiraCommentCreated, { signature: null });
      expect(res.status).toBe(401);
    });

    it('a signed body that is not JSON (400)', async () => {
      const res = await postJiraWebhook(service.url, undefined, { raw: '{"webhookEvent": ' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('http.badJson');
    });

    it('a signed body that is not a Jira webhook (400, naming the field)', async () => {
      const res = await postJiraWebhook(service.url, { ...jiraIssueCreated, issue: { ...jiraIssueCreated.issue, fields: 'x' } });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ error: { code: 'notify.badPayload', message: expect.stringContaining('issue.fields') } });
    });

    it('a signed webhook without X-Atlassian-Webhook-Identifier (400)', async () => {
      const raw = JSON.stringify(jiraIssueCreated);
      const res = await fetch(`${service.url}/hooks/jira`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature': signJiraBody(raw, 'sandbox-jira-webhook-secret') },
        body: raw,
      });
      expect(res.status).toBe(400);
    });
  });

  it('delivers once each and in order when Webex answers 503 and 429 on the way', async () => {
    const other = await createSpace(webex, 'Burst');
    await service.notifications.subscriptions.subscribe({ spaceId: other, source: 'jira', sourceKey: 'BST', locale: 'en' });
    const faults = [{ status: 503, times: 2 }, { status: 429, retryAfter: 1, times: 1 }];
    for (const f of faults) expect((await fetch(`${webex}/_faults`, { method: 'POST', body: JSON.stringify(f) })).status).toBe(201);
    const keys = ['BST-1', 'BST-2', 'BST-3', 'BST-4'];
    for (const key of keys) {
      const body = { ...jiraIssueUpdated, issue: { ...jiraIssueUpdated.issue, key, fields: { ...jiraIssueUpdated.issue.fields, project: { key: 'BST' } } } };
      expect((await postJiraWebhook(service.url, body)).status).toBe(202);
    }
    const messages = await messagesInSpace(1, other, 15_000);
    // A burst may go out as digests; either way each change arrives once, in order.
    const delivered = messages.flatMap((m) => [...(m.markdown ?? '').matchAll(/\[(BST-\d)\]/g)].map((x) => x[1]));
    expect(delivered).toEqual(keys);
    const log = (await (await fetch(`${webex}/_log`)).json()) as { requests: { path: string; body: string }[] };
    const attempts = log.requests.filter((r) => r.path.endsWith('/v1/messages') && JSON.parse(r.body).roomId === other);
    expect(attempts.length).toBe(messages.length + 3);
  }, 30_000);
});
