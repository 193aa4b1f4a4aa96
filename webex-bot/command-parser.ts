import { parseDigestCommand, DIGEST_COMMAND_WORDS, type DigestCommand } from './digest-commands';
import { jiraPriorities, type DeliverySettings, type EventKind, type ImportantChange, type Language, type SubscriptionFilter } from '../core';
import { parseFilterCommand, type FilterCommand } from './filter-command';

/** A command said to the bot in a space, in English or Dutch. */
export type BotCommand =
  | { name: 'help' }
  | { name: 'subscriptions' }
  | { name: 'unsubscribe'; number: number | undefined }
  | { name: 'subscribe'; source: 'jira'; key: string; filter: SubscriptionFilter }
  | { name: 'subscribe'; source: 'trello'; board: string; filter: SubscriptionFilter }
  /** A folder path in the default drive, or a sharing link (which may point into any drive). */
  | { name: 'subscribe'; source: 'onedrive'; folder: string; filter: SubscriptionFilter }
  | { name: 'subscribe'; source: undefined }
  /** Bad arguments: the message key and its parameters say what is wrong. */
  | { name: 'invalid'; key: 'webexbot.badJiraKey' | 'webexbot.badOption'; params: Record<string, string> }
  | { name: 'trelloCard'; list: string; title: string }
  | { name: 'trelloCardUsage' }
  /**
   * `format [n] compact|full`, `skip-own [n] on|off`, `important [n] status,created,…` (and the
   * Dutch words): one setting of subscription n, or of the only one; `settings` undefined when the
   * value was not understood (the answer then says how).
   */
  | { name: 'configure'; setting: 'format' | 'skipOwn' | 'important'; number: number | undefined; settings: Partial<DeliverySettings> | undefined }
  | FilterCommand
  /** `digest …`, `timezone …` (webex-bot/digest-commands.ts). */
  | DigestCommand
  | { name: 'unknown'; word: string };

export interface ParsedCommand {
  /** The language the person spoke, which is also the language the space is notified in. */
  language: Language;
  command: BotCommand;
}

const verbs: Record<string, { name: 'help' | 'subscriptions' | 'unsubscribe' | 'subscribe' | 'trello' | 'format' | 'skipOwn' | 'important' | 'filter'; language: Language }> = {
  help: { name: 'help', language: 'en' },
  subscribe: { name: 'subscribe', language: 'en' },
  subscriptions: { name: 'subscriptions', language: 'en' },
  unsubscribe: { name: 'unsubscribe', language: 'en' },
  hulp: { name: 'help', language: 'nl' },
  abonneer: { name: 'subscribe', language: 'nl' },
  abonnementen: { name: 'subscriptions', language: 'nl' },
  opzeggen: { name: 'unsubscribe', language: 'nl' },
  trello: { name: 'trello', language: 'en' },
  format: { name: 'format', language: 'en' },
  formaat: { name: 'format', language: 'nl' },
  'skip-own': { name: 'skipOwn', language: 'en' },
  'eigen-overslaan': { name: 'skipOwn', language: 'nl' },
  important: { name: 'important', language: 'en' },
  belangrijk: { name: 'important', language: 'nl' },
  filter: { name: 'filter', language: 'en' },
  filteren: { name: 'filter', language: 'nl' },
};

const formatWords: Record<string, DeliverySettings['format']> = { compact: 'compact', full: 'full', kort: 'compact', volledig: 'full' };
const onOffWords: Record<string, boolean> = { on: true, off: false, aan: true, uit: false };
const importantWords: Record<string, ImportantChange> = {
  created: 'created',
  deleted: 'deleted',
  comment: 'comment',
  commented: 'comment',
  status: 'status',
  assignee: 'assignee',
  priority: 'priority',
  summary: 'summary',
  due: 'due',
  closed: 'closed',
  member: 'member',
  aangemaakt: 'created',
  verwijderd: 'deleted',
  reactie: 'comment',
  reacties: 'comment',
  toegewezen: 'assignee',
  prioriteit: 'priority',
  titel: 'summary',
  vervaldatum: 'due',
  gesloten: 'closed',
  lid: 'member',
};

const kindWords: Record<string, EventKind[]> = {
  created: ['issue.created'],
  updated: ['issue.updated'],
  deleted: ['issue.deleted'],
  commented: ['comment.created', 'comment.updated'],
  aangemaakt: ['issue.created'],
  gewijzigd: ['issue.updated'],
  verwijderd: ['issue.deleted'],
  reacties: ['comment.created', 'comment.updated'],
};

/** The first words the bot knows, in both languages (what `framework.hears` listens for). */
export const COMMAND_WORDS: readonly string[] = [...Object.keys(verbs), ...DIGEST_COMMAND_WORDS];

/**
 * Reads what follows the bot's name. In a group space Webex puts the mention's display name
 * first in the text, so the caller removes it before; the rest is case-insensitive.
 */
export function parseCommand(text: string): ParsedCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const first = (words[0] ?? 'help').toLowerCase();
  const digest = parseDigestCommand(first, words.slice(1));
  if (digest) return digest;
  const verb = verbs[first];
  // An unknown word says nothing about the language; the help that follows is in English.
  if (!verb) return { language: 'en', command: { name: 'unknown', word: words[0] ?? '' } };
  const language = verb.language;
  const rest = words.slice(1);
  switch (verb.name) {
    case 'help':
    case 'subscriptions':
      return { language, command: { name: verb.name } };
    case 'unsubscribe': {
      const n = Number(rest[0]);
      return { language, command: { name: 'unsubscribe', number: Number.isInteger(n) && n > 0 ? n : undefined } };
    }
    case 'subscribe':
      return { language, command: subscribe(rest) };
    case 'filter':
      return parseFilterCommand(text.trim().slice(words[0]!.length), language);
    case 'format':
    case 'skipOwn':
    case 'important':
      return { language, command: configure(verb.name, rest) };
    case 'trello': {
      // `trello card <list> <title>` / `trello kaart <lijst> <titel>`; a list name with spaces in quotes.
      const sub = rest[0]?.toLowerCase();
      const lang: Language = sub === 'kaart' ? 'nl' : 'en';
      const match = /^\S+\s+\S+\s+(?:"([^"]+)"|(\S+))\s+(.+)$/s.exec(text.trim());
      if ((sub !== 'card' && sub !== 'kaart') || !match) return { language: lang, command: { name: 'trelloCardUsage' } };
      return { language: lang, command: { name: 'trelloCard', list: (match[1] ?? match[2])!, title: match[3]!.trim() } };
    }
  }
}

function configure(setting: 'format' | 'skipOwn' | 'important', args: string[]): BotCommand {
  const n = Number(args[0]);
  const numbered = args.length > 1 && Number.isInteger(n) && n > 0;
  const value = (numbered ? args.slice(1) : args).join(' ').toLowerCase().trim();
  const number = numbered ? n : undefined;
  if (setting === 'format') {
    const format = formatWords[value];
    return { name: 'configure', setting, number, settings: format ? { format } : undefined };
  }
  if (setting === 'skipOwn') {
    const on = onOffWords[value];
    return { name: 'configure', setting, number, settings: on === undefined ? undefined : { skipOwn: on } };
  }
  const words = value.split(/[\s,]+/).filter(Boolean);
  const important = words.map((w) => importantWords[w]);
  if (words.length === 0 || important.some((w) => w === undefined)) return { name: 'configure', setting, number, settings: undefined };
  return { name: 'configure', setting, number, settings: { important: [...new Set(important as ImportantChange[])] } };
}

function subscribe(args: string[]): BotCommand {
  const source = args[0]?.toLowerCase();
  if (source === 'jira') {
    const key = args[1] ?? '';
    if (!/^[A-Za-z][A-Za-z0-9_]{1,9}$/.test(key)) return { name: 'invalid', key: 'webexbot.badJiraKey', params: { key } };
    const filter: SubscriptionFilter = {};
    const kinds = new Set<EventKind>();
    for (const option of args.slice(2)) {
      const [name, value] = option.split('=', 2).map((p) => p.trim());
      const lower = name!.toLowerCase();
      if (value === undefined && kindWords[lower]) kindWords[lower].forEach((k) => kinds.add(k));
      else if (value && lower === 'type') filter.issueTypes = value.split(',').map((t) => t.trim()).filter(Boolean);
      else if (value && (lower === 'priority' || lower === 'prioriteit')) {
        const priority = jiraPriorities.find((p) => p.toLowerCase() === value.toLowerCase());
        if (!priority) return { name: 'invalid', key: 'webexbot.badOption', params: { option } };
        filter.minPriority = priority;
      } else return { name: 'invalid', key: 'webexbot.badOption', params: { option } };
    }
    if (kinds.size > 0) filter.kinds = [...kinds];
    return { name: 'subscribe', source: 'jira', key: key.toUpperCase(), filter };
  }
  if (source === 'trello' && args[1]) {
    const lists = args.slice(2).join(' ').split(',').map((l) => l.trim()).filter(Boolean);
    return { name: 'subscribe', source: 'trello', board: args[1], filter: lists.length > 0 ? { lists } : {} };
  }
  if (source === 'onedrive' && args[1]) {
    // A path may contain spaces; quotes around it are optional.
    const folder = args.slice(1).join(' ').replace(/^["'](.*)["']$/s, '$1').trim();
    if (folder) return { name: 'subscribe', source: 'onedrive', folder, filter: {} };
  }
  return { name: 'subscribe', source: undefined };
}
