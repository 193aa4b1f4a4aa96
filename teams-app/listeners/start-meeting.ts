import { z } from 'zod';
import { UserError, parseOwn, translate, type Actor, type Logger, type MeetingInvitee, type MeetingService, type User, type WebexAccounts } from '../../core';
import { connectWebexCard, meetingCard } from '../cards';
import type { ConversationMember, IncomingTurn, InvokeResult, TurnIo } from '../turn';
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
  log: Logger;
}

/** Webex takes at most 1000 invitees on a meeting (Create a Meeting, `invitees`, webex-openapi-specs public-spec/webex-meeting.json). */
const MAX_INVITEES = 1000;

/**
 * The conversation's other members, as Webex invitees: their mail address, else their user
 * principal name (TeamsChannelAccount.email / userPrincipalName). The licence then decides whether
 * that many may join (MeetingService: participants count against the person's tier).
 */
export function inviteesOf(members: ConversationMember[], self: { aadObjectId: string | undefined; email: string | undefined }): MeetingInvitee[] {
  const own = self.email?.toLowerCase();
  const seen = new Set<string>();
  const invitees: MeetingInvitee[] = [];
  for (const m of members) {
    if (self.aadObjectId && m.aadObjectId === self.aadObjectId) continue;
    const email = (m.email ?? m.userPrincipalName)?.trim().toLowerCase();
    if (!email?.includes('@') || email === own || seen.has(email)) continue;
    seen.add(email);
    invitees.push({ email, ...(m.name ? { displayName: m.name } : {}) });
  }
  return invitees.slice(0, MAX_INVITEES);
}

/**
 * "Start a Webex meeting" from the compose box or command box: an instant meeting under the
 * person's own licence, answered with the Join card as the message extension's result, which
 * Teams puts into the compose box for the person to send into the conversation ("respond with
 * an Adaptive Card inserted into the compose message area": composeExtension.type `result`,
 * attachmentLayout `list`, same page). A person whose Webex account is not connected gets the
 * Connect card in a task module (task.type `continue`), the same link the bot gives.
 *
 * The conversation's members are invited, read with the paged roster (TeamsInfo.getPagedMembers).
 * Teams lets the bot read a chat's members only when the bot is in that chat; a message extension
 * also works in chats the bot was never added to, and there the Bot Connector refuses (403
 * BotNotInConversationRoster): the meeting then invites nobody, and whoever gets the posted
 * card joins with its Join button.
 */
export function register(router: TeamsActionRouter, deps: StartMeetingDeps): void {
  router.action('startMeeting', async (turn: IncomingTurn, who: () => Promise<{ user: User; actor: Actor }>, io: TurnIo): Promise<InvokeResult> => {
    const value = parseOwn(startMeetingAction, turn.value);
    const capability = deps.meetings;
    if (!capability) return message(translate(turn.locale, 'teams.meeting.off'));
    const { user: person, actor } = await who();
    const title = value.data?.title?.trim();
    try {
      const members = turn.conversationType === 'personal' ? [] : await io.members(MAX_INVITEES + 1);
      if (members === undefined) deps.log.info({ conversationType: turn.conversationType }, 'start meeting: the bot cannot read this conversation\'s members; nobody is invited');
      const invitees = inviteesOf(members ?? [], { aadObjectId: turn.from.aadObjectId, email: person.email });
      const meeting = await capability.meetings.startMeeting(actor, { ...(title ? { title } : {}), invitees });
      const card = meetingCard(turn.locale, meeting, actor.timeZone, 'teams.meeting.started');
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
      const card = connectWebexCard(turn.locale, await capability.accounts.beginConnect(person.id, 'teams'), reason);
      return { status: 200, body: { task: { type: 'continue', value: { title: translate(turn.locale, 'teams.ext.meetingTitle'), width: 'small', height: 'small', card: { contentType: ADAPTIVE, content: card } } } } };
    }
  });
}

function message(text: string): InvokeResult {
  return { status: 200, body: { task: { type: 'message', value: text } } };
}
