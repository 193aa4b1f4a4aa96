import { UserError, parseSchedule } from '../../core';
import { meetingCard } from '../cards';
import { meetingsFor, type TeamsBotDeps } from './bot';
import type { TeamsActionRouter } from './router';

/**
 * `meet [title]` / `vergader …`: an instant Webex meeting with the Join card; `meet tomorrow
 * 14:00 30m Sprint review` plans one instead (the text decides), under the licence rules of
 * MeetingService.
 */
export function register(router: TeamsActionRouter, deps: TeamsBotDeps): void {
  router.command('meet', async (turn, command) => {
    const { io, locale } = turn;
    const { capability, actor, zone } = await meetingsFor(turn, deps);
    const { meetings } = capability;
    if (command.text !== '' && readsAsSchedule(command.text, locale, zone)) {
      const planned = await meetings.scheduleMeeting(actor, { when: { text: command.text } });
      await io.send({ card: meetingCard(locale, planned, zone, 'teams.meeting.scheduled') });
      return;
    }
    const started = await meetings.startMeeting(actor, command.text ? { title: command.text } : {});
    await io.send({ card: meetingCard(locale, started, zone, 'teams.meeting.started') });
  });
}

/**
 * Whether `meet …` names a time (then it plans a meeting) or only a title (then it starts one
 * now): the schedule parser finds no time in a bare title. Any other refusal (a past time, a
 * stray date word) means a time was meant, so the plan goes ahead and says what is wrong.
 */
function readsAsSchedule(text: string, locale: string | undefined, zone: string): boolean {
  try {
    parseSchedule(text, { now: new Date(), timeZone: zone, locale });
    return true;
  } catch (err) {
    return !(err instanceof UserError && err.key === 'meetings.schedule.noTime');
  }
}
