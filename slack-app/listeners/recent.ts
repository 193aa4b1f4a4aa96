import { UserError } from '../../core';
import { recentCallsMessage } from '../calling-messages';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/** `/webex recent`: the person's recent calls, each with a Call button (call-button.ts). */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('recent', async ({ who: { actor }, respond }) => {
    if (!deps.calling) throw new UserError('slack.calling.off');
    await respond(recentCallsMessage(actor.locale, await deps.calling.recentCalls(actor)));
  });
}
