import type { WebexCommandRouter } from './router';
import { describe, text, type SpaceDeps } from './space';

/**
 * `unsubscribe <n>` / `opzeggen <n>`, and the Unsubscribe button of a list or confirmation (by
 * the subscription's id, not its number, which shifts). In a moderated space only moderators
 * may (the Subscriptions façade decides).
 */
export function register(router: WebexCommandRouter, deps: SpaceDeps): void {
  router.space('unsubscribe', async ({ actor, who, language, t }, command) => {
    if (command.number === undefined) return text(t('webexbot.unsubscribeUsage'));
    const done = await deps.subscriptions.unsubscribe(actor, who.roomId, { number: command.number });
    if (done.outcome === 'moderatorsOnly') return text(t('webexbot.moderatorsOnly'));
    if (done.outcome !== 'done') return text(t('webexbot.noSuchNumber', { n: command.number }));
    return text(t('webexbot.unsubscribed', { item: describe(done.subscription, t, true, language) }));
  });

  router.spaceAction('unsubscribe', async ({ actor, who, language, t }, action) => {
    const done = await deps.subscriptions.unsubscribe(actor, who.roomId, { id: action.subscriptionId ?? -1 });
    if (done.outcome === 'moderatorsOnly') return text(t('webexbot.moderatorsOnly'));
    // Pressed twice, or on an old card: say so rather than nothing.
    if (done.outcome !== 'done') return text(t('webexbot.alreadyGone'));
    return text(t('webexbot.unsubscribed', { item: describe(done.subscription, t, true, language) }));
  });
}
