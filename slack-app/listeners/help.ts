import { helpMessage } from '../messages';
import type { SlackRouter } from './router';

/** `/webex help` (hulp, ?), and a single unknown word: what /webex does, naming the word it did not know. */
export function register(router: SlackRouter): void {
  router.command('help', async ({ who, respond }, command) => {
    await respond(helpMessage(who.actor.locale, command.unknown));
  });
}
