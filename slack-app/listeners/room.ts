import { plain } from '../messages';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/** `/webex room` (ruimte): the link of the person's Webex personal room. */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('room', async ({ who: { actor }, respond }) => {
    const room = await deps.meetings.personalRoom(actor);
    await respond(plain(actor.locale, 'slack.room', { link: room.link }));
  });
}
