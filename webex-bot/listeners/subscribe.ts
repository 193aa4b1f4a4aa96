import { escapeMarkdown } from '../../core';
import { subscribedCard, type BotReply } from '../cards';
import { resolveSource, sourceWord } from '../following';
import type { WebexCommandRouter } from './router';
import { filterText, text, type SpaceDeps } from './space';

/**
 * `subscribe jira|trello|onedrive …` / `abonneer …`: the space follows a source. The Subscriptions
 * façade decides first (moderators only in a moderated space; a source not on the allow-list
 * becomes a request for an administrator; a person outside the served organisations is
 * refused); only then is the source looked up where it lives (following.ts).
 */
export function register(router: WebexCommandRouter, deps: SpaceDeps): void {
  router.space('subscribe', async ({ actor, who, language, t }, command) => {
    if (command.source === undefined) return text(t('webexbot.subscribeUsage'));
    let name = '';
    const decision = await deps.subscriptions.subscribe<BotReply>(actor, who.roomId, async () => {
      const resolved = await resolveSource(command, language, deps, t);
      if ('reply' in resolved) return { notFound: resolved.reply };
      name = resolved.name;
      return { wanted: resolved.wanted };
    });
    if (decision.outcome === 'moderatorsOnly') return text(t('webexbot.moderatorsOnly'));
    if (decision.outcome === 'notFound') return decision.reason;
    if (decision.outcome === 'notServed' || decision.outcome === 'unknownSpace') return text(t('webexbot.notServed'));
    const { wanted } = decision;
    if (decision.outcome === 'requested') {
      const params = { source: sourceWord(wanted.source, t), item: escapeMarkdown(wanted.label), id: decision.request.id };
      return text(t(decision.isNew ? 'webexbot.followRequested' : 'webexbot.followPending', params));
    }
    if (decision.outcome === 'gone') return text(t('webexbot.trelloBoardGone', { board: escapeMarkdown(name) }));
    const made = decision.subscription;
    const confirm = (markdown: string, plain: string): BotReply => ({ markdown, card: subscribedCard(language, plain, made.id) });
    if (wanted.source === 'jira') {
      return confirm(t('webexbot.subscribedJira', { key: name, filter: filterText(wanted.filter, t) }), t('webexbot.subscribedJira', { key: name, filter: filterText(wanted.filter, t, false) }));
    }
    if (wanted.source === 'graph') return confirm(t('webexbot.subscribedOneDrive', { folder: escapeMarkdown(name) }), t('webexbot.subscribedOneDrive', { folder: name }));
    return confirm(
      t('webexbot.subscribedTrello', { board: escapeMarkdown(name), filter: filterText(wanted.filter, t) }),
      t('webexbot.subscribedTrello', { board: name, filter: filterText(wanted.filter, t, false) }),
    );
  });

  // What was wrong with a `subscribe`'s arguments (a bad Jira key or option), as the parser found it.
  router.space('invalid', async ({ t }, command) => text(t(command.key, Object.fromEntries(Object.entries(command.params).map(([k, v]) => [k, escapeMarkdown(v.slice(0, 80))])))));
}
