import { z } from 'zod';
import { UserError, parseOwn, translate, type MeetingService, type User, type WebexAccounts } from '../../core';
import { connectWebexCard, meetingCard } from '../cards';
import type { IncomingTurn, InvokeResult } from '../turn';
import type { TeamsActionRouter } from './router';

const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/**
 * composeExtension/submitAction of the action command `startMeeting` (manifests/teams: static
 * `parameters`, no fetchTask). Teams sends the form's values in `data`, keyed by parameter name
 * ("Respond to the action command": value.commandId, value.commandContext, value.data;
 * https://learn.microsoft.com/microsoftteams/platform/messaging-extensions/how-to/action-commands/respond-to-task-module-submit).
 */
const startMeetingAction = z.object({
  commandId: z.literal('startMeeting'),
  commandContext: z.string().max(32).optional(),
  data: z.object({ title: z.string().max(300).optional() }).loose().optional(),
});

export interface StartMeetingDeps {
  /** Webex meetings, shared with Slack and the Teams bot; undefined when Webex Meetings is off. */
  meetings: { meetings: MeetingService; accounts: WebexAccounts } | undefined;
}

/**
 * "Start a Webex meeting" from the compose box or command box: an instant meeting under the
 * person's own licence, answered with the Join card as the message extension's result, which
 * Teams puts into the compose box for the person to send into the conversation ("respond with
 * an Adaptive Card inserted into the compose message area": composeExtension.type `result`,
 * attachmentLayout `list`, same page). A person whose Webex account is not connected gets the
 * Connect card in a task module (task.type `continue`), the same link the bot gives.
 */
export function register(router: TeamsActionRouter, deps: StartMeetingDeps): void {
  router.action('startMeeting', async (turn: IncomingTurn, user: () => Promise<User>): Promise<InvokeResult> => {
    const value = parseOwn(startMeetingAction, turn.value);
    const capability = deps.meetings;
    if (!capability) return message(translate(turn.locale, 'teams.meeting.off'));
    const person = await user();
    const title = value.data?.title?.trim();
    try {
      const meeting = await capability.meetings.startMeeting(person, title ? { title } : {});
      const card = meetingCard(turn.locale, meeting, person.timeZone || 'Europe/Amsterdam', 'teams.meeting.started');
      return {
        status: 200,
        body: {
          composeExtension: {
            type: 'result',
            attachmentLayout: 'list',
            attachments: [{ contentType: ADAPTIVE, content: card, preview: { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: translate(turn.locale, 'teams.meeting.started', { title: meeting.title }) } } }],
          },
        },
      };
    } catch (err) {
      if (!(err instanceof UserError && (err.key === 'meetings.notConnected' || err.key === 'meetings.reconnect'))) throw err;
      const reason = err.key === 'meetings.reconnect' ? 'teams.meeting.connectAgain' : 'teams.meeting.connectNeeded';
      const card = connectWebexCard(turn.locale, await capability.accounts.beginConnect(person.id), reason);
      return { status: 200, body: { task: { type: 'continue', value: { title: translate(turn.locale, 'teams.ext.meetingTitle'), width: 'small', height: 'small', card: { contentType: ADAPTIVE, content: card } } } } };
    }
  });
}

function message(text: string): InvokeResult {
  return { status: 200, body: { task: { type: 'message', value: text } } };
}
