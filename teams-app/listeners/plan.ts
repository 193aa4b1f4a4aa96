import { meetingCard } from '../cards';
import { meetingsFor, type TeamsBotDeps } from './bot';
import type { TeamsActionRouter } from './router';

/** `plan tomorrow 14:00 30m Review` / `plannen …` / `schedule …`: always plans a meeting (the schedule parser reads the text). */
export function register(router: TeamsActionRouter, deps: TeamsBotDeps): void {
  router.command('plan', async (turn, command) => {
    const { capability, actor, zone } = await meetingsFor(turn, deps);
    const { meetings } = capability;
    const planned = await meetings.scheduleMeeting(actor, { when: { text: command.text } });
    await turn.io.send({ card: meetingCard(turn.locale, planned, zone, 'teams.meeting.scheduled') });
  });
}
