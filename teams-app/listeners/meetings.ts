import { meetingsListCard } from '../cards';
import { meetingsFor, type TeamsBotDeps } from './bot';
import type { TeamsActionRouter } from './router';

/** `meetings` / `vergaderingen`: the person's coming Webex meetings, each with Join and Cancel. */
export function register(router: TeamsActionRouter, deps: TeamsBotDeps): void {
  router.command('meetings', async (turn) => {
    const { capability, actor, zone } = await meetingsFor(turn, deps);
    const { meetings } = capability;
    await turn.io.send({ card: meetingsListCard(turn.locale, await meetings.listMeetings(actor), zone) });
  });
}
