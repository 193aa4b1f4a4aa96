import { listMessage } from '../messages';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/** `/webex list` (lijst): the person's upcoming Webex meetings, numbered for `cancel`. */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('list', async ({ who: { actor }, respond }) => {
    await respond(listMessage(actor.locale, await deps.meetings.listMeetings(actor), actor.timeZone));
  });
}
