import { teamsText } from '../markdown';
import type { TeamsActionRouter } from './router';

/** Installed in a chat or team (conversationUpdate adding the bot): say what the bot does, once. */
export function register(router: TeamsActionRouter): void {
  router.on('installed', async ({ io, locale }) => void (await io.send({ text: teamsText(locale, 'teams.help') })));
}
