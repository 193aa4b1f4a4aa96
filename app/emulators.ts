import type { SystemName } from '../core';
import type { Emulator } from '../sandbox/emulator';
import { TrelloEmulator } from '../sandbox/trello-api/trello-emulator';
import { membershipsFeature } from '../sandbox/webex-api/memberships';
import { messagesFeature } from '../sandbox/webex-api/messages';
import { peopleFeature } from '../sandbox/webex-api/people';
import { roomsFeature } from '../sandbox/webex-api/rooms';
import { WebexEmulator } from '../sandbox/webex-api/webex-emulator';
import { webhooksFeature } from '../sandbox/webex-api/webhooks';

/**
 * Every emulator een-bridge ships, created fresh per service. The calling, meetings and
 * notifications work each add theirs here.
 */
export function createEmulators(): Emulator[] {
  return [
    new WebexEmulator({ features: [peopleFeature, roomsFeature, membershipsFeature, messagesFeature, webhooksFeature] }),
    new TrelloEmulator(),
  ];
}

/** The emulators needed by the systems that run in sandbox mode. */
export function emulatorsFor(all: Emulator[], sandboxed: ReadonlySet<SystemName>): Emulator[] {
  return all.filter((e) => e.serves.some((s) => sandboxed.has(s)));
}
