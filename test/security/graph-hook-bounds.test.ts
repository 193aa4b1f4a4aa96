import { GRAPH_MAX_NOTIFICATIONS_PER_POST } from '../../core/internal';
import { startTestService, type TestService } from '../helpers/service';

/**
 * Issue 13, "unauthenticated amplification": /hooks/graph is unauthenticated (Graph signs
 * nothing; the clientState is the only proof), and one body of 1000 bogus notifications made
 * 1000 store look-ups and 1000 warnings. Microsoft documents no maximum number of
 * notifications per POST (learn.microsoft.com/graph/change-notifications-delivery-webhooks:
 * "A change notification payload ... can contain a collection of change notifications"), so
 * the cap stays generous and what a body can cost is bounded instead: above the cap a 400
 * before any work, under it one store query and one warning per body, whatever the count.
 */
describe('/hooks/graph bounds what one unauthenticated body can cost', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.dispose());

  const post = (count: number, distinct = true) =>
    fetch(`${service.url}/hooks/graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: Array.from({ length: count }, (_, i) => ({ subscriptionId: distinct ? `bogus-${i}` : 'bogus', clientState: 'guess', changeType: 'updated', resource: 'drives/x/root' })),
      }),
    });

  it(`refuses more than ${GRAPH_MAX_NOTIFICATIONS_PER_POST} notifications with 400 before any work`, async () => {
    const before = service.logLines().length;
    const r = await post(GRAPH_MAX_NOTIFICATIONS_PER_POST + 1);
    expect(r.status).toBe(400);
    expect(JSON.stringify(await r.json())).toMatch(/value/);
    await service.notifications.graph!.idle();
    expect(service.logLines().slice(before).filter((l) => /Graph notification/.test(String(l.msg)))).toEqual([]);
  });

  it('answers a full body of bogus notifications with 202, one store query and one warning', async () => {
    // Counts the queries on graph_subscriptions by wrapping Kysely's executor (one instance per db).
    const queries: string[] = [];
    type Execute = (compiled: { sql: string }, ...rest: unknown[]) => Promise<unknown>;
    const executor = service.store.db.getExecutor() as unknown as { executeQuery: Execute };
    const original = executor.executeQuery;
    executor.executeQuery = function countingExecuteQuery(this: unknown, compiled, ...rest) {
      if (/graph_subscriptions/.test(compiled.sql)) queries.push(compiled.sql);
      return original.call(this, compiled, ...rest);
    };
    try {
      const before = service.logLines().length;
      const r = await post(GRAPH_MAX_NOTIFICATIONS_PER_POST);
      expect(r.status).toBe(202);
      await service.notifications.graph!.idle();
      expect(queries).toHaveLength(1);
      const warnings = service.logLines().slice(before).filter((l) => /Graph notification/.test(String(l.msg)));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ ignored: GRAPH_MAX_NOTIFICATIONS_PER_POST });
    } finally {
      executor.executeQuery = original;
    }
  });
});
