import type { WebexCommandRouter } from './router';
import { describe, text, type SpaceDeps } from './space';

const usage = { format: 'webexbot.formatUsage', skipOwn: 'webexbot.skipOwnUsage', important: 'webexbot.importantUsage' } as const;

/**
 * `format [n] compact|full`, `skip-own [n] on|off`, `important [n] status,created,…` (Dutch:
 * `formaat`, `eigen-overslaan`, `belangrijk`): one delivery setting of subscription n, or of the
 * only one. Changing takes a moderator in a moderated space.
 */
export function register(router: WebexCommandRouter, deps: SpaceDeps): void {
  router.space('configure', async ({ actor, who, language, t }, command) => {
    const { subscriptions } = deps;
    if (!command.settings) return text(t(usage[command.setting]));
    if (!(await subscriptions.mayManage(actor, who.roomId))) return text(t('webexbot.moderatorsOnly'));
    const list = await subscriptions.list(actor, who.roomId);
    if (list.length === 0) return text(t('webexbot.none'));
    // Without a number, the only subscription; with several, the number says which.
    if (command.number === undefined && list.length > 1) return text(t('webexbot.whichSubscription'));
    const done = await subscriptions.configure(actor, who.roomId, { number: command.number ?? 1 }, command.settings);
    if (done.outcome === 'moderatorsOnly') return text(t('webexbot.moderatorsOnly'));
    if (done.outcome !== 'done') return text(t('webexbot.noSuchNumber', { n: command.number ?? 1 }));
    return text(t('webexbot.configured', { item: describe(done.subscription, t, true, language) }));
  });
}
