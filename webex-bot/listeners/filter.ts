import { canonicalFilter, escapeMarkdown, FilterError, showFilter, translate } from '../../core';
import type { WebexCommandRouter } from './router';
import { describe, text, type SpaceDeps } from './space';

/**
 * `filter [n] <expression>`, `filter [n] jql <JQL>`, `filter [n] off` (Dutch: `filteren`, `uit`):
 * the filter of subscription n, or of the only one (as `format` and `important`); parsed in
 * webex-bot/filter-command.ts. The filter is checked before anything changes, so a bad one
 * leaves the subscription as it was; changing takes a moderator in a moderated space.
 */
export function register(router: WebexCommandRouter, deps: SpaceDeps): void {
  router.space('filter', async ({ actor, who, language, t }, command) => {
    const { subscriptions } = deps;
    if (command.syntax === undefined || (command.syntax === 'jql' && command.text === '')) return text(t('webexbot.filterUsage'));
    let expression: string | null = null;
    if (command.syntax !== 'off') {
      try {
        expression = canonicalFilter(command.text, command.syntax);
      } catch (err) {
        if (!(err instanceof FilterError)) throw err;
        return text(t('webexbot.filterRefused', { reason: translate(language, err.key, { ...err.params, part: escapeMarkdown(String(err.params.part)) }) }));
      }
    }
    if (!(await subscriptions.mayManage(actor, who.roomId))) return text(t('webexbot.moderatorsOnly'));
    const list = await subscriptions.list(actor, who.roomId);
    if (list.length === 0) return text(t('webexbot.none'));
    if (command.number === undefined && list.length > 1) return text(t('webexbot.whichSubscription'));
    const target = list[(command.number ?? 1) - 1];
    if (!target) return text(t('webexbot.noSuchNumber', { n: command.number ?? 1 }));
    // `assignee=me` means whoever set the filter.
    await subscriptions.setFilterExpression(actor, who.roomId, target.id, expression, who.personEmail.toLowerCase());
    const item = describe({ ...target, filterExpression: null }, t, true, language);
    if (expression === null) return text(t('webexbot.filterOff', { item }));
    return text(t('webexbot.filterSet', { item, filter: showFilter(expression, language).replace(/`/g, "'") }));
  });
}
