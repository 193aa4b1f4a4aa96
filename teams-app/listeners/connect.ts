import { connectWebexCard } from '../cards';
import { teamsText } from '../markdown';
import { meetingsFor, type TeamsBotDeps } from './bot';
import type { TeamsActionRouter } from './router';

/**
 * `connect` / `koppel`: links the person's Webex account, by the same OAuth flow and stored link
 * as Slack, so a person connected there is connected here when both are the same core user.
 */
export function register(router: TeamsActionRouter, deps: TeamsBotDeps): void {
  router.command('connectWebex', async (turn) => {
    const { io, locale } = turn;
    const { capability, user } = await meetingsFor(turn, deps);
    const { accounts } = capability;
    if (await accounts.isConnected(user.id)) await io.send({ text: teamsText(locale, 'teams.meeting.connected') });
    else await io.send({ card: connectWebexCard(locale, await accounts.beginConnect(user.id, 'teams'), 'teams.meeting.connectPrompt') });
  });
}
