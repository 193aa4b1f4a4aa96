import nock from 'nock';
import { GraphApi, UpstreamError, encodeSharingUrl } from '../../core/internal';

const api = 'https://graph.example.test/v1.0';
const graph = new GraphApi({ baseUrl: () => api, token: () => Promise.resolve('app-token') });

afterEach(() => nock.cleanAll());

describe('GraphApi', () => {
  it('encodes a sharing link as u! + unpadded base64url (https://learn.microsoft.com/graph/api/shares-get)', () => {
    const url = 'https://contoso.sharepoint.com/:f:/s/sales/EabcD?e=x1';
    const encoded = encodeSharingUrl(url);
    expect(encoded).toMatch(/^u![A-Za-z0-9_-]+$/);
    expect(Buffer.from(encoded.slice(2), 'base64url').toString('utf8')).toBe(url);
  });

  it('creates a subscription with the bearer token and changeType updated', async () => {
    const scope = nock(api, { reqheaders: { authorization: 'Bearer app-token' } })
      .post('/subscriptions', (b: Record<string, unknown>) => b.changeType === 'updated' && b.resource === '/drives/d1/root' && b.clientState === 's')
      .reply(201, { id: 'sub-1', resource: 'drives/d1/root', expirationDateTime: '2026-12-01T00:00:00Z' });
    const sub = await graph.createSubscription({ resource: '/drives/d1/root', notificationUrl: 'https://x/hooks/graph', lifecycleNotificationUrl: 'https://x/hooks/graph', clientState: 's', expirationDateTime: '2026-12-01T00:00:00Z' });
    expect(sub.id).toBe('sub-1');
    expect(scope.isDone()).toBe(true);
  });

  it('follows an absolute nextLink as given on the Graph host (never elsewhere: test/security), and maps Graph errors to UpstreamError with status and Retry-After', async () => {
    nock('https://graph.example.test').get('/v1.0/drives/d1/root/delta').query({ $skiptoken: 'abc' }).reply(200, { value: [] });
    await expect(graph.deltaPage({ link: 'https://graph.example.test/v1.0/drives/d1/root/delta?$skiptoken=abc' })).resolves.toEqual({ value: [] });

    nock(api).patch('/subscriptions/gone').reply(404, { error: { code: 'ResourceNotFound', message: 'The object was not found.' } });
    const gone = await graph.renewSubscription('gone', '2026-12-01T00:00:00Z').catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(UpstreamError);
    expect(gone).toMatchObject({ status: 404, message: expect.stringContaining('ResourceNotFound') });

    nock(api).get('/drives/d1/root/delta').query({ token: 'latest' }).reply(429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'Retry-After': '7' });
    await expect(graph.latestDelta('d1')).rejects.toMatchObject({ status: 429, retryAfterSeconds: 7 });

    nock(api).delete('/subscriptions/s1').reply(204);
    await expect(graph.deleteSubscription('s1')).resolves.toBeUndefined();
  });
});

// nock patches node:http for the whole Jest worker, and a later test file in it would still go
// through it (its keep-alive agent's sockets were not reused: test/unit/http-transport.test.ts).
afterAll(() => nock.restore());
