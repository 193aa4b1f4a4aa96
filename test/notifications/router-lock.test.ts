import { sql } from 'kysely';
import { NotificationInbox, NotificationRouter, SubscriptionRepository, takeRouterLock, type Store } from '../../core/internal';
import { memoryLogger } from '../helpers/service';
import { jiraEvent, testStore } from '../helpers/notifications';

/**
 * The router's advisory lock keeps two replicas of one deployment from routing the same events
 * at once. Advisory locks belong to the database, not to a schema, so deployments sharing one
 * PostgreSQL database in schemas of their own (a search_path in the database URL, a test run's schemas) must
 * not take each other's: one would stand idle while the other routes.
 */
describe('the router lock on postgres', () => {
  const { log } = memoryLogger();
  const disposals: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const dispose of disposals.splice(0)) await dispose();
  });

  async function deployment(): Promise<{ store: Store; replica: Store }> {
    const { store, another, dispose } = await testStore('postgres');
    disposals.push(dispose);
    await new SubscriptionRepository(store.db).subscribe({ spaceId: 'space-a', source: 'jira', sourceKey: 'KAN', locale: 'en' });
    await new NotificationInbox(store.db).accept(jiraEvent('lock-1', 'KAN-1'));
    return { store, replica: await another() };
  }

  it('is held per deployment: one that holds it keeps its own replicas out, not another schema’s router', async () => {
    const first = await deployment();
    const second = await deployment();
    await first.store.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{ locked: boolean }>`select ${takeRouterLock} as locked`.execute(trx);
      expect(rows[0]!.locked).toBe(true);
      // Its own replica waits for it...
      expect(await new NotificationRouter(first.replica.db, 'postgres', log).routeOnce()).toBe('busy');
      // ...another deployment's router routes meanwhile.
      expect(await new NotificationRouter(second.store.db, 'postgres', log).routeOnce()).toEqual({ events: 1, deliveries: 1 });
    });
    expect(await new NotificationRouter(first.replica.db, 'postgres', log).routeOnce()).toEqual({ events: 1, deliveries: 1 });
  });
});
