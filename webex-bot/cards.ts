import { own, translate, type Language, type MessageKey, type MessageParams } from '../core';

/** https://developer.webex.com/docs/api/guides/cards: Webex renders Adaptive Cards up to 1.3. */
export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: '1.3';
  lang: string;
  /** What a screen reader or speaker says for the whole card. */
  speak: string;
  /** Shown by clients that cannot render the card. */
  fallbackText: string;
  body: object[];
  actions?: object[];
}

/**
 * What the bot answers: markdown always (it is also what clients without cards show, and what
 * Webex notifications and search read), plus a card where one helps.
 */
export interface BotReply {
  markdown: string;
  card?: AdaptiveCard;
}

/** The `data` of every Action.Submit on our cards; checked again when the press comes back. */
export interface CardAction {
  action: 'unsubscribe' | 'subscriptions' | 'jiraTransitions' | 'jiraTransition';
  /** The subscription's id (not its list number, which shifts when another one stops). */
  subscriptionId?: number;
  /** The Jira transition a "Move to …" button offers; which issue comes from the card's thread, not from here. */
  transitionId?: string;
  /** The language the card was written in, so the answer to the press uses it too. */
  lang: Language;
}

export interface CardRow {
  n: number;
  subscriptionId: number;
  /** Plain text: it goes into TextBlocks and the speak text. */
  text: string;
}

export const langTag: Record<Language, string> = { nl: 'nl-NL', en: 'en-GB' };

export function card(language: Language, speak: string, body: object[], actions: object[] = []): AdaptiveCard {
  const t = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.3',
    lang: langTag[language],
    speak,
    fallbackText: t('webexbot.card.fallback'),
    body,
    ...(actions.length > 0 ? { actions } : {}),
  };
}

export const heading = (text: string) => ({ type: 'TextBlock', text, size: 'Medium', weight: 'Bolder', wrap: true, style: 'heading' });
export const paragraph = (text: string) => ({ type: 'TextBlock', text, wrap: true });

function submit(title: string, data: CardAction): object {
  return { type: 'Action.Submit', title, data };
}

/** The commands, one per line, with the same text as the markdown help. */
export function helpCard(language: Language, helpMarkdown: string): AdaptiveCard {
  const t = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  const [intro, ...lines] = helpMarkdown.split('\n');
  return card(language, t('webexbot.card.helpSpeak'), [
    heading(t('webexbot.card.helpTitle')),
    paragraph(intro ?? ''),
    ...lines.map((line) => ({ type: 'TextBlock', text: line.replace(/^- /, ''), wrap: true, fontType: 'Monospace', spacing: 'Small' })),
  ]);
}

/** One row per subscription with its own Unsubscribe button (numbered, so each button says which). */
export function subscriptionsCard(language: Language, rows: CardRow[]): AdaptiveCard {
  const t = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  return card(language, `${t('webexbot.card.listSpeak', { count: rows.length })} ${rows.map((r) => `${r.n}. ${r.text}.`).join(' ')}`, [
    heading(t('webexbot.card.listTitle')),
    ...rows.map((row) => ({
      type: 'ColumnSet',
      separator: true,
      columns: [
        { type: 'Column', width: 'stretch', verticalContentAlignment: 'Center', items: [paragraph(`${row.n}. ${row.text}`)] },
        {
          type: 'Column',
          width: 'auto',
          items: [{ type: 'ActionSet', actions: [submit(t('webexbot.card.unsubscribe', { n: row.n }), { action: 'unsubscribe', subscriptionId: row.subscriptionId, lang: language })] }],
        },
      ],
    })),
  ]);
}

/** The confirmation, with a way to undo it at once and to see the whole list. */
export function subscribedCard(language: Language, text: string, subscriptionId: number): AdaptiveCard {
  const t = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  return card(language, text, [heading(t('webexbot.card.subscribedTitle')), paragraph(text)], [
    submit(t('webexbot.card.unsubscribe', { n: '' }).trim(), { action: 'unsubscribe', subscriptionId, lang: language }),
    submit(t('webexbot.card.showList'), { action: 'subscriptions', lang: language }),
  ]);
}

export function trelloCardCreatedCard(language: Language, text: string, url: string): AdaptiveCard {
  const t = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  return card(language, text, [heading(t('webexbot.card.trelloTitle')), paragraph(text)], [
    { type: 'Action.OpenUrl', title: t('webexbot.card.openTrello'), url },
  ]);
}

/**
 * The answer to a reply that reached Jira or Trello: a link to the comment, and for a Jira issue a
 * "Change status" button (the moves themselves are asked of Jira when it is pressed).
 */
export function replyCard(language: Language, text: string, url: string | undefined, jira: boolean): AdaptiveCard {
  const t = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  return card(language, text, [paragraph(text)], [
    ...(jira ? [submit(t('reply.changeStatus'), { action: 'jiraTransitions', lang: language })] : []),
    ...(url ? [{ type: 'Action.OpenUrl', title: t('reply.open'), url }] : []),
  ]);
}

/** One "Move to <status>" button per transition Jira allows now. */
export function transitionsCard(language: Language, text: string, transitions: { id: string; to: { name: string } }[]): AdaptiveCard {
  const t = (key: MessageKey, params?: MessageParams) => translate(language, key, params);
  return card(language, text, [paragraph(text)], transitions.slice(0, 6).map((tr) => submit(t('reply.moveTo', { status: tr.to.name }), { action: 'jiraTransition', transitionId: tr.id, lang: language })));
}

/** The `data` of a pressed button, if it is one of ours; anything else is ignored. */
export function cardActionOf(inputs: unknown): CardAction | undefined {
  if (!inputs || typeof inputs !== 'object') return undefined;
  const action = own(inputs, 'action');
  const subscriptionId = own(inputs, 'subscriptionId');
  const lang: Language = own(inputs, 'lang') === 'nl' ? 'nl' : 'en';
  if (action === 'subscriptions') return { action: 'subscriptions', lang };
  if (action === 'jiraTransitions') return { action: 'jiraTransitions', lang };
  const transitionId = own(inputs, 'transitionId');
  if (action === 'jiraTransition' && typeof transitionId === 'string' && /^[0-9]{1,12}$/.test(transitionId)) return { action: 'jiraTransition', transitionId, lang };
  if (action === 'unsubscribe' && typeof subscriptionId === 'number' && Number.isInteger(subscriptionId)) {
    return { action: 'unsubscribe', subscriptionId, lang };
  }
  return undefined;
}
