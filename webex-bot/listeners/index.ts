import type { PersonalDeps } from './personal';
import { WebexCommandRouter, type SpaceCommandName } from './router';
import type { SpaceDeps } from './space';
import * as call from './call';
import * as connect from './connect';
import * as hangup from './hangup';
import * as meet from './meet';
import * as meetings from './meetings';
import * as plan from './plan';
import * as recent from './recent';
import * as configure from './configure';
import * as digest from './digest';
import * as filter from './filter';
import * as help from './help';
import * as subscribe from './subscribe';
import * as subscriptions from './subscriptions';
import * as timeZone from './time-zone';
import * as trelloCard from './trello-card';
import * as unknown from './unknown';
import * as unsubscribe from './unsubscribe';
import type { EventDeps } from './events';
import * as added from './added';
import * as jiraStatus from './jira-status';
import * as removed from './removed';
import * as threadReply from './thread-reply';

export { WebexCommandRouter, type ListenerTurn, type SpaceEvent, type WebexPerson } from './router';
export type { EventDeps } from './events';
export type { PersonalDeps } from './personal';
export type { SpaceDeps, SpaceTurn } from './space';

/** The Webex bot's personal commands (calling, meetings), one file per command. */
const listeners = [call, recent, hangup, meet, meetings, plan, connect];

export function webexListeners(deps: PersonalDeps): WebexCommandRouter {
  const router = new WebexCommandRouter();
  for (const listener of listeners) listener.register(router, deps);
  return router;
}

/** The Webex bot's space commands (following sources, delivery settings, digests), one file per command. */
const spaceListeners = [subscribe, subscriptions, unsubscribe, configure, filter, trelloCard, digest, timeZone, help, unknown];

/**
 * Every name the space-command parser (webex-bot/command-parser.ts) gives a command: the type
 * makes a new name a compile error here, and webexSpaceListeners refuses to start without a
 * listener for each.
 */
const SPACE_COMMANDS: Record<SpaceCommandName, true> = {
  subscribe: true,
  invalid: true,
  subscriptions: true,
  unsubscribe: true,
  configure: true,
  filter: true,
  trelloCard: true,
  trelloCardUsage: true,
  digest: true,
  timeZone: true,
  help: true,
  unknown: true,
};

export function webexSpaceListeners(deps: SpaceDeps): WebexCommandRouter {
  const router = new WebexCommandRouter();
  for (const listener of spaceListeners) listener.register(router, deps);
  const unclaimed = router.unclaimed(Object.keys(SPACE_COMMANDS) as SpaceCommandName[]);
  if (unclaimed.length > 0) throw new Error(`no Webex listener for the space commands ${unclaimed.join(', ')}`);
  return router;
}

/** The Webex bot's events: added to or removed from a space, a reply in a thread, a reply card's Jira buttons. */
const eventListeners = [added, removed, threadReply, jiraStatus];

export function webexEventListeners(deps: EventDeps): WebexCommandRouter {
  const router = new WebexCommandRouter();
  for (const listener of eventListeners) listener.register(router, deps);
  return router;
}
