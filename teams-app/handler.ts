import { ZodError } from 'zod';
import { connectHint, presentFailure, translate, type Actor, type User } from '../core';
import { connectWebexCard, errorCard } from './cards';
import { teamsActor, teamsClaim } from './actor';
import { parseCommand } from './commands';
import { handleMessageExtension } from './message-extension';
import { failureText, teamsBotListeners, teamsListeners, type TeamsActionRouter, type TeamsBotDeps, type TeamsTurn } from './listeners';
import type { IncomingTurn, InvokeResult, TurnHandler, TurnIo } from './turn';

export type { TeamsBotDeps } from './listeners';

/**
 * The Teams bot: hands each turn to its listener (teams-app/listeners/, one file per command,
 * invoke or event) and turns what fails into an answer. No business rules.
 */
export class TeamsCallingBot implements TurnHandler {
  private readonly actions: TeamsActionRouter;
  private readonly commands: TeamsActionRouter;

  constructor(private readonly deps: TeamsBotDeps) {
    this.actions = teamsListeners({ meetings: deps.meetings, log: deps.log });
    this.commands = teamsBotListeners(deps);
  }

  async onTurn(turn: IncomingTurn, io: TurnIo): Promise<InvokeResult | undefined> {
    const listener = turn.type === 'invoke' ? this.commands.forInvokeName(turn.name) : undefined;
    if (listener) return listener(this.turnOf(turn, io));
    const action = turn.type === 'invoke' ? this.actions.forInvoke(turn) : undefined;
    if (action) {
      return action(turn, () => this.whoOf(turn, io), io).catch((err: unknown) =>
        err instanceof ZodError ? { status: 400 } : { status: 200, body: { task: { type: 'message', value: failureText(this.deps, turn.locale, err) } } },
      );
    }
    if (turn.type === 'invoke') {
      return handleMessageExtension(turn, {
        calling: this.deps.calling,
        actor: () => this.actorOf(turn, io),
        messageFor: (err) => failureText(this.deps, turn.locale, err),
      });
    }
    if (turn.type === 'conversationUpdate' && turn.botId && turn.membersAdded.includes(turn.botId)) {
      await this.commands.forEvent('installed')?.(this.turnOf(turn, io));
      return undefined;
    }
    if (turn.type !== 'message') return undefined;
    try {
      await this.commands.run(this.turnOf(turn, io), parseCommand(turn.text, turn.value));
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

  private turnOf(turn: IncomingTurn, io: TurnIo): TeamsTurn {
    return { turn, io, locale: turn.locale, user: () => this.userOf(turn, io), actor: () => this.actorOf(turn, io), who: () => this.whoOf(turn, io) };
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
}
