import { plannedReply } from '../personal-cards';
import { meetingsOf } from './meetings';
import { personally, sentence, whoOf, type PersonalDeps } from './personal';
import type { WebexCommandRouter } from './router';

/**
 * `plan <when> [duration] [title]` / `plan morgen 14:00 30m Overleg` in a 1:1 space: a scheduled
 * Webex meeting under the person's licence (MeetingService.scheduleMeeting: the same schedule
 * parser and licence rules as `/webex schedule` in Slack and `plan` in Teams), answered with its
 * time and Join. Personal, like the list it lands in.
 */
export function register(router: WebexCommandRouter, deps: PersonalDeps): void {
  router.command({ plan: 'en', schedule: 'en', plannen: 'nl' }, (turn) =>
    personally(turn, deps, 'plan', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.meetings.personalOnly'));
      if (turn.text === '') return turn.say(sentence(turn, 'webexbot.plan.usage'));
      const meetings = meetingsOf(deps);
      const { actor } = await whoOf(turn, deps);
      const planned = await meetings.scheduleMeeting(actor, { when: { text: turn.text.slice(0, 500) } });
      await turn.say(plannedReply(turn.language, planned, actor.timeZone, 'teams.meeting.scheduled'));
    }),
  );
}
