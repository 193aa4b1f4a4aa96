import type { SourceEvent } from '../source-event';
import type { Subscription } from '../subscriptions';

/**
 * Whether a change must be withheld from the space this subscription belongs to: it is
 * restricted at its source and no administrator let the subscription carry restricted items.
 * Decided when the delivery is queued and stored with it, so a later `allow` does not reveal
 * what was already withheld.
 */
export function withheldFrom(subscription: Pick<Subscription, 'restrictedAllowed'>, event: SourceEvent): boolean {
  return event.restricted !== undefined && !subscription.restrictedAllowed;
}

/**
 * What a withheld change becomes before anything renders it: only its source and kind survive,
 * so no title, key, link, person, field value or comment can reach the space by any path
 * (single message, digest line, thread).
 */
export function redacted(event: SourceEvent): SourceEvent {
  return {
    source: event.source,
    deliveryKey: event.deliveryKey,
    sourceKey: event.sourceKey,
    kind: event.kind,
    occurredAt: event.occurredAt,
    actor: null,
    subject: { key: '', title: '', url: null, type: null, priority: null, status: null, assignee: null },
    changes: [],
    comment: null,
    ...(event.restricted ? { restricted: event.restricted } : {}),
  };
}
