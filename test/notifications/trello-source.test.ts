import { parseTrelloWebhook, renderNotification, signTrelloBody, verifyTrelloSignature, type SourceEvent } from '../../core/internal';
import {
  trelloAddMemberToCard,
  trelloCardClosed,
  trelloCardDue,
  trelloCardMoved,
  trelloCardRenamed,
  trelloCardRepositioned,
  trelloCommentCard,
  trelloCreateCard,
} from '../fixtures/trello-webhooks';

const eventOf = (body: unknown): SourceEvent => {
  const r = parseTrelloWebhook(body);
  if (r.outcome !== 'event') throw new Error(`expected an event, got ${JSON.stringify(r)}`);
  return r.event;
};

describe('Trello signatures (X-Trello-Webhook)', () => {
  const body = Buffer.from(JSON.stringify(trelloCreateCard));
  const callback = 'https://een-bridge.example.nl/hooks/trello';

  it('accepts base64 HMAC-SHA1 of the body followed by the callback URL', () => {
    expect(verifyTrelloSignature(body, signTrelloBody(body, callback, 'app-secret'), callback, 'app-secret')).toBe(true);
  });
  it('refuses another secret, another callback URL, a changed body and a missing header', () => {
    const good = signTrelloBody(body, callback, 'app-secret');
    expect(verifyTrelloSignature(body, signTrelloBody(body, callback, 'other'), callback, 'app-secret')).toBe(false);
    expect(verifyTrelloSignature(body, good, 'https://elsewhere.example/hooks/trello', 'app-secret')).toBe(false);
    expect(verifyTrelloSignature(Buffer.concat([body, Buffer.from(' ')]), good, callback, 'app-secret')).toBe(false);
    expect(verifyTrelloSignature(body, undefined, callback, 'app-secret')).toBe(false);
  });
});

describe('parsing Trello actions', () => {
  it('createCard: a new card on the board, in its list, with its link and number', () => {
    expect(eventOf(trelloCreateCard)).toMatchObject({
      source: 'trello',
      deliveryKey: '60d5ed01a1b2c3d4e5f60712',
      sourceKey: '60d5ec49f1a2b3c4d5e6f701',
      kind: 'issue.created',
      actor: 'Anouk de Jong',
      subject: { key: '#12', title: 'Klik-en-bel vanuit het klantdossier', url: 'https://trello.com/c/Zq8RtY3u', status: 'To Do' },
    });
  });
  it('updateCard: moved between lists, renamed, due date, closed', () => {
    expect(eventOf(trelloCardMoved).changes).toEqual([{ field: 'list', from: 'To Do', to: 'Doing' }]);
    expect(eventOf(trelloCardMoved).subject.status).toBe('Doing');
    expect(eventOf(trelloCardRenamed).changes).toEqual([{ field: 'summary', from: 'Klik-en-bel vanuit het klantdossier', to: 'Klik-en-bel vanuit klantdossier en CRM' }]);
    expect(eventOf(trelloCardDue).changes).toEqual([{ field: 'due', from: null, to: '2026-12-04T16:00:00.000Z' }]);
    expect(eventOf(trelloCardClosed).changes).toEqual([{ field: 'closed', from: 'no', to: 'yes' }]);
  });
  it('ignores an update of fields nobody watches, naming the board', () => {
    expect(parseTrelloWebhook(trelloCardRepositioned)).toEqual({ outcome: 'ignored', reason: 'no watched field changed', boardId: '60d5ec49f1a2b3c4d5e6f701' });
  });
  it('commentCard and addMemberToCard', () => {
    expect(eventOf(trelloCommentCard)).toMatchObject({ kind: 'comment.created', comment: 'Werkt nu ook voor **0031**-nummers. [demo](https://evil.example)' });
    expect(eventOf(trelloAddMemberToCard).changes).toEqual([{ field: 'member', from: null, to: 'Pieter Visser' }]);
  });
  it('calls a body without an action invalid', () => {
    expect(parseTrelloWebhook({ model: {} }).outcome).toBe('invalid');
    expect(parseTrelloWebhook({ ...trelloCreateCard, action: { ...trelloCreateCard.action, id: 'x' } }).outcome).toBe('invalid');
  });
  it('renders a move, a due date and an archive in Dutch', () => {
    expect(renderNotification(eventOf(trelloCardMoved), 'nl').text).toContain('Lijst: To Do -> Doing');
    expect(renderNotification(eventOf(trelloCardDue), 'nl').text).toContain('Deadline: geen -> 2026-12-04 16:00 UTC');
    expect(renderNotification(eventOf(trelloCardClosed), 'nl').text).toContain('Gearchiveerd: nee -> ja');
    expect(renderNotification(eventOf(trelloCommentCard), 'en').markdown).toContain('\\*\\*0031\\*\\*');
    expect(renderNotification(eventOf(trelloCreateCard), 'en').card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open in Trello', url: 'https://trello.com/c/Zq8RtY3u' }]);
  });
});
