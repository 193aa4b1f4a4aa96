import { translate, type MessageKey } from '../../core';
import { webexActor } from '../actor';
import type { WebexCommandRouter } from './router';
import type { EventDeps } from './events';

/**
 * Added to a space by someone (not found again after a restart, which has no addedBy): say hello.
 * Whoever added it is looked up first: someone outside the served organisations hears the
 * polite refusal instead of an invitation to use the bot.
 */
export function register(router: WebexCommandRouter, deps: EventDeps): void {
  router.on('added', async (space, addedBy) => {
    const person = await deps.webex.person(addedBy);
    const actor = await webexActor(deps.identity, { roomId: space.roomId, personId: addedBy, personEmail: person.emails[0] ?? '', personOrgId: person.orgId }, 'nl');
    const served = await deps.subscriptions.serves(actor, space.roomId, 'added the bot');
    await space.say({ markdown: inBothLanguages(served ? 'webexbot.welcome' : 'webexbot.notServed') });
  });
}

/** Dutch, then English: for a space whose language nobody has shown yet (most of our users are Dutch). */
function inBothLanguages(key: MessageKey): string {
  return `${translate('nl', key)}\n\n${translate('en', key)}`;
}
