import { placeCall } from './call';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/**
 * The Call button of a directory hit or a recent call (slack-app/calling-messages.ts numbers
 * them webex_call_1, …): the button's value is the number or name to call, as typed after
 * `/webex call`.
 */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.action(/^webex_call_\d+$/, async ({ who, respond }, value) => {
    const { actor } = await who();
    await placeCall(deps, actor, value, respond);
  });
}
