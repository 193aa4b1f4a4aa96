import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/schema';
import type { Subscription } from '../subscriptions';
import type { HealthFacts } from './assess';
import type { UpstreamHealth } from './upstream-health';

/** The Graph drive of a folder key `<driveId>/<folderId>` (Graph subscriptions are per drive). */
export function upstreamKeyOf(s: Pick<Subscription, 'source' | 'sourceKey'>): string {
  return s.source === 'graph' ? s.sourceKey.split('/')[0]! : s.sourceKey;
}

/**
 * The facts of every given subscription in three grouped queries, however many there are: the
 * newest event per source key, and per space and source key the newest delivery, the deliveries
 * still queued after a failure and the dead letters.
 */
export async function healthFacts(db: Kysely<Database>, subscriptions: Subscription[], upstream: UpstreamHealth[]): Promise<HealthFacts[]> {
  if (subscriptions.length === 0) return [];
  const events = await db
    .selectFrom('notification_events')
    .select(['source', 'source_key', (eb) => eb.fn.max('received_at').as('last')])
    .groupBy(['source', 'source_key'])
    .execute();
  const deliveries = await db
    .selectFrom('notification_deliveries as d')
    .innerJoin('notification_events as ev', 'ev.id', 'd.event_id')
    .select([
      'd.space_id',
      'ev.source',
      'ev.source_key',
      (eb) => eb.fn.max('d.delivered_at').as('last'),
      sql<number>`sum(case when d.status = 'dead' then 1 else 0 end)`.as('dead'),
      sql<number>`sum(case when d.status in ('pending', 'sending') and d.attempts > 0 then 1 else 0 end)`.as('failing'),
    ])
    .groupBy(['d.space_id', 'ev.source', 'ev.source_key'])
    .execute();
  const lastEvent = new Map(events.map((e) => [`${e.source} ${e.source_key}`, e.last]));
  const perSpace = new Map(deliveries.map((d) => [`${d.space_id} ${d.source} ${d.source_key}`, d]));
  const up = new Map(upstream.map((u) => [`${u.source} ${u.upstreamKey}`, u]));
  // A Graph subscription's own row is the truth about its expiry (made when the first folder
  // was followed, moved on by each renewal); a drive with a row and no renewal failure is ok.
  if (subscriptions.some((s) => s.source === 'graph')) {
    for (const g of await db.selectFrom('graph_subscriptions').select(['drive_id', 'expires_at', 'updated_at']).execute()) {
      const known = up.get(`graph ${g.drive_id}`);
      if (!known) up.set(`graph ${g.drive_id}`, { source: 'graph', upstreamKey: g.drive_id, state: 'ok', failures: 0, detail: null, expiresAt: g.expires_at, checkedAt: g.updated_at });
      else up.set(`graph ${g.drive_id}`, { ...known, expiresAt: g.expires_at });
    }
  }
  return subscriptions.map((s) => {
    const d = perSpace.get(`${s.spaceId} ${s.source} ${s.sourceKey}`);
    return {
      subscription: s,
      lastEventAt: lastEvent.get(`${s.source} ${s.sourceKey}`) ?? null,
      lastDeliveryAt: d?.last ?? null,
      failing: Number(d?.failing ?? 0),
      dead: Number(d?.dead ?? 0),
      upstream: up.get(`${s.source} ${upstreamKeyOf(s)}`),
    };
  });
}
