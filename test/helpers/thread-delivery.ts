import type { Kysely } from 'kysely';
import type { Database } from '../../core/internal';
import type { EmulatedMessage } from '../../sandbox/webex-api/messaging-state';

/**
 * Issue 15: "exactly-once and ordering hold with threads and digests". Checks what reached the
 * Webex emulator against the store's deliveries, by the marker every notification card carries
 * (`een-delivery-<id>-<id>…`, core/notifications/render.ts): a digest names every delivery it
 * carries, so a change is counted even when it was folded into another's message.
 */

/** A delivery as the store holds it: the space it is for and the item (Jira key) it is about. */
export interface StoredDelivery {
  spaceId: string;
  item: string;
}

export async function storedDeliveries(db: Kysely<Database>): Promise<Map<number, StoredDelivery>> {
  const rows = await db
    .selectFrom('notification_deliveries as d')
    .innerJoin('notification_events as ev', 'ev.id', 'd.event_id')
    .select(['d.id', 'd.space_id', 'ev.payload'])
    .execute();
  return new Map(rows.map((r) => [Number(r.id), { spaceId: r.space_id, item: (JSON.parse(r.payload) as { subject: { key: string } }).subject.key }]));
}

/** The delivery ids a message's card names; empty for a message that carries none (a one-line summary). */
export function carriedDeliveries(message: EmulatedMessage): number[] {
  const card = message.attachments?.[0]?.content as { body?: { id?: unknown }[] } | undefined;
  const id = card?.body?.[0]?.id;
  if (typeof id !== 'string' || !id.startsWith('een-delivery-')) return [];
  return id.slice('een-delivery-'.length).split('-').map(Number);
}

export interface ThreadedDeliveryReport {
  messages: number;
  replies: number;
  threads: number;
  /** Deliveries that reached a group space twice (allowed only for sends logged as in doubt). */
  duplicates: number;
}

/**
 * Throws, listing what is wrong, unless:
 * - every delivery reached its own space, exactly once (a group space may see a send the service
 *   logged as in doubt, "may duplicate", twice: a bot cannot list a group space's messages);
 * - each space received its deliveries in the order they were accepted (delivery ids rise);
 * - threads: a message about several items is top level; every message about one item after the
 *   item's first is a reply to that first message (Webex `parentId`), in the same space. A
 *   message sent again in doubt may leave its first copy as an orphan before the thread's start.
 */
export function expectThreadedExactlyOnce(
  messages: readonly EmulatedMessage[],
  deliveries: ReadonlyMap<number, StoredDelivery>,
  options: { groupSpaces: readonly string[]; ambiguous: number },
): ThreadedDeliveryReport {
  const problems: string[] = [];
  const times = new Map<number, number>();
  const carried = messages.map((m) => ({ message: m, ids: carriedDeliveries(m) })).filter((c) => c.ids.length > 0);
  const byId = new Map(messages.map((m) => [m.id, m]));
  const lastSeenIn = new Map<string, number>();
  let duplicates = 0;
  for (const { message, ids } of carried) {
    for (const id of ids) {
      const stored = deliveries.get(id);
      if (!stored) problems.push(`message ${message.id.slice(-6)} carries unknown delivery ${id}`);
      else if (stored.spaceId !== message.roomId) problems.push(`delivery ${id} for ${stored.spaceId.slice(-6)} reached ${message.roomId.slice(-6)}`);
      const n = (times.get(id) ?? 0) + 1;
      times.set(id, n);
      if (n > 1) {
        if (options.groupSpaces.includes(message.roomId) && n === 2) duplicates += 1;
        else problems.push(`delivery ${id} reached ${message.roomId.slice(-6)} ${n} times`);
        continue;
      }
      const last = lastSeenIn.get(message.roomId) ?? 0;
      if (id <= last) problems.push(`space ${message.roomId.slice(-6)}: delivery ${id} arrived after ${last}`);
      lastSeenIn.set(message.roomId, Math.max(last, id));
    }
  }
  if (duplicates > options.ambiguous) problems.push(`${duplicates} group-space duplicates, but only ${options.ambiguous} sends logged as in doubt`);
  for (const [id, d] of deliveries) if (!times.has(id)) problems.push(`delivery ${id} (${d.item}) never reached ${d.spaceId.slice(-6)}`);

  // Threads, per space and item, in the order the messages arrived.
  const starts = new Map<string, string>();
  let replies = 0;
  for (const { message, ids } of carried) {
    const items = new Set(ids.map((id) => deliveries.get(id)?.item));
    if (items.size !== 1) {
      if (message.parentId !== undefined) problems.push(`message ${message.id.slice(-6)} about ${[...items].join(', ')} is a reply; a digest of several items goes top level`);
      continue;
    }
    const key = `${message.roomId} ${[...items][0]}`;
    const start = starts.get(key);
    if (message.parentId === undefined) {
      // A second top level message about the item: only when the first was an in-doubt send made again.
      const first = start === undefined ? undefined : carried.find((c) => c.message.id === start);
      const resentFirst = first !== undefined && first.ids.every((id) => (times.get(id) ?? 0) > 1) && ids.some((id) => first.ids.includes(id));
      if (start !== undefined && !resentFirst) problems.push(`space ${message.roomId.slice(-6)}: ${[...items][0]} started a second thread`);
      if (start === undefined || resentFirst) starts.set(key, message.id);
      continue;
    }
    replies += 1;
    const parent = byId.get(message.parentId);
    if (!parent || parent.roomId !== message.roomId) problems.push(`reply ${message.id.slice(-6)} has a parent outside its space`);
    else if (message.parentId !== start) problems.push(`space ${message.roomId.slice(-6)}: a reply about ${[...items][0]} is in thread ${message.parentId.slice(-6)}, not the item's first message ${start?.slice(-6) ?? '(none)'}`);
  }
  if (problems.length > 0) throw new Error(`threads and digests broke exactly-once or order:\n${problems.slice(0, 25).join('\n')}`);
  return { messages: carried.length, replies, threads: starts.size, duplicates };
}

/** How many distinct deliveries the messages carry: a run is done when this reaches what the store holds. */
export function distinctDeliveriesCarried(messages: readonly EmulatedMessage[]): number {
  return new Set(messages.flatMap((m) => carriedDeliveries(m))).size;
}
