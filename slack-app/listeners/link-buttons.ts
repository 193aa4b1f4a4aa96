import type { SlackRouter } from './router';

/**
 * Join and Connect are link buttons (the browser opens their url); Slack still sends a block
 * action for them that must be acknowledged (api.slack.com/reference/block-kit/block-elements,
 * button "url"), which the dispatcher does. Nothing else to do, and no need to know who.
 */
export function register(router: SlackRouter): void {
  router.action(/^webex_(join|connect)/, async () => undefined);
}
