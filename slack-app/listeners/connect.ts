import { connectMessage, plain } from '../messages';
import type { SlackRouter } from './router';
import type { SlackListenerDeps } from './turn';

/** `/webex connect` (koppel): a Connect button to link the person's Webex account, or that it is linked already. */
export function register(router: SlackRouter, deps: SlackListenerDeps): void {
  router.command('connect', async ({ who: { user, actor }, respond }) => {
    if (await deps.accounts.isConnected(user.id)) return void (await respond(plain(actor.locale, 'slack.connect.already')));
    await respond(connectMessage(actor.locale, await deps.accounts.beginConnect(user.id, 'slack')));
  });
}
