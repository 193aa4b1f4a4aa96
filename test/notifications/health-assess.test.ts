import { assessHealth, defaultHealthPolicy, healthLabel, healthNoticeText, type HealthFacts, type Subscription } from '../../core/internal';
import { Lease } from '../../core/notifications/health/lease';
import { testStore } from '../helpers/notifications';

const DAY = 86_400_000;
const now = Date.parse('2026-12-01T12:00:00Z');
const sub = (source: Subscription['source'], createdDaysAgo: number): Subscription => ({
  id: 7, spaceId: 'room', source, sourceKey: source === 'jira' ? 'KAN' : 'b1', filter: {}, locale: 'nl-NL', createdBy: null,
  createdAt: new Date(now - createdDaysAgo * DAY).toISOString(), restrictedAllowed: false, format: 'full', skipOwn: false, important: ['status', 'created', 'deleted'],
});
const facts = (s: Subscription, over: Partial<HealthFacts> = {}): HealthFacts => ({ subscription: s, lastEventAt: null, lastDeliveryAt: null, failing: 0, dead: 0, upstream: undefined, ...over });

describe('assessing a subscription', () => {
  it('is silent only after the source\'s unusual quiet time, counted from the last event or the start', () => {
    expect(assessHealth(facts(sub('jira', 13)), defaultHealthPolicy, now)).toMatchObject({ status: 'ok', upstream: 'seen' });
    expect(assessHealth(facts(sub('jira', 15)), defaultHealthPolicy, now)).toMatchObject({ status: 'broken', problem: 'silent', upstream: 'notSeen' });
    const recent = new Date(now - 2 * DAY).toISOString();
    expect(assessHealth(facts(sub('jira', 400), { lastEventAt: recent }), defaultHealthPolicy, now)).toMatchObject({ status: 'ok' });
    expect(assessHealth(facts(sub('graph', 20)), defaultHealthPolicy, now).status).toBe('ok');
  });

  it('names the first problem that applies: gone before dead letters before silent', () => {
    const gone = { source: 'trello' as const, upstreamKey: 'b1', state: 'gone' as const, failures: 1, detail: '404', expiresAt: null, checkedAt: '' };
    expect(assessHealth(facts(sub('trello', 30), { dead: 2, upstream: gone }), defaultHealthPolicy, now).problem).toBe('sourceGone');
    expect(assessHealth(facts(sub('trello', 30), { dead: 2 }), defaultHealthPolicy, now).problem).toBe('deadLetters');
    const failing = { ...gone, source: 'graph' as const, state: 'failing' as const, failures: 2 };
    expect(assessHealth(facts(sub('graph', 1), { upstream: failing }), defaultHealthPolicy, now).status).toBe('ok');
    expect(assessHealth(facts(sub('graph', 1), { upstream: { ...failing, failures: 3 } }), defaultHealthPolicy, now).problem).toBe('renewalFailing');
  });

  it('says it in Dutch and English', () => {
    const silent = assessHealth(facts(sub('jira', 30)), defaultHealthPolicy, now);
    expect(healthLabel(silent, 'nl', defaultHealthPolicy)).toBe('al 14 dagen geen wijzigingen');
    expect(healthLabel(silent, 'en', defaultHealthPolicy)).toBe('no changes for 14 days');
    expect(healthNoticeText(silent, 2, 'en-GB', defaultHealthPolicy).text).toBe(
      'No changes from Jira project KAN for 14 days, which is unusual. If changes were made, its webhook is probably broken: ask an administrator to check (een-bridge subscriptions list).',
    );
  });
});

describe.each(['sqlite', 'postgres'] as const)('the health check lease on %s', (kind) => {
  it('is held by one replica at a time and taken over once it ran out', async () => {
    const { store, another, dispose } = await testStore(kind);
    try {
      let t = Date.parse('2026-12-01T12:00:00Z');
      const clock = { now: () => new Date(t) };
      const a = new Lease(store.db, 'notification-health', clock);
      const b = new Lease((await another()).db, 'notification-health', clock);
      const both = await Promise.all([a.take(60_000), b.take(60_000)]);
      expect(both.filter(Boolean)).toHaveLength(1);
      const [holder, other] = both[0] ? [a, b] : [b, a];
      expect(await holder.take(60_000)).toBe(true);
      expect(await other.take(60_000)).toBe(false);
      t += 61_000;
      expect(await other.take(60_000)).toBe(true);
      expect(await holder.take(60_000)).toBe(false);
    } finally {
      await dispose();
    }
  });
});
