import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema';
import type { SourceEvent, SourceName } from '../source-event';

/** The item a notification message was about, as far as a reply needs it. */
export interface ThreadItem {
  source: SourceName;
  /** "KAN-22" for Jira; "#12" for a Trello card. */
  key: string;
  title: string;
  url: string | null;
  /** The space's language when the notification was queued (the delivery's locale). */
  locale: string;
}

export type ThreadLookup = { found: ThreadItem } | { several: true; locale: string } | undefined;

/**
 * Which item a Webex message of ours was about: the outbox keeps the id of the message each
 * delivery became (`notification_deliveries.webex_message_id`), and the delivery's event says the
 * item. A digest carries several deliveries in one message; when they name different items the
 * answer is `several`. Only deliveries to `spaceId` count, so a message id from another space
 * finds nothing.
 */
export class ThreadItems {
  constructor(private readonly db: Kysely<Database>) {}

  async of(spaceId: string, messageId: string): Promise<ThreadLookup> {
    const rows = await this.db
      .selectFrom('notification_deliveries as d')
      .innerJoin('notification_events as ev', 'ev.id', 'd.event_id')
      .select(['ev.payload', 'd.locale'])
      .where('d.space_id', '=', spaceId)
      .where('d.webex_message_id', '=', messageId)
      .limit(50)
      .execute();
    const items = new Map<string, ThreadItem>();
    for (const row of rows) {
      const event = JSON.parse(row.payload) as SourceEvent;
      items.set(`${event.source} ${event.sourceKey} ${event.subject.key}`, { source: event.source, key: event.subject.key, title: event.subject.title, url: event.subject.url, locale: row.locale });
    }
    const [first] = items.values();
    if (!first) return undefined;
    return items.size === 1 ? { found: first } : { several: true, locale: first.locale };
  }
}
