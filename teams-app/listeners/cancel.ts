import { meetingCard } from '../cards';
import { teamsText } from '../markdown';
import { meetingsFor, type TeamsBotDeps } from './bot';
import type { TeamsActionRouter } from './router';

/** `cancel <n>` / `annuleer <n>`, and the Cancel button of the meetings list: cancels meeting n of that list. */
export function register(router: TeamsActionRouter, deps: TeamsBotDeps): void {
  router.command('cancelMeeting', async (turn, command) => {
    const { io, locale } = turn;
    const { capability, actor, zone } = await meetingsFor(turn, deps);
    const { meetings } = capability;
    if (command.position === undefined) {
      await io.send({ text: teamsText(locale, 'teams.meeting.cancelUsage') });
      return;
    }
    const cancelled = await meetings.cancelMeeting(actor, command.position);
    const card = meetingCard(locale, cancelled, zone, 'teams.meeting.cancelled');
    // The button sits on the list it came from: the list is stale now, so answer below it.
    await io.send({ card: { ...card, actions: [] } });
  });
}
