import { UserError } from '../../core';
import { plain } from '../messages';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/** `/webex hangup` (ophangen): ends the person's current call (the button is hangup-button.ts). */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('hangup', async ({ who: { actor }, respond }) => {
    if (!deps.calling) throw new UserError('slack.calling.off');
    await deps.calling.hangUpCurrent(actor);
    await respond(plain(actor.locale, 'teams.hungUp'));
  });
}
