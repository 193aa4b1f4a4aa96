import { SlackRouter, type SlackCommandKind } from './router';
import type { SlackListenerDeps } from './turn';
import * as appHome from './app-home';
import * as call from './call';
import * as callButton from './call-button';
import * as cancel from './cancel';
import * as connect from './connect';
import * as disconnect from './disconnect';
import * as hangup from './hangup';
import * as hangupButton from './hangup-button';
import * as help from './help';
import * as linkButtons from './link-buttons';
import * as list from './list';
import * as recent from './recent';
import * as room from './room';
import * as schedule from './schedule';
import * as scheduleSubmit from './schedule-submit';
import * as start from './start';

export { SlackRouter, type SlackCommandKind, type SlackCommandTurn } from './router';
export { failureMessage, type SlackListenerDeps, type SlackTurn, type Who } from './turn';

/** The `/webex` subcommands, one file each. */
const commandListeners = [start, schedule, list, cancel, room, connect, disconnect, help, call, recent, hangup];
/** The buttons, the schedule modal's submission and App Home. */
const otherListeners = [callButton, hangupButton, linkButtons, scheduleSubmit, appHome];

/**
 * Every kind the `/webex` parser (slack-app/command-text.ts) gives a line: the type makes a new
 * kind a compile error here, and slackListeners refuses to start without a listener for each.
 */
const SLACK_COMMANDS: Record<SlackCommandKind, true> = {
  start: true,
  schedule: true,
  list: true,
  cancel: true,
  connect: true,
  disconnect: true,
  room: true,
  call: true,
  recent: true,
  hangup: true,
  help: true,
};

export function slackListeners(deps: SlackListenerDeps): SlackRouter {
  const router = new SlackRouter();
  for (const listener of [...commandListeners, ...otherListeners]) listener.register(router, deps);
  const unclaimed = router.unclaimed(Object.keys(SLACK_COMMANDS) as SlackCommandKind[]);
  if (unclaimed.length > 0) throw new Error(`no Slack listener for the commands ${unclaimed.join(', ')}`);
  return router;
}
