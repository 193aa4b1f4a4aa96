import { UpstreamError } from '../errors';
import type { Logger } from '../log';
import type { ClaimedDelivery } from './outbox';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderDigest, renderNotification } from './render';
import type { WebexMessages } from './webex-messages';
import { withWithheld } from './restricted/render-withheld';

/** Sends one claimed delivery to its Webex space and answers the new message's id. */
export type DeliverySender = (delivery: ClaimedDelivery) => Promise<string>;

/** `found`: the id of the message already posted; `certain`: when not found, whether it surely was not. */
type Earlier = { found: string | undefined; certain: boolean };

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
 */
export function webexDeliverySender(messages: WebexMessages, log?: Logger): DeliverySender {
  return async (delivery) => {
    const marker = String(delivery.id);
    if (delivery.inDoubt) {
      const earlier = await findEarlier(messages, delivery, marker);
      if (earlier.found) return earlier.found;
      if (!earlier.certain) log?.warn({ delivery: delivery.id, space: delivery.spaceId }, 'delivery in doubt after a crash; sending again, may duplicate');
    }
    // The marker names every delivery the message carries: "12" alone, "12-13-14" for a digest.
    const carried = [delivery, ...delivery.folded];
    const allMarker = carried.map((d) => d.id).join('-');
    // Restricted changes this space may not see are counted, not shown (restricted/withheld.ts).
    const shown = carried.filter((d) => !d.withheld);
    const rendered = withWithheld(
      shown.length === 0
        ? undefined
        : shown.length === 1
          ? renderNotification(shown[0]!.event, delivery.locale, allMarker)
          : renderDigest(shown.map((d) => d.event), delivery.locale, allMarker),
      carried.length - shown.length,
      delivery.locale,
      allMarker,
    );
    const message = await messages.create({
      roomId: delivery.spaceId,
      text: rendered.text,
      markdown: rendered.markdown,
      attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: rendered.card }],
    });
    return message.id;
  };
}

async function findEarlier(messages: WebexMessages, delivery: ClaimedDelivery, marker: string): Promise<Earlier> {
  try {
    const items = await messages.list(delivery.spaceId, 100);
    const hit = items.find((m) => carriesMarker(m.attachments, marker));
    return { found: hit?.id, certain: true };
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

function carriesMarker(attachments: { content: unknown }[] | undefined, marker: string): boolean {
  const card = attachments?.[0]?.content as { body?: { id?: unknown }[] } | undefined;
  const id = card?.body?.[0]?.id;
  return typeof id === 'string' && id.startsWith('een-delivery-') && id.slice('een-delivery-'.length).split('-').includes(marker);
}
