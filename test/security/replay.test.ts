import { SANDBOX_TRELLO_API_SECRET, signTrelloBody } from '../../core';
import { ReplayGuard } from '../../core/internal';
import { SLACK_SIGNATURE_WINDOW_SECONDS, signSlackRequest, verifySlackSignature } from '../../slack-app/signature';
import { jiraIssueCreated } from '../fixtures/jira-webhooks';
import { trelloCreateCard, trelloModel } from '../fixtures/trello-webhooks';
import { postJiraWebhook } from '../helpers/jira';
import { startTestService, type TestService } from '../helpers/service';
import { createSpace } from '../helpers/webex-sandbox';
import { dialects, openTestStore, type TestStore } from '../helpers/stores';

/**
 * Issue 13, "Also fix: Replay". A source's signature covers its body, not its delivery
 * headers: a captured delivery must not be accepted again under a new identifier.
 */
describe('replayed webhooks', () => {
  let service: TestService;
  let space: string;

  beforeAll(async () => {
    service = await startTestService();
    space = await createSpace(service.endpoints.sandbox('webex'), 'Replay');
    await service.notifications.subscriptions.subscribe({ spaceId: space, source: 'jira', sourceKey: 'KAN', locale: 'en' });
    await service.notifications.subscriptions.subscribe({ spaceId: space, source: 'trello', sourceKey: trelloModel.id, locale: 'en' });
  });
  afterAll(() => service.dispose());

  const events = async () =>
    Number((await service.store.db.selectFrom('notification_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('a captured Jira delivery re-sent under a new X-Atlassian-Webhook-Identifier is a duplicate', async () => {
    const before = await events();
    const first = await postJiraWebhook(service.url, jiraIssueCreated, { identifier: 'captured-1' });
    expect(await first.json()).toMatchObject({ status: 'accepted' });
    for (const identifier of ['replayed-2', 'replayed-3']) {
      const again = await postJiraWebhook(service.url, jiraIssueCreated, { identifier });
      expect(again.status).toBe(202);
      expect(await again.json()).toEqual({ status: 'duplicate' });
    }
    expect(await events()).toBe(before + 1);
  });

  it('a different Jira event (another timestamp) is not taken for a replay', async () => {
    const before = await events();
    const later = { ...jiraIssueCreated, timestamp: jiraIssueCreated.timestamp + 1 };
    expect(await (await postJiraWebhook(service.url, later, { identifier: 'captured-1' })).json()).toMatchObject({ status: 'accepted' });
    expect(await events()).toBe(before + 1);
  });

  it('a captured Jira delivery is refused once it is older than the delivery window (or dated ahead)', async () => {
    const before = await events();
    const hour = 60 * 60_000;
    for (const timestamp of [Date.now() - hour - 60_000, Date.now() + 10 * 60_000, 9e15]) {
      const res = await postJiraWebhook(service.url, { ...jiraIssueCreated, timestamp }, { identifier: `old-${timestamp}` });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'notify.stale' } });
    }
    // Jira's retries come up to 30 minutes late: still taken.
    const late = await postJiraWebhook(service.url, { ...jiraIssueCreated, timestamp: Date.now() - 35 * 60_000 });
    expect(await late.json()).toMatchObject({ status: 'accepted' });
    expect(await events()).toBe(before + 1);
  });

  it('a captured Trello delivery re-sent is a duplicate (its action id is inside what Trello signs)', async () => {
    const url = `${service.url}/hooks/trello`;
    const body = JSON.stringify(trelloCreateCard);
    const send = () => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-trello-webhook': signTrelloBody(body, url, SANDBOX_TRELLO_API_SECRET) }, body });
    expect(await (await send()).json()).toMatchObject({ status: 'accepted' });
    expect(await (await send()).json()).toEqual({ status: 'duplicate' });
  });
});

describe.each(dialects)('the Slack replay guard at the edge of the window (%s)', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect);
  });
  afterEach(() => t.dispose());

  const secret = 'edge-secret';
  const body = Buffer.from('command=%2Fwebex&text=list');

  // Slack refuses a timestamp "more than five minutes from local time"
  // (https://api.slack.com/authentication/verifying-requests-from-slack), in whole seconds, both
  // ways. A request stamped five minutes ahead of the first sight stays valid until ten minutes
  // and almost a second after it: the guard must remember it that long.
  it.each([0, 1, 500, 999])('refuses a replay at the last valid moment (first seen %i ms into its second)', async (ms) => {
    const guard = new ReplayGuard(t.store.db, SLACK_SIGNATURE_WINDOW_SECONDS);
    const firstSecond = 1_800_000_000;
    const first = new Date(firstSecond * 1000 + ms);
    const timestamp = firstSecond + SLACK_SIGNATURE_WINDOW_SECONDS;
    const signature = signSlackRequest(secret, timestamp, body);
    expect(verifySlackSignature(secret, { timestamp: String(timestamp), signature }, body, firstSecond)).toMatchObject({ ok: true });
    expect(await guard.firstSight(signature, first)).toBe(true);

    // The last moment the signature is still within the window: 999 ms into second ts + 300.
    const lastSecond = timestamp + SLACK_SIGNATURE_WINDOW_SECONDS;
    const last = new Date(lastSecond * 1000 + 999);
    expect(verifySlackSignature(secret, { timestamp: String(timestamp), signature }, body, lastSecond)).toMatchObject({ ok: true });
    expect(await guard.firstSight(signature, last)).toBe(false);
    // One second on, the signature is stale anyway.
    expect(verifySlackSignature(secret, { timestamp: String(timestamp), signature }, body, lastSecond + 1)).toMatchObject({ ok: false, reason: 'stale' });
  });
});
