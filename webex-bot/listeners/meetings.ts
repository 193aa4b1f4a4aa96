import { UserError } from '../../core';
import { meetingsListReply, plannedReply } from '../personal-cards';
import { personally, sentence, whoOf, type PersonalDeps } from './personal';
import type { ListenerTurn, WebexCommandRouter } from './router';

/**
 * `meetings` / `vergaderingen` in a 1:1 space: the person's next Webex meetings (MeetingService,
 * the same list Slack and Teams show), each with Join and Cancel; `cancel <n>` / `annuleer <n>`
 * and the Cancel button cancel number n of that list. Personal: in a group space the list would
 * be everyone's to read, so it is refused there.
 */
export function register(router: WebexCommandRouter, deps: PersonalDeps): void {
  router.command({ meetings: 'en', vergaderingen: 'nl' }, (turn) =>
    personally(turn, deps, 'meetings', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.meetings.personalOnly'));
      const { actor } = await whoOf(turn, deps);
      await turn.say(meetingsListReply(turn.language, await meetingsOf(deps).listMeetings(actor), actor.timeZone));
    }),
  );

  router.command({ cancel: 'en', annuleer: 'nl', annuleren: 'nl' }, (turn) =>
    personally(turn, deps, 'cancel', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.meetings.personalOnly'));
      const position = /^\d{1,3}$/.test(turn.text) ? Number(turn.text) : undefined;
      if (position === undefined) return turn.say(sentence(turn, 'webexbot.meetings.cancelUsage'));
      await cancel(turn, deps, position);
    }),
  );

  router.action('cancelMeeting', (turn, action) =>
    personally(turn, deps, 'card:cancelMeeting', async () => {
      if (!turn.direct) return turn.say(sentence(turn, 'webexbot.meetings.personalOnly'));
      await cancel(turn, deps, action.position);
    }),
  );
}

async function cancel(turn: ListenerTurn, deps: PersonalDeps, position: number): Promise<void> {
  const { actor } = await whoOf(turn, deps);
  const cancelled = await meetingsOf(deps).cancelMeeting(actor, position);
  await turn.say(plannedReply(turn.language, cancelled, actor.timeZone, 'teams.meeting.cancelled'));
}

/** The meetings use cases; refused as "not set up" when Webex Meetings is off. */
export function meetingsOf(deps: PersonalDeps): NonNullable<PersonalDeps['meetings']>['meetings'] {
  if (!deps.meetings) throw new UserError('teams.meeting.off');
  return deps.meetings.meetings;
}
