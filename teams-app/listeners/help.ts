import { teamsText } from '../markdown';
import type { TeamsActionRouter } from './router';

/** `help` / `hulp` / `?` (and an empty message): what the bot does. */
export function register(router: TeamsActionRouter): void {
  router.command('help', async ({ io, locale }) => void (await io.send({ text: teamsText(locale, 'teams.help') })));
}
