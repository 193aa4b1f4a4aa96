import { UserError } from '../../core';
import { plain } from '../messages';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/** The Hang up button of a call's status message: ends that call (its id is the button's value) and replaces the message. */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.action('webex_hangup', async ({ who, respond }, callId) => {
    const { actor } = await who();
    if (!deps.calling) throw new UserError('slack.calling.off');
    await deps.calling.hangUp(actor, callId);
    await respond({ ...plain(actor.locale, 'teams.hungUp'), replace_original: true });
  });
}
