import { teamsText } from '../markdown';
import type { TeamsActionRouter } from './router';

/** A first word no listener knows: say so, and point at `help`. */
export function register(router: TeamsActionRouter): void {
  router.command('unknown', async ({ io, locale }, command) => void (await io.send({ text: teamsText(locale, 'teams.unknownCommand', { text: command.text }) })));
}
