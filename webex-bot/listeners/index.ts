import type { PersonalDeps } from './personal';
import { WebexCommandRouter } from './router';
import * as call from './call';
import * as connect from './connect';
import * as hangup from './hangup';
import * as meet from './meet';
import * as meetings from './meetings';
import * as plan from './plan';
import * as recent from './recent';

export { WebexCommandRouter, type ListenerTurn, type WebexPerson } from './router';
export type { PersonalDeps } from './personal';

/** The Webex bot's commands that live in small files, one per command; the space commands are in space-commands.ts. */
const listeners = [call, recent, hangup, meet, meetings, plan, connect];

export function webexListeners(deps: PersonalDeps): WebexCommandRouter {
  const router = new WebexCommandRouter();
  for (const listener of listeners) listener.register(router, deps);
  return router;
}
