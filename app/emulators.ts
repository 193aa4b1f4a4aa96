import type { SystemName } from '../core';
import type { Emulator } from '../sandbox/emulator';

/**
 * Every emulator een-bridge ships, created fresh per service. The calling, meetings and
 * notifications work each add theirs here.
 */
export function createEmulators(): Emulator[] {
  return [];
}

/** The emulators needed by the systems that run in sandbox mode. */
export function emulatorsFor(all: Emulator[], sandboxed: ReadonlySet<SystemName>): Emulator[] {
  return all.filter((e) => e.serves.some((s) => sandboxed.has(s)));
}
