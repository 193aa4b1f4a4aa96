import type { Kysely } from 'kysely';
import { isoNow, systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';
import type { SourceEvent } from './source-event';

/** Which item a change is about, in one space: what a thread is kept for. */
export interface ThreadItem {
  spaceId: string;
  source: SourceEvent['source'];
  sourceKey: string;
  /** The item's human key: "KAN-22", "#12" (a Trello card), a file's name. */
  itemKey: string;
}

export function threadItemOf(spaceId: string, event: SourceEvent): ThreadItem {
  return { spaceId, source: event.source, sourceKey: event.sourceKey, itemKey: event.subject.key };
}

/**
 * The `notification_threads` table: the top-level Webex message that started each item's thread
 * in a space. Only a top-level message is ever recorded, so a stored parent is always one Webex
 * accepts as `parentId` (a reply cannot be a parent).
 *
 * Two threads for one item cannot start at once: a space's deliveries go out one at a time, in
 * order. Outbox.claimDue claims only each space's queue head (`queueHeads`: the lowest unfinished
 * id per space), and a head being sent stays unfinished ('sending') with its lease as due time, so
 * nothing after it in that space is claimed, by this worker or any replica, until it is recorded
 * (core/notifications/outbox.ts, claimDue and queueHeads; on PostgreSQL the head row is locked
 * FOR UPDATE SKIP LOCKED while claimed). Should a lease run out mid-send and another worker take
 * the row over, `link` still keeps the first parent recorded (primary key, insert-or-nothing) and
 * answers it, so every later change replies under one thread.
 */
export class ThreadRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = systemClock,
  ) {}

  async parentOf(item: ThreadItem): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('notification_threads')
      .select('parent_message_id')
      .where('space_id', '=', item.spaceId)
      .where('source', '=', item.source)
      .where('source_key', '=', item.sourceKey)
      .where('item_key', '=', item.itemKey)
      .executeTakeFirst();
    return row?.parent_message_id;
  }

  /** Records the message that starts the item's thread, unless one is recorded; answers the one kept. */
  async link(item: ThreadItem, parentMessageId: string): Promise<string> {
    await this.db
      .insertInto('notification_threads')
      .values({
        space_id: item.spaceId,
        source: item.source,
        source_key: item.sourceKey,
        item_key: item.itemKey,
        parent_message_id: parentMessageId,
        created_at: isoNow(this.clock),
      })
      .onConflict((oc) => oc.columns(['space_id', 'source', 'source_key', 'item_key']).doNothing())
      .execute();
    return (await this.parentOf(item)) ?? parentMessageId;
  }

  /** Webex no longer knows the parent (deleted): the next change starts a new thread. */
  async forget(item: ThreadItem, parentMessageId: string): Promise<void> {
    await this.db
      .deleteFrom('notification_threads')
      .where('space_id', '=', item.spaceId)
      .where('source', '=', item.source)
      .where('source_key', '=', item.sourceKey)
      .where('item_key', '=', item.itemKey)
      .where('parent_message_id', '=', parentMessageId)
      .execute();
  }
}
