import { plain } from '../messages';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/** `/webex disconnect` (ontkoppel): forgets the person's Webex account link, or says there was none. */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('disconnect', async ({ who: { user, actor }, respond }) => {
    const removed = await deps.accounts.disconnect(user.id);
    await respond(plain(actor.locale, removed ? 'slack.disconnected' : 'slack.disconnect.none'));
  });
}
