import { UserError } from '../../core';
import { meetingReply } from '../personal-cards';
import { personally, whoOf, type PersonalDeps } from './personal';
import type { WebexCommandRouter } from './router';

/**
 * Webex bots have addresses ending in @webex.bot ("Bots … have an email address ending in
 * @webex.bot", https://developer.webex.com/docs/bots): they are not invited to meetings.
 */
const BOT_ADDRESS = /@webex\.bot$/i;

/**
 * `meet [title]` / `vergader [titel]`: an instant Webex meeting for the space's members, under the
 * licence of the person asking (MeetingService.startMeeting: the participants count against their
 * tier), and the Join card in the space. The members come from List Memberships
 * (https://developer.webex.com/docs/api/v1/memberships/list-memberships); in a 1:1 space that is
 * the person alone.
 */
export function register(router: WebexCommandRouter, deps: PersonalDeps): void {
  router.command({ meet: 'en', vergader: 'nl', vergaderen: 'nl' }, (turn) =>
    personally(turn, deps, 'meet', async () => {
      if (!deps.meetings) throw new UserError('teams.meeting.off');
      const { user, actor } = await whoOf(turn, deps);
      const own = new Set([turn.who.personEmail.toLowerCase(), user.email ?? ''].filter(Boolean));
      const members = turn.direct ? [] : await deps.webex.memberEmails(turn.who.roomId);
      const invitees = [...new Set(members.map((m) => m.toLowerCase()))].filter((m) => !own.has(m) && !BOT_ADDRESS.test(m)).map((email) => ({ email }));
      const meeting = await deps.meetings.meetings.startMeeting(actor, { ...(turn.text ? { title: turn.text } : {}), invitees });
      await turn.say(meetingReply(turn.language, meeting, actor.timeZone, invitees.length));
    }),
  );
}
