import { ZodError } from 'zod';
import {
  UserError,
  dialableOf,
  parseSchedule,
  presentFailure,
  connectHint,
  translate,
  type Actor,
  type Calling,
  type MeetingService,
  type User,
  type WebexAccounts,
  type ClaimedIdentity,
  type Identity,
  type Logger,
} from '../core';
import type { CallWatcher } from '../core';
import { INVOKE_DEADLINE_MS, LATE, withinDeadline } from './invoke-deadline';
import { callStatusCard, connectWebexCard, directoryChoiceCard, errorCard, meetingCard, meetingsListCard, recentCallsCard } from './cards';
import { teamsActor } from './actor';
import { parseCommand } from './commands';
import { teamsText } from './markdown';
import { handleMessageExtension } from './message-extension';
import { teamsListeners, type TeamsActionRouter } from './listeners';
import type { IncomingTurn, InvokeResult, RosterMember, TurnHandler, TurnIo } from './turn';

export interface TeamsBotDeps {
  calling: Calling;
  /** Webex meetings, shared with Slack; undefined when Webex Meetings is off. */
  meetings?: { meetings: MeetingService; accounts: WebexAccounts } | undefined;
  identity: Identity;
  watcher: CallWatcher;
  log: Logger;
}

/** The Teams bot: reads a command, runs the calling use case, answers with a card. No business rules. */
export class TeamsCallingBot implements TurnHandler {
  private readonly actions: TeamsActionRouter;

  constructor(private readonly deps: TeamsBotDeps) {
    this.actions = teamsListeners({ meetings: deps.meetings, log: deps.log });
  }

  async onTurn(turn: IncomingTurn, io: TurnIo): Promise<InvokeResult | undefined> {
    if (turn.type === 'invoke' && turn.name === 'composeExtension/onCardButtonClicked') return this.onCardButtonClicked(turn, io);
    const action = turn.type === 'invoke' ? this.actions.forInvoke(turn) : undefined;
    if (action) {
      return action(turn, () => this.whoOf(turn, io), io).catch((err: unknown) =>
        err instanceof ZodError ? { status: 400 } : { status: 200, body: { task: { type: 'message', value: this.messageFor(turn.locale, err) } } },
      );
    }
    if (turn.type === 'invoke') {
      return handleMessageExtension(turn, {
        calling: this.deps.calling,
        actor: () => this.actorOf(turn, io),
        messageFor: (err) => this.messageFor(turn.locale, err),
      });
    }
    if (turn.type === 'conversationUpdate' && turn.botId && turn.membersAdded.includes(turn.botId)) {
      // Installed in a chat or team: say what the bot does, once.
      await io.send({ text: teamsText(turn.locale, 'teams.help') });
      return undefined;
    }
    if (turn.type !== 'message') return undefined;
    try {
      await this.onMessage(turn, io);
    } catch (err) {
      const failure = presentFailure(err, this.deps.log, 'teams');
      // Not connected to Webex (or Webex dropped the link): offer the Connect link instead of an error.
      if ((failure.key === 'meetings.notConnected' || failure.key === 'meetings.reconnect') && this.deps.meetings) {
        const user = await this.userOf(turn, io);
        const reason = failure.key === 'meetings.reconnect' ? 'teams.meeting.connectAgain' : 'teams.meeting.connectNeeded';
        await io.send({ card: connectWebexCard(turn.locale, await this.deps.meetings.accounts.beginConnect(user.id, 'teams'), reason) });
        return undefined;
      }
      await io.send({ card: errorCard(turn.locale, translate(turn.locale, failure.key, { ...failure.params, ...connectHint(turn.locale, 'teams') })) });
    }
    return undefined;
  }

  private async onMessage(turn: IncomingTurn, io: TurnIo): Promise<void> {
    const locale = turn.locale;
    const command = parseCommand(turn.text, turn.value);
    switch (command.kind) {
      case 'help':
        await io.send({ text: teamsText(locale, 'teams.help') });
        return;
      case 'unknown':
        await io.send({ text: teamsText(locale, 'teams.unknownCommand', { text: command.text }) });
        return;
      case 'recent': {
        const actor = await this.actorOf(turn, io);
        await io.send({ card: recentCallsCard(locale, await this.deps.calling.recentCalls(actor)) });
        return;
      }
      case 'hangup': {
        const actor = await this.actorOf(turn, io);
        if (!command.callId) {
          await this.deps.calling.hangUpCurrent(actor);
          await io.send({ text: teamsText(locale, 'teams.hungUp') });
          return;
        }
        await this.deps.calling.hangUp(actor, command.callId);
        // The button sits on the status card it came from: show that card as ended.
        if (turn.replyToId) await io.update(turn.replyToId, { card: callStatusCard(locale, { callId: command.callId, target: command.target ?? '', state: 'Released' }) });
        else await io.send({ text: teamsText(locale, 'teams.hungUp') });
        return;
      }
      case 'meet':
      case 'plan':
      case 'meetings':
      case 'cancelMeeting':
      case 'connectWebex':
        await this.onMeetingCommand(turn, io, command);
        return;
      case 'call': {
        const actor = await this.actorOf(turn, io);
        const outcome = await this.deps.calling.callNumberOrName(actor, command.target);
        if ('choices' in outcome) {
          await io.send({ card: directoryChoiceCard(locale, command.target, outcome.choices, dialableOf) });
          return;
        }
        const { callId, target, name } = outcome.placed;
        const shown = { callId, target: name ? `${name} (${target.display})` : target.display, state: 'Alerting' as const };
        const activityId = await io.send({ card: callStatusCard(locale, shown) });
        if (activityId) {
          const later = io.later();
          this.deps.watcher.watch('Alerting', () => this.deps.calling.callStatus(actor, callId), (state) =>
            later(activityId, { card: callStatusCard(locale, { ...shown, state }) }),
          );
        }
        return;
      }
    }
  }

  /**
   * The Call button of a directory card a user put into a chat with the message extension.
   * Teams sends the button's data as the invoke value and expects 200 without a body
   * (botbuilder-js teamsActivityHandler.ts: handleTeamsMessagingExtensionCardButtonClicked, then
   * createInvokeResponse()). The clicker's own phone rings; that is the confirmation. A refusal
   * can only be told in the chat: the bot tries, and when it is not a member of that chat the Bot
   * Connector refuses (403 BotNotInConversationRoster) and the refusal is only logged.
   */
  private async onCardButtonClicked(turn: IncomingTurn, io: TurnIo): Promise<InvokeResult> {
    const command = parseCommand(undefined, turn.value);
    if (command.kind !== 'call') return { status: 400 };
    try {
      const placing = this.actorOf(turn, io).then((actor) => this.deps.calling.placeCall(actor, command.target));
      // Answered before Teams sends the invoke (and so the call) again; a late refusal is logged.
      const placed = await withinDeadline(placing, INVOKE_DEADLINE_MS, (err) => this.messageFor(turn.locale, err));
      if (placed === LATE) this.deps.log.warn({ conversationType: turn.conversationType }, 'card button call still being placed at the invoke deadline');
    } catch (err) {
      const message = this.messageFor(turn.locale, err);
      await io.send({ card: errorCard(turn.locale, message) }).catch((sendErr: unknown) => {
        this.deps.log.warn({ err: sendErr, conversationType: turn.conversationType }, 'could not tell a card button refusal in the chat');
      });
    }
    return { status: 200 };
  }

  /**
   * Webex meetings from Teams (issue 14): the same MeetingService, licence rules, parser and
   * Webex account link as /webex in Slack, so a person connected in one is connected in both.
   */
  private async onMeetingCommand(turn: IncomingTurn, io: TurnIo, command: Extract<ReturnType<typeof parseCommand>, { kind: 'meet' | 'plan' | 'meetings' | 'cancelMeeting' | 'connectWebex' }>): Promise<void> {
    const locale = turn.locale;
    const capability = this.deps.meetings;
    if (!capability) throw new UserError('teams.meeting.off');
    const { user, actor } = await this.whoOf(turn, io);
    const zone = actor.timeZone;
    const { meetings, accounts } = capability;
    switch (command.kind) {
      case 'connectWebex':
        if (await accounts.isConnected(user.id)) await io.send({ text: teamsText(locale, 'teams.meeting.connected') });
        else await io.send({ card: connectWebexCard(locale, await accounts.beginConnect(user.id, 'teams'), 'teams.meeting.connectPrompt') });
        return;
      case 'meetings':
        await io.send({ card: meetingsListCard(locale, await meetings.listMeetings(actor), zone) });
        return;
      case 'cancelMeeting': {
        if (command.position === undefined) {
          await io.send({ text: teamsText(locale, 'teams.meeting.cancelUsage') });
          return;
        }
        const cancelled = await meetings.cancelMeeting(actor, command.position);
        const card = meetingCard(locale, cancelled, zone, 'teams.meeting.cancelled');
        // The button sits on the list it came from: the list is stale now, so answer below it.
        await io.send({ card: { ...card, actions: [] } });
        return;
      }
      case 'plan': {
        const planned = await meetings.scheduleMeeting(actor, { when: { text: command.text } });
        await io.send({ card: meetingCard(locale, planned, zone, 'teams.meeting.scheduled') });
        return;
      }
      case 'meet': {
        if (command.text !== '' && readsAsSchedule(command.text, locale, zone)) {
          const planned = await meetings.scheduleMeeting(actor, { when: { text: command.text } });
          await io.send({ card: meetingCard(locale, planned, zone, 'teams.meeting.scheduled') });
          return;
        }
        const started = await meetings.startMeeting(actor, command.text ? { title: command.text } : {});
        await io.send({ card: meetingCard(locale, started, zone, 'teams.meeting.started') });
        return;
      }
    }
  }

  /** The een-bridge user behind a Teams user (tenant id + AAD object id), linked on first contact. */
  private async userOf(turn: IncomingTurn, io: TurnIo): Promise<User> {
    return (await this.whoOf(turn, io)).user;
  }

  private async actorOf(turn: IncomingTurn, io: TurnIo): Promise<Actor> {
    return (await this.whoOf(turn, io)).actor;
  }

  private whoOf(turn: IncomingTurn, io: TurnIo): Promise<{ user: User; actor: Actor }> {
    const sender = { tenantId: turn.tenantId, aadObjectId: turn.from.aadObjectId ?? turn.from.id, locale: turn.locale, ...(turn.type === 'message' ? { text: turn.text } : {}) };
    // A known user without a line or an address asks the roster again: their tenant or mail
    // domain may have been allowed since their first message.
    return teamsActor(this.deps.identity, sender, async () => teamsClaim(turn, await io.member()), (known) => !(known.broadworksUserId || known.email));
  }

  /** Renders the one presenter's answer (core/failure.ts) as the text of a Teams error card. */
  private messageFor(locale: string | undefined, err: unknown): string {
    const failure = presentFailure(err, this.deps.log, 'teams');
    // How to connect Webex, said the Teams way ({connect} in the meetings.* messages).
    return translate(locale, failure.key, { ...failure.params, ...connectHint(locale, 'teams') });
  }
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

/**
 * What the roster says about the sender, and whether Teams vouches for the address: only for
 * a member of the activity's own tenant who is not a guest (a guest's userRole is 'guest';
 * their home is another tenant), and only their user principal name, whose domain Entra
 * accepts only once the tenant proved it owns it ("You cannot use an associated domain with
 * your Microsoft Entra tenant until ownership is verified", learn.microsoft.com/graph/api/
 * domain-post-domains). The roster's `email` is the mail attribute, which a tenant may set to
 * any address, so it is never trusted for linking.
 */
export function teamsClaim(turn: IncomingTurn, member: RosterMember | undefined): Omit<ClaimedIdentity, 'home'> {
  const ownTenant = member?.tenantId === undefined || member.tenantId.toLowerCase() === turn.tenantId.toLowerCase();
  const upn = member?.userPrincipalName?.includes('@') ? member.userPrincipalName : undefined;
  return {
    email: upn ?? member?.email,
    emailVerified: upn !== undefined && ownTenant && member?.userRole !== 'guest',
    displayName: turn.from.name,
    locale: turn.locale,
  };
}
