import { UpstreamError } from '../errors';
import type { Logger } from '../log';
import type { ClaimedDelivery } from './outbox';
import { foldEchoes, importantPart, madeByMember, type SpaceMembers } from './less-noise';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderCompact, renderDigest, renderNotification, type RenderedNotification } from './render';
import type { SourceEvent } from './source-event';
import type { DeliverySettings, SubscriptionRepository } from './subscriptions';
import { threadItemOf, type ThreadRepository } from './threads';
import type { WebexMessages } from './webex-messages';
import { withWithheld } from './restricted/render-withheld';
import { renderScheduledDigest } from './digests/render-scheduled';

/**
 * Sends one claimed delivery to its Webex space and answers the id of the message that carries it;
 * null when nothing was to be sent (every change in it was made by a member of the space and the
 * subscription skips those).
 */
export type DeliverySender = (delivery: ClaimedDelivery, more?: FurtherRequests) => Promise<string | null>;

/**
 * For a request beyond a delivery's own message (the one-line summary of a reply): the worker's
 * pacer covers every Webex request, and a 429 to it pauses the worker like any other.
 */
export interface FurtherRequests {
  /** Waits for a pacer turn; false when sending is paused (a 429). */
  turn(): Promise<boolean>;
  /** A further request was refused: a 429 pauses the worker. */
  refused(err: unknown): void;
}

/** `found`: the message already posted; `certain`: when not found, whether it surely was not. */
type Earlier = { found: { id: string; parentId?: string | undefined; carries: string[] } | undefined; certain: boolean };

/**
 * What threads, formats and skip-own need from the store and Webex (issue 15, "Less noise");
 * without it every change goes top level in full, as before.
 */
export interface LessNoise {
  subscriptions: Pick<SubscriptionRepository, 'deliverySettings'>;
  threads: ThreadRepository;
  members: SpaceMembers;
}

/**
 * Renders in the space's language and posts markdown + card. Webex has no idempotency key, so
 * a delivery in doubt (its last holder's lease ran out mid-send: a crash between Webex's 200
 * and our commit) is looked for first:
 * - in 1:1 spaces the bot may list messages, and finds its card by the marker id on it;
 * - in group spaces Webex lets a bot list only messages that mention it ("Bots must include
 *   mentionedPeople to list messages in group rooms", https://developer.webex.com/docs/api/v1/messages/list-messages),
 *   so it reads the space's `lastActivity`: nothing posted since the earlier send began proves
 *   it never arrived. Otherwise it cannot tell, and sends again (at least once beats never),
 *   logging the possible duplicate.
 *
 * With `noise` (see docs/notifications.md, "Threads, formats and echoes"):
 * - consecutive edits of one item by one person in the message fold into one change (foldEchoes),
 *   and changes made by a member of the space are left out when the subscription skips them;
 * - the first message about an item starts its thread (recorded in notification_threads); later
 *   changes to it are replies (`parentId`), and those the subscription marks as important are
 *   also summarised in one line at the top level. A digest about several items goes top level.
 * - the subscription's format picks the full card or one line per change.
 */
export function webexDeliverySender(messages: WebexMessages, log?: Logger, noise?: LessNoise): DeliverySender {
  return async (delivery, more) => {
    const marker = String(delivery.id);
    if (delivery.inDoubt) {
      const earlier = await findEarlier(messages, delivery, marker);
      if (earlier.found) {
        // Posted just before a crash, maybe before its thread was recorded: a top-level message
        // about one item is that item's thread, or the next change would start a second one.
        if (noise && earlier.found.parentId === undefined) await linkThreadStart(noise, delivery, earlier.found);
        return earlier.found.id;
      }
      if (!earlier.certain) log?.warn({ delivery: delivery.id, space: delivery.spaceId }, 'delivery in doubt after a crash; sending again, may duplicate');
    }
    if (delivery.digest) return sendScheduledDigest(messages, delivery, delivery.digest, marker, noise, log);
    // The marker names every delivery the message carries: "12" alone, "12-13-14" for a digest.
    const carried = [delivery, ...delivery.folded];
    const markers = carried.map((d) => d.id).join('-');
    // Restricted changes this space may not see are counted, not shown (restricted/withheld.ts).
    const withheld = carried.filter((d) => d.withheld).length;
    const shown = carried.filter((d) => !d.withheld);
    const withCount = (rendered: RenderedNotification | undefined) => withWithheld(rendered, withheld, delivery.locale, markers);
    if (!noise) {
      const rendered =
        shown.length === 0 ? undefined
        : shown.length === 1 ? renderNotification(shown[0]!.event, delivery.locale, markers)
        : renderDigest(shown.map((d) => d.event), delivery.locale, markers);
      return post(messages, delivery.spaceId, withCount(rendered));
    }
    const settingsOf = settingsLookup(noise, delivery.spaceId);
    const events = await withoutOwn(foldEchoes(shown.map((d) => d.event)), settingsOf, noise, delivery.spaceId, log);
    if (events.length === 0) return withheld > 0 ? post(messages, delivery.spaceId, withCount(undefined)) : null;
    const settings = await settingsOf(events[0]!);
    const render = (list: SourceEvent[], mark?: string): RenderedNotification =>
      settings.format === 'compact'
        ? renderCompact(list, delivery.locale, mark)
        : list.length === 1
          ? renderNotification(list[0]!, delivery.locale, mark)
          : renderDigest(list, delivery.locale, mark);
    const rendered = withCount(render(events, markers));
    const items = new Set(events.map((e) => `${e.source}\n${e.sourceKey}\n${e.subject.key}`));
    // A message about several items (or one that also counts withheld changes) cannot sit in one
    // item's thread: it goes top level.
    if (withheld > 0 || items.size > 1 || events[0]!.kind === 'source.resync') return post(messages, delivery.spaceId, rendered);
    const item = threadItemOf(delivery.spaceId, events[0]!);
    const parent = await noise.threads.parentOf(item);
    if (parent) {
      try {
        const reply = await post(messages, delivery.spaceId, rendered, parent);
        const important = events.flatMap((e) => importantPart(e, settings.important) ?? []);
        if (important.length > 0) await postSummary(messages, delivery, renderCompact(important, delivery.locale), more, log);
        return reply;
      } catch (err) {
        // The thread's first message is gone (deleted in Webex: 404): start a new thread. Other
        // refusals are about this message, not the thread, and keep the link.
        if (!(err instanceof UpstreamError) || err.status !== 404) throw err;
        log?.info({ space: delivery.spaceId, item: item.itemKey }, 'thread parent refused; starting a new thread');
        await noise.threads.forget(item, parent);
      }
    }
    const started = await post(messages, delivery.spaceId, rendered);
    await noise.threads.link(item, started);
    return started;
  };
}

/**
 * A space's scheduled digest (digests/): one top-level message grouped by item, never in a
 * thread (it is about many items), with the count of restricted changes withheld, as for any
 * message. Changes by members of the space are left out where the subscription skips them.
 */
async function sendScheduledDigest(
  messages: WebexMessages,
  delivery: ClaimedDelivery,
  changes: NonNullable<ClaimedDelivery['digest']>,
  marker: string,
  noise: LessNoise | undefined,
  log: Logger | undefined,
): Promise<string | null> {
  const withheld = changes.filter((c) => c.withheld).length;
  let events = changes.filter((c) => !c.withheld).map((c) => c.event);
  if (noise) events = await withoutOwn(events, settingsLookup(noise, delivery.spaceId), noise, delivery.spaceId, log);
  if (events.length === 0 && withheld === 0) return null;
  const rendered = events.length > 0 ? renderScheduledDigest(events, delivery.locale, marker) : undefined;
  return post(messages, delivery.spaceId, withWithheld(rendered, withheld, delivery.locale, marker));
}

/** The changes left once those made by a member of the space are skipped, where their subscription says so. */
async function withoutOwn(
  events: SourceEvent[],
  settingsOf: (event: SourceEvent) => Promise<DeliverySettings>,
  noise: LessNoise,
  spaceId: string,
  log: Logger | undefined,
): Promise<SourceEvent[]> {
  const skipping = await Promise.all(events.map(async (e) => (await settingsOf(e)).skipOwn));
  if (!skipping.some(Boolean)) return events;
  // Members unknown (Webex failing to list them): send, an echo beats a change lost.
  const members = await noise.members.emails(spaceId).catch((err: unknown) => {
    log?.warn({ err, space: spaceId }, 'could not list the space members for skip-own; sending every change');
    return new Set<string>();
  });
  return events.filter((e, i) => !(skipping[i] && madeByMember(e, members)));
}

/**
 * Records a top-level message found in the space as its item's thread, when the delivery is about
 * one item only and would have started a thread (see the sender: nothing withheld, not a resync).
 * Only a message that carries exactly this claim's deliveries: a delivery in doubt is claimed
 * alone, and the digest it went out in may have been about other items too. Insert-or-nothing:
 * a thread already recorded is kept.
 */
async function linkThreadStart(noise: LessNoise, delivery: ClaimedDelivery, found: { id: string; carries: string[] }): Promise<void> {
  const carried = [delivery, ...delivery.folded];
  const same = found.carries.length === carried.length && carried.every((d) => found.carries.includes(String(d.id)));
  if (!same || carried.some((d) => d.withheld)) return;
  const events = carried.map((d) => d.event);
  const items = new Set(events.map((e) => `${e.source}\n${e.sourceKey}\n${e.subject.key}`));
  if (items.size !== 1 || events[0]!.kind === 'source.resync') return;
  await noise.threads.link(threadItemOf(delivery.spaceId, events[0]!), found.id);
}

/** One look-up per source key and delivery: a digest's changes mostly share one subscription. */
function settingsLookup(noise: LessNoise, spaceId: string): (event: SourceEvent) => Promise<DeliverySettings> {
  const seen = new Map<string, Promise<DeliverySettings>>();
  return (event) => {
    const key = `${event.source}\n${event.sourceKey}`;
    let hit = seen.get(key);
    if (!hit) {
      hit = noise.subscriptions.deliverySettings(spaceId, event.source, event.sourceKey);
      seen.set(key, hit);
    }
    return hit;
  };
}

/**
 * The one-line summary of a reply, at the top level. The change itself is delivered (in its
 * thread) once the reply is posted: a refused summary is logged, not retried, since retrying the
 * delivery would post the reply again.
 */
async function postSummary(messages: WebexMessages, delivery: ClaimedDelivery, rendered: RenderedNotification, more: FurtherRequests | undefined, log: Logger | undefined): Promise<void> {
  try {
    if (more && !(await more.turn())) {
      log?.warn({ delivery: delivery.id, space: delivery.spaceId }, 'one-line summary not posted: sending is paused; the change is in its thread');
      return;
    }
    await post(messages, delivery.spaceId, rendered);
  } catch (err) {
    more?.refused(err);
    log?.warn({ err, delivery: delivery.id, space: delivery.spaceId }, 'one-line summary not posted; the change is in its thread');
  }
}

async function post(messages: WebexMessages, roomId: string, rendered: RenderedNotification, parentId?: string): Promise<string> {
  const message = await messages.create({
    roomId,
    ...(parentId ? { parentId } : {}),
    text: rendered.text,
    markdown: rendered.markdown,
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: rendered.card }],
  });
  return message.id;
}

async function findEarlier(messages: WebexMessages, delivery: ClaimedDelivery, marker: string): Promise<Earlier> {
  try {
    const items = await messages.list(delivery.spaceId, 100);
    const hit = items.find((m) => markersOf(m.attachments).includes(marker));
    return { found: hit ? { id: hit.id, parentId: hit.parentId, carries: markersOf(hit.attachments) } : undefined, certain: true };
  } catch (err) {
    if (!(err instanceof UpstreamError) || err.status !== 403) return { found: undefined, certain: false };
  }
  try {
    const room = await messages.room(delivery.spaceId);
    const since = delivery.previousClaimAt;
    const quiet = since !== null && (room.lastActivity === undefined || room.lastActivity < since);
    return { found: undefined, certain: quiet };
  } catch {
    return { found: undefined, certain: false };
  }
}

/** The delivery ids a message's card names ("een-delivery-12-13-14"); empty for none. */
function markersOf(attachments: { content: unknown }[] | undefined): string[] {
  const card = attachments?.[0]?.content as { body?: { id?: unknown }[] } | undefined;
  const id = card?.body?.[0]?.id;
  return typeof id === 'string' && id.startsWith('een-delivery-') ? id.slice('een-delivery-'.length).split('-') : [];
}
