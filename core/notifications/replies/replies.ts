import { UpstreamError } from '../../errors';
import { languageOf, translate, type Language } from '../../i18n';
import type { MessageKey, MessageParams } from '../../i18n/catalogue';
import type { Logger } from '../../log';
import type { JiraApi, JiraTransition } from '../jira-client';
import { escapeMarkdown } from '../markdown';
import type { SpaceAccess, WebexActor } from '../space-access';
import type { TrelloApi } from '../trello-client';
import type { WebexMessages } from '../webex-messages';
import { commentAdf, trelloCommentText } from './comment-adf';
import type { ThreadItem, ThreadItems, ThreadLookup } from './thread-items';

/** Who replied or pressed, as Webex's People API says (never the message's own claim), with their name. */
export interface ReplyAuthor extends WebexActor {
  displayName: string;
}

/** What the bot says back, in the thread, in the space's language. */
export interface ReplyAnswer {
  markdown: string;
  language: Language;
  /** A Jira issue was commented on: the answer may offer its transitions. */
  jiraIssue?: string;
  /** The item's page, for an "open" button. */
  url?: string;
  /** The transitions Jira allows now, for buttons. */
  transitions?: JiraTransition[];
}

export interface RepliesDeps {
  items: ThreadItems;
  access: SpaceAccess;
  /** core's Webex client: reads a pressed card's message to find its thread. */
  webex: Pick<WebexMessages, 'get'>;
  /** Absent when JIRA_BASE_URL / JIRA_EMAIL / JIRA_API_TOKEN are not set (and not in sandbox mode). */
  jira: JiraApi | undefined;
  trello: TrelloApi | undefined;
  log: Logger;
}

type T = (key: MessageKey, params?: MessageParams) => string;

/**
 * Replies reach the source (issue 15): a reply in Webex to one of our notification messages (or
 * to anything in its thread) becomes a comment on that Jira issue or Trello card, attributed to
 * whoever wrote it; and the allowed Jira transitions can be pressed from the space. Which item a
 * message is about comes from the outbox (ThreadItems), never from what the message or a card's
 * inputs say. Writing takes the space's write grant (SpaceAccess.mayWrite,
 * `een-bridge writers allow`), as creating Trello cards does.
 */
export class Replies {
  constructor(private readonly deps: RepliesDeps) {}

  /**
   * A person's reply in the thread of `parentId` (Webex threads are one level deep, so that is the
   * thread's first message). Undefined when that thread is not one of our notifications: the
   * message is then an ordinary one for the bot's commands.
   */
  async reply(author: ReplyAuthor, parentId: string, text: string): Promise<ReplyAnswer | undefined> {
    const lookup = await this.deps.items.of(author.spaceId, parentId);
    if (!lookup) return undefined;
    return this.onItem(lookup, (item, t, language) => this.comment(author, item, text.trim(), t, language));
  }

  /** "Change status" pressed on a card in a notification's thread: the moves Jira allows now. */
  async transitions(author: ReplyAuthor, messageId: string, fallback: Language): Promise<ReplyAnswer> {
    return this.onPressed(author, messageId, fallback, async (item, key, t, language) => {
      const jira = this.deps.jira!;
      const transitions = await jira.transitions(key);
      if (transitions.length === 0) return { markdown: t('reply.transitionsNone', { item: escapeMarkdown(key) }), language };
      return { markdown: t('reply.transitionsPrompt', { item: escapeMarkdown(key) }), language, transitions, jiraIssue: key, ...(item.url ? { url: item.url } : {}) };
    });
  }

  /** "Move to Done" pressed: checked against what Jira allows now, then carried out. */
  async transition(author: ReplyAuthor, messageId: string, transitionId: string, fallback: Language): Promise<ReplyAnswer> {
    return this.onPressed(author, messageId, fallback, async (_item, key, t, language) => {
      const jira = this.deps.jira!;
      const offered = /^[0-9]{1,12}$/.test(transitionId) ? (await jira.transitions(key)).find((tr) => tr.id === transitionId) : undefined;
      if (!offered) return { markdown: t('reply.transitionGone', { item: escapeMarkdown(key) }), language };
      try {
        await jira.transition(key, offered.id);
      } catch (err) {
        // Jira answers 400 for a transition that is not (or no longer) valid for the issue.
        if (err instanceof UpstreamError && err.status === 400) return { markdown: t('reply.transitionGone', { item: escapeMarkdown(key) }), language };
        throw err;
      }
      await this.noted(author, 'jira.transition', { issue: key, transition: offered.id, to: offered.to.name });
      return { markdown: t('reply.moved', { person: escapeMarkdown(author.displayName), item: escapeMarkdown(key), status: escapeMarkdown(offered.to.name) }), language };
    });
  }

  private async onItem(lookup: NonNullable<ThreadLookup>, work: (item: ThreadItem, t: T, language: Language) => Promise<ReplyAnswer>): Promise<ReplyAnswer> {
    const language = languageOf('found' in lookup ? lookup.found.locale : lookup.locale);
    const t: T = (key, params = {}) => translate(language, key, params);
    if (!('found' in lookup)) return { markdown: t('reply.several'), language };
    const item = lookup.found;
    try {
      return await work(item, t, language);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      return { markdown: refusal(err, item.key, t), language };
    }
  }

  /**
   * A card button in a notification's thread: the card's message (Webex says which, in the
   * verified action) leads to the thread, the thread to the item. The inputs only choose a move.
   */
  private async onPressed(author: ReplyAuthor, messageId: string, fallback: Language, work: (item: ThreadItem, key: string, t: T, language: Language) => Promise<ReplyAnswer>): Promise<ReplyAnswer> {
    const lookup = await this.threadOf(author.spaceId, messageId);
    if (!lookup) return { markdown: translate(fallback, 'reply.notOurs'), language: fallback };
    return this.onItem(lookup, async (item, t, language) => {
      if (item.source !== 'jira') return { markdown: t('reply.notOurs'), language };
      if (!this.deps.jira) return { markdown: t('reply.jiraOff'), language };
      if (!(await this.deps.access.serves(author, 'card:jira.transition'))) return { markdown: t('webexbot.notServed'), language };
      if (!(await this.deps.access.mayWrite(author, 'jira.transition'))) return { markdown: t('reply.writeRefused', { source: 'Jira' }), language };
      return work(item, item.key, t, language);
    });
  }

  /** The item of a message of ours, or of the thread it is in. */
  private async threadOf(spaceId: string, messageId: string): Promise<ThreadLookup> {
    const direct = await this.deps.items.of(spaceId, messageId);
    if (direct) return direct;
    const message = await this.deps.webex.get(messageId).catch((err: unknown) => {
      if (err instanceof UpstreamError && err.status === 404) return undefined;
      throw err;
    });
    if (!message?.parentId || message.roomId !== spaceId) return undefined;
    return this.deps.items.of(spaceId, message.parentId);
  }

  private async comment(author: ReplyAuthor, item: ThreadItem, text: string, t: T, language: Language): Promise<ReplyAnswer> {
    if (item.source === 'graph') return { markdown: t('reply.graph'), language };
    const system = item.source === 'jira' ? 'Jira' : 'Trello';
    if (item.source === 'jira' && !this.deps.jira) return { markdown: t('reply.jiraOff'), language };
    if (item.source === 'trello' && !this.deps.trello) return { markdown: t('reply.trelloOff'), language };
    if (!(await this.deps.access.serves(author, `reply:${item.source}`))) return { markdown: t('webexbot.notServed'), language };
    if (!(await this.deps.access.mayWrite(author, `${item.source}.comment`))) return { markdown: t('reply.writeRefused', { source: system }), language };
    if (text === '') return { markdown: t('reply.empty'), language };
    const attribution = t('reply.attribution', { person: author.displayName || author.email });
    const itemText = escapeMarkdown(item.key);
    if (item.source === 'jira') {
      const jira = this.deps.jira!;
      const made = await jira.addComment(item.key, commentAdf(attribution, text));
      await this.noted(author, 'jira.comment', { issue: item.key, comment: made.id });
      // Jira opens a comment with `focusedCommentId` on the issue's page.
      const url = `${item.url ?? jira.browseUrl(item.key)}?focusedCommentId=${encodeURIComponent(made.id)}`;
      return { markdown: t('reply.commented', { item: itemText, link: url }), language, jiraIssue: item.key, url };
    }
    const card = trelloCardRef(item.url);
    if (!card) return { markdown: t('reply.notFound', { system, item: itemText }), language };
    await this.deps.trello!.addComment(card, trelloCommentText(attribution, text));
    await this.noted(author, 'trello.comment', { card });
    const url = item.url ?? `https://trello.com/c/${card}`;
    return { markdown: t('reply.commented', { item: itemText, link: url }), language, url };
  }

  private async noted(author: ReplyAuthor, what: string, detail: Record<string, string>): Promise<void> {
    this.deps.log.info({ space: author.spaceId, person: author.personId, what, ...detail }, 'a reply from Webex reached its source');
  }
}

/** The card's short link in `https://trello.com/c/<shortLink>`, which Trello takes wherever a card id goes. */
export function trelloCardRef(url: string | null): string | undefined {
  return url ? /^https:\/\/trello\.com\/c\/([A-Za-z0-9]{8})(?:[/?#]|$)/.exec(url)?.[1] : undefined;
}

/** Jira's or Trello's refusal in the person's words: gone or hidden, not allowed, or refused with its reason. */
function refusal(err: UpstreamError, item: string, t: T): string {
  const detail = escapeMarkdown(err.message.replace(/^[A-Za-z]+ [0-9a-z ]+?: /, '').slice(0, 200));
  const params = { system: err.system, item: escapeMarkdown(item), detail };
  if (err.status === 404 || err.status === 410) return t('reply.notFound', params);
  if (err.status === 403) return t('reply.forbidden', params);
  if (err.status === 400) return t('reply.rejected', params);
  return t('webexbot.failed', { reason: t(err.key, { system: err.system, seconds: err.retryAfterSeconds ?? 60 }) });
}
