import { UpstreamError, escapeMarkdown } from '../../core';
import { trelloCardCreatedCard } from '../cards';
import type { WebexCommandRouter } from './router';
import { text, type SpaceDeps } from './space';

/**
 * `trello card <list> <title>` / `trello kaart <lijst> <titel>`: a card on the board the space
 * follows. Writing to Trello takes a write grant for the space (the Subscriptions façade).
 */
export function register(router: WebexCommandRouter, deps: SpaceDeps): void {
  router.space('trelloCardUsage', async ({ t }) => text(t('webexbot.cardUsage')));

  router.space('trelloCard', async ({ actor, who, language, t }, command) => {
    const { subscriptions, trello } = deps;
    if (!trello) return text(t('webexbot.trelloOff'));
    if (!(await subscriptions.mayWrite(actor, who.roomId, 'trello.card'))) return text(t('webexbot.writeRefused'));
    const board = (await subscriptions.list(actor, who.roomId)).find((s) => s.source === 'trello');
    if (!board) return text(t('webexbot.cardNoBoard'));
    const lists = await boardCall(deps, board.sourceKey, who.roomId, () => trello.api.lists(board.sourceKey));
    if (!lists) return text(t('webexbot.trelloBoardGone', { board: escapeMarkdown(board.sourceKey) }));
    const list = lists.find((l) => l.name.toLowerCase() === command.list.toLowerCase());
    if (!list) return text(t('webexbot.cardNoList', { list: escapeMarkdown(command.list.slice(0, 80)), lists: escapeMarkdown(lists.map((l) => l.name).join(', ')) }));
    const card = await trello.api.createCard(list.id, command.title.slice(0, 16384));
    const markdown = t('webexbot.cardCreated', { title: escapeMarkdown(card.name), list: escapeMarkdown(list.name), url: card.shortUrl });
    return { markdown, card: trelloCardCreatedCard(language, t('webexbot.cardCreated', { title: card.name, list: list.name, url: '' }).replace(/:\s*$/, '.'), card.shortUrl) };
  });
}

/**
 * A Trello call about a board we hold. When Trello answers 404 or 410 the board is gone (or
 * our token lost it): every space stops following it, and each space other than `askingRoom`
 * (which hears it in the answer) is told once, in its own language. Undefined then.
 */
async function boardCall<R>(deps: SpaceDeps, boardId: string, askingRoom: string, call: () => Promise<R>): Promise<R | undefined> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof UpstreamError && (err.status === 404 || err.status === 410))) throw err;
    await deps.subscriptions.forgetSource('trello', boardId, askingRoom);
    return undefined;
  }
}
