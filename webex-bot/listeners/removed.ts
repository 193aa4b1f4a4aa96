import { UpstreamError } from '../../core';
import type { WebexCommandRouter } from './router';
import type { EventDeps } from './events';

/**
 * Removed from a space: it can no longer post there, so the space stops following anything.
 * The framework despawns on the `memberships:deleted` event's own data (framework.js
 * onMembershipDeleted), and a captured event replayed after the replay window has passed is
 * still validly signed; so Webex is asked first whether the bot really left. While it is still a
 * member, the event is a replay and nothing is dropped.
 */
export function register(router: WebexCommandRouter, deps: EventDeps): void {
  router.on('removed', async (roomId, botPersonId) => {
    const stillIn = await deps.webex.membership(roomId, botPersonId).catch((err: unknown) => {
      // Webex answers 404 for a space one is not in (anymore): that is the bot having left.
      if (err instanceof UpstreamError && err.status === 404) return undefined;
      throw err;
    });
    if (stillIn) return deps.log.warn({ room: roomId }, 'a Webex event said the bot left a space it is still in: a replay, ignored');
    await deps.subscriptions.botLeft(roomId);
  });
}
