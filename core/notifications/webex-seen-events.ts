import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../clock';
import type { Database } from '../store/schema';

/** The parts of a verified Webex webhook envelope that identify one event. */
export interface WebexEventIdentity {
  /** The webhook's id (the envelope `id`): the same for every event of that webhook. */
  webhookId: string;
  resource: string;
  event: string;
  /** The id of the message, attachment action or membership (`data.id`). */
  dataId: string;
  /** `data.created`: when the message or button press happened (memberships: when the membership began). */
  created?: string | undefined;
}

export type Sighting = 'first' | 'replayed' | 'stale';

/** Whether a Webex event was seen before, as the bot's webhook asks (issue 14: a port, not the repository). */
export interface SeenEvents {
  sight(e: WebexEventIdentity): Promise<Sighting>;
}

/** Resources whose `data.created` is when the command was given, so an old one can only be a replay. */
const COMMAND_RESOURCES = new Set(['messages', 'attachmentActions']);

/**
 * Webex events already handed to the bot, so a captured event posted again (its signature is
 * still valid: Webex signs the body only, with no timestamp, developer.webex.com/docs/api/guides/
 * webhooks "Handling Requests from Webex") does not run its command twice.
 *
 * An event is its webhook id with resource, event and `data.id`: a message id is created once,
 * a membership id created once and deleted once. `updated` events (a room renamed or locked)
 * repeat for the same id and run no command, so they are not remembered. Kept in the store so
 * every replica agrees, and only for `windowMs`: a message or button press whose `data.created`
 * is older than that is refused as stale (Webex does not retry deliveries, so a real one
 * arrives within seconds), which is what bounds the table: nothing older is ever needed.
 */
export class WebexSeenEvents implements SeenEvents {
  private lastPrune = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly windowMs = 60 * 60_000,
    private readonly clock: Clock = systemClock,
    /** Clocks differ: Webex's `created` may be a little ahead of ours. */
    private readonly skewMs = 5 * 60_000,
  ) {}

  async sight(e: WebexEventIdentity): Promise<Sighting> {
    const now = this.clock.now().getTime();
    if (COMMAND_RESOURCES.has(e.resource)) {
      const created = e.created === undefined ? Number.NaN : Date.parse(e.created);
      // A command without a readable time cannot be placed in the window: refused, as Webex always sends one.
      if (!Number.isFinite(created) || created < now - this.windowMs) return 'stale';
    }
    if (e.event === 'updated') return 'first';
    await this.prune(now);
    const inserted = await this.db
      .insertInto('webex_seen_events')
      .values({ event_key: `${e.webhookId}/${e.resource}:${e.event}/${e.dataId}`.slice(0, 600), seen_at: new Date(now).toISOString() })
      .onConflict((oc) => oc.column('event_key').doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0 ? 'first' : 'replayed';
  }

  /** At most once a minute: forgets events older than the window (and the clock skew). */
  private async prune(now: number): Promise<void> {
    if (now - this.lastPrune < 60_000) return;
    this.lastPrune = now;
    const before = new Date(now - this.windowMs - this.skewMs).toISOString();
    await this.db.deleteFrom('webex_seen_events').where('seen_at', '<', before).execute();
  }
}
