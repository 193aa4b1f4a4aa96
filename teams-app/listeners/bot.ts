import { UserError, connectHint, presentFailure, translate, type Actor, type Calling, type CallWatcher, type Identity, type Logger, type MeetingService, type User, type WebexAccounts } from '../../core';
import type { IncomingTurn, TurnIo } from '../turn';

/** What the Teams bot's commands use: façades only (the Teams app's composition, teams-app/mount.ts). */
export interface TeamsBotDeps {
  calling: Calling;
  /** Webex meetings, shared with Slack; undefined when Webex Meetings is off. */
  meetings?: { meetings: MeetingService; accounts: WebexAccounts } | undefined;
  identity: Identity;
  watcher: CallWatcher;
  log: Logger;
}

/**
 * One message or card button to the bot, with what a listener may do: answer into the
 * conversation (`io`), and find who sent it (the core user behind tenant + AAD object id,
 * linked on first contact; each call asks the Identity façade, as the handler did).
 */
export interface TeamsTurn {
  turn: IncomingTurn;
  io: TurnIo;
  locale: string | undefined;
  user(): Promise<User>;
  actor(): Promise<Actor>;
  /** Both at once: the core user and the Actor every façade call takes (one Identity look-up). */
  who(): Promise<{ user: User; actor: Actor }>;
}

/**
 * The Webex meetings capability and the person's time zone, for the meeting commands (the same
 * MeetingService, licence rules, parser and Webex account link as /webex in Slack, so a person
 * connected in one is connected in both); Webex Meetings off is said as such.
 */
export async function meetingsFor(turn: TeamsTurn, deps: TeamsBotDeps): Promise<{ capability: NonNullable<TeamsBotDeps['meetings']>; user: User; actor: Actor; zone: string }> {
  const capability = deps.meetings;
  if (!capability) throw new UserError('teams.meeting.off');
  const { user, actor } = await turn.who();
  return { capability, user, actor, zone: actor.timeZone };
}

/** Renders the one presenter's answer (core/failure.ts) as the text of a Teams error card. */
export function failureText(deps: Pick<TeamsBotDeps, 'log'>, locale: string | undefined, err: unknown): string {
  const failure = presentFailure(err, deps.log, 'teams');
  // How to connect Webex, said the Teams way ({connect} in the meetings.* messages).
  return translate(locale, failure.key, { ...failure.params, ...connectHint(locale, 'teams') });
}
