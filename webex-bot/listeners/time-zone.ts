import { localDueTime } from '../../core';
import type { WebexCommandRouter } from './router';
import { text, userErrorsAnswered, type SpaceDeps } from './space';

/**
 * `timezone Europe/London` / `tijdzone …`: the zone the space's digest times are in; alone, it
 * shows the zone. A scheduled digest moves to the same local time in the new zone. Changing
 * takes what changing subscriptions takes; an unknown zone changes nothing.
 */
export function register(router: WebexCommandRouter, deps: SpaceDeps): void {
  router.space('timeZone', async ({ actor, who, t }, command) => {
    const digests = deps.digests;
    if (!digests) return text(t('digest.usage'));
    if (command.zone !== undefined && !(await deps.subscriptions.mayManage(actor, who.roomId))) return text(t('webexbot.moderatorsOnly'));
    return userErrorsAnswered(t, async () => {
      if (command.zone === undefined) return text(t('digest.timeZoneUsage', { zone: (await digests.get(who.roomId)).timeZone }));
      const s = await digests.setTimeZone(who.roomId, command.zone, who.personEmail);
      return text(s.cadence && s.nextDueAt ? t('digest.timeZoneMoved', { zone: s.timeZone, next: localDueTime(new Date(s.nextDueAt), s.timeZone) }) : t('digest.timeZoneSet', { zone: s.timeZone }));
    });
  });
}
