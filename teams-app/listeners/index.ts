import { TeamsActionRouter } from './router';
import * as startMeeting from './start-meeting';
import type { StartMeetingDeps } from './start-meeting';

export { TeamsActionRouter, type ActionCommandHandler } from './router';

/** The Teams app's message-extension actions that live in small files, one per command. */
const listeners = [startMeeting];

export function teamsListeners(deps: StartMeetingDeps): TeamsActionRouter {
  const router = new TeamsActionRouter();
  for (const listener of listeners) listener.register(router, deps);
  return router;
}
