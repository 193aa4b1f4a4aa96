import {
  DEFAULT_IMPORTANT,
  UserError,
  escapeMarkdown,
  translate,
  type Actor,
  type DriveFolders,
  type HealthReadings,
  type Identity,
  type Language,
  type Logger,
  type MessageKey,
  type MessageParams,
  type SpaceDigests,
  type Subscription,
  type SubscriptionFilter,
  type Subscriptions,
  type TrelloBoards,
  type WebexMessages,
} from '../../core';
import type { WebexSender } from '../actor';
import type { BotReply } from '../cards';
import { filterSuffix } from '../filter-command';

/** What the space commands (subscribe, subscriptions, filter, digest, …) use: façades only. */
export interface SpaceDeps {
  /** The Subscriptions façade: the authorisation and moderator rules live behind it (core/notifications/subscriptions-facade.ts). */
  subscriptions: Subscriptions;
  /** The Identity façade, which builds the Actor of each message. */
  identity: Identity;
  webex: WebexMessages;
  /** Absent when Trello is off. */
  trello: { api: TrelloBoards; callbackUrl: () => string } | undefined;
  /** Absent when Microsoft Graph is off. */
  graph?: DriveFolders | undefined;
  log: Logger;
  /** Subscription health, shown in `subscriptions` (core/notifications/health/). */
  health?: HealthReadings | undefined;
  /** Lines the help adds for commands that live elsewhere (the personal listeners), starting with a line break. */
  moreHelp?: (language: Language) => string;
  /** Scheduled digests (`digest daily 09:00`); the commands answer with their usage when absent. */
  digests?: SpaceDigests | undefined;
}

export type T = (key: MessageKey, params?: MessageParams) => string;

/**
 * One space command or button press, once the sender was found served: who (Webex People API,
 * see whoOf in webex-bot/index.ts), their Actor, and the language the answer is in (the
 * command word's, or the pressed card's).
 */
export interface SpaceTurn {
  who: WebexSender;
  actor: Actor;
  language: Language;
  t: T;
}

export function tFor(language: Language): T {
  return (key, params = {}) => translate(language, key, params);
}

export const text = (markdown: string): BotReply => ({ markdown });

/** How the bot names a subscription ("Jira KAN (…) — compact"); `markdown` false: plain text for cards and speech, no backslash escapes. */
export function describe(s: Subscription, t: T, markdown: boolean, language: Language): string {
  const expression = filterSuffix(s, language, markdown);
  return `${s.source === 'jira' ? 'Jira' : s.source === 'trello' ? 'Trello' : 'OneDrive'} ${s.sourceKey}${filterText(s.filter, t, markdown)}${expression}${settingsText(s, t)}`;
}

/** The delivery settings that differ from the defaults, e.g. " — compact, own changes skipped". */
function settingsText(s: Subscription, t: T): string {
  const parts: string[] = [];
  if (s.format === 'compact') parts.push(t('webexbot.settingCompact'));
  if (s.skipOwn) parts.push(t('webexbot.settingSkipOwn'));
  const important = [...s.important].sort().join(',');
  if (important !== [...DEFAULT_IMPORTANT].sort().join(',')) {
    parts.push(t('webexbot.settingImportant', { changes: s.important.map((w) => t(`webexbot.important.${w}`)).join(', ') }));
  }
  return parts.length > 0 ? ` — ${parts.join(', ')}` : '';
}

export function filterText(filter: SubscriptionFilter, t: T, markdown = true): string {
  const esc = markdown ? escapeMarkdown : (v: string) => v;
  const parts: string[] = [];
  if (filter.kinds) parts.push(t('webexbot.filterKinds', { kinds: filter.kinds.join(', ') }));
  if (filter.issueTypes) parts.push(t('webexbot.filterTypes', { types: esc(filter.issueTypes.join(', ')) }));
  if (filter.minPriority) parts.push(t('webexbot.filterPriority', { priority: filter.minPriority }));
  if (filter.lists) parts.push(t('webexbot.filterLists', { lists: esc(filter.lists.join(', ')) }));
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/** A UserError (a bad schedule or time zone) as the answer, its params escaped: nothing was changed. */
export async function userErrorsAnswered(t: T, work: () => Promise<BotReply>): Promise<BotReply> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof UserError) return text(t(err.key, Object.fromEntries(Object.entries(err.params).map(([k, v]) => [k, escapeMarkdown(String(v))]))));
    throw err;
  }
}
