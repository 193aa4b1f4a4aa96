import { receiveJiraWebhook, signJiraBody, type NotificationInbox } from '../../core/internal';
import { createHttpServer, mountNotificationHooks, type HttpServer } from '../../inbound';
import { jiraIssueUpdated } from '../fixtures/jira-webhooks';
import { memoryLogger } from '../helpers/service';

/** While the store cannot commit (PostgreSQL restarting, say), a webhook is refused as "come back later". */
describe('POST /hooks/jira while the store is down', () => {
  let server: HttpServer;
  let url: string;
  const { log, lines } = memoryLogger();
  const downInbox = { accept: () => Promise.reject(new Error('Connection terminated unexpectedly')) } as unknown as NotificationInbox;

  beforeAll(async () => {
    server = createHttpServer({ bodyLimitBytes: 1 << 20, log, isReady: async () => false });
    mountNotificationHooks(server.restify, { jira: (delivery) => receiveJiraWebhook(delivery, { secret: () => 'jira-secret', inbox: downInbox, log }) });
    url = `http://127.0.0.1:${(await server.listen(0, '127.0.0.1')).port}`;
  });
  afterAll(() => server.close(100));

  it('answers 503 with Retry-After, so Jira retries, and names no internal error', async () => {
    const body = JSON.stringify(jiraIssueUpdated);
    const res = await fetch(`${url}/hooks/jira`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature': signJiraBody(body, 'jira-secret'), 'x-atlassian-webhook-identifier': 'down-1' },
      body,
    });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('30');
    expect(await res.json()).toEqual({ error: { code: 'store.notReady', message: 'The store is not reachable or not migrated yet.' } });
    expect(lines().some((l) => String(l.msg).includes('could not be stored'))).toBe(true);
  });
});
