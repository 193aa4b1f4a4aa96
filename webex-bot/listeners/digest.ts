import { describeCadence, localDueTime, parseDigestRequest } from '../../core';
import { digestStatus } from '../digest-commands';
import type { WebexCommandRouter } from './router';
import { text, userErrorsAnswered, type SpaceDeps } from './space';

/**
 * `digest daily 09:00` / `digest wekelijks maandag 09:00` / `digest off`: the space's scheduled
 * digest (issue 15); `digest` alone shows it. Looking is for everyone; changing takes what
 * changing subscriptions takes. A bad schedule changes nothing and is answered with what was wrong.
 */
export function register(router: WebexCommandRouter, deps: SpaceDeps): void {
  router.space('digest', async ({ actor, who, language, t }, command) => {
    const digests = deps.digests;
    if (!digests) return text(t('digest.usage'));
    if (command.words.length > 0 && !(await deps.subscriptions.mayManage(actor, who.roomId))) return text(t('webexbot.moderatorsOnly'));
    return userErrorsAnswered(t, async () => {
      if (command.words.length === 0) {
        const s = await digests.get(who.roomId);
        return text(s.cadence ? digestStatus(s, language, t) : t('digest.usage'));
      }
      const request = parseDigestRequest(command.words);
      const before = await digests.get(who.roomId);
      const s = await digests.set(who.roomId, request, who.personEmail);
      if (!s.cadence) return text(before.waiting > 0 ? t('digest.stoppedFlush', { count: before.waiting }) : t('digest.stopped'));
      return text(t('digest.scheduled', { schedule: describeCadence(s.cadence, language), zone: s.timeZone, next: localDueTime(new Date(s.nextDueAt!), s.timeZone) }));
    });
  });
}
