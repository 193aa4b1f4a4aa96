import type { ClaimedDelivery } from './outbox';
import { ADAPTIVE_CARD_CONTENT_TYPE, renderNotification } from './render';
import type { WebexMessages } from './webex-messages';

/** Sends one claimed delivery to its Webex space and answers the new message's id. */
export type DeliverySender = (delivery: ClaimedDelivery) => Promise<string>;

/**
 * Renders in the space's language and posts markdown + card. A delivery in doubt (its last
 * holder's lease ran out mid-send) is first looked for among the space's recent messages by
 * the marker on its card, so a crash between Webex's 200 and our commit does not post twice.
 * Webex lets a bot list messages in 1:1 spaces and in group spaces it belongs to; if listing
 * fails, the delivery is sent again (at least once beats never).
 */
export function webexDeliverySender(messages: WebexMessages): DeliverySender {
  return async (delivery) => {
    const marker = String(delivery.id);
    if (delivery.inDoubt) {
      const found = await messages.list(delivery.spaceId, 50).then(
        (items) => items.find((m) => carriesMarker(m.attachments, marker)),
        () => undefined,
      );
      if (found) return found.id;
    }
    const rendered = renderNotification(delivery.event, delivery.locale, marker);
    const message = await messages.create({
      roomId: delivery.spaceId,
      text: rendered.text,
      markdown: rendered.markdown,
      attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: rendered.card }],
    });
    return message.id;
  };
}

function carriesMarker(attachments: { content: unknown }[] | undefined, marker: string): boolean {
  const card = attachments?.[0]?.content as { body?: { id?: unknown }[] } | undefined;
  return card?.body?.[0]?.id === `een-delivery-${marker}`;
}
