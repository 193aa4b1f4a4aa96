import { TeamsActionRouter, type TeamsCommandKind } from './router';
import * as startMeeting from './start-meeting';
import type { StartMeetingDeps } from './start-meeting';
import type { TeamsBotDeps } from './bot';
import * as call from './call';
import * as cancel from './cancel';
import * as cardButtonCall from './card-button-call';
import * as connect from './connect';
import * as hangup from './hangup';
import * as help from './help';
import * as meet from './meet';
import * as meetings from './meetings';
import * as plan from './plan';
import * as recent from './recent';
import * as unknown from './unknown';
import * as welcome from './welcome';

export { TeamsActionRouter, type ActionCommandHandler } from './router';
export { failureText, type TeamsBotDeps, type TeamsTurn } from './bot';

/** The Teams app's message-extension actions that live in small files, one per command. */
const listeners = [startMeeting];

export function teamsListeners(deps: StartMeetingDeps): TeamsActionRouter {
  const router = new TeamsActionRouter();
  for (const listener of listeners) listener.register(router, deps);
  return router;
}

/** The Teams bot's commands (typed, or a button of its cards), its own invokes and its events, one file each. */
const botListeners = [call, recent, hangup, cardButtonCall, meet, plan, meetings, cancel, connect, help, unknown, welcome];

/**
 * Every kind the bot's parser (teams-app/commands.ts) gives a command: the type makes a new kind
 * a compile error here, and teamsBotListeners refuses to start without a listener for each.
 */
const BOT_COMMANDS: Record<TeamsCommandKind, true> = {
  call: true,
  hangup: true,
  recent: true,
  meet: true,
  plan: true,
  meetings: true,
  cancelMeeting: true,
  connectWebex: true,
  help: true,
  unknown: true,
};

export function teamsBotListeners(deps: TeamsBotDeps): TeamsActionRouter {
  const router = new TeamsActionRouter();
  for (const listener of botListeners) listener.register(router, deps);
  const unclaimed = router.unclaimed(Object.keys(BOT_COMMANDS) as TeamsCommandKind[]);
  if (unclaimed.length > 0) throw new Error(`no Teams listener for the bot commands ${unclaimed.join(', ')}`);
  return router;
}
