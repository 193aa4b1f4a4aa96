import type { SystemName } from '../core';
import { XsiEmulator } from '../sandbox/broadworks-xsi/xsi-emulator';
import type { Emulator } from '../sandbox/emulator';
import { TeamsConnectorEmulator } from '../sandbox/teams-connector/connector-emulator';
import { peopleFeature } from '../sandbox/webex-api/people';
import { WebexEmulator } from '../sandbox/webex-api/webex-emulator';

/**
 * Every emulator een-bridge ships, created fresh per service. The calling, meetings and
 * notifications work each add theirs here.
 */
export function createEmulators(): Emulator[] {
  return [new WebexEmulator({ features: [peopleFeature] }), new XsiEmulator(), new TeamsConnectorEmulator()];
}

/** The emulators needed by the systems that run in sandbox mode. */
export function emulatorsFor(all: Emulator[], sandboxed: ReadonlySet<SystemName>): Emulator[] {
  return all.filter((e) => e.serves.some((s) => sandboxed.has(s)));
}
