import type { Language } from '../../i18n';
import type { EventWord, FilterField } from './ast';

/**
 * The words of the filter language in English and Dutch. Either language's words may be used in
 * one filter; the canonical form (format.ts) is printed in one. Case-insensitive.
 */
export const fieldWords: Record<Language, Record<FilterField, string>> = {
  en: { event: 'event', type: 'type', priority: 'priority', label: 'label', component: 'component', assignee: 'assignee', status: 'status', list: 'list', name: 'name', project: 'project' },
  nl: { event: 'gebeurtenis', type: 'soort', priority: 'prioriteit', label: 'label', component: 'onderdeel', assignee: 'toegewezen', status: 'status', list: 'lijst', name: 'naam', project: 'project' },
};

/** Other spellings people use (Jira's plurals and `issuetype`, a Dutch `type`). */
const fieldAliases: Record<string, FilterField> = {
  labels: 'label',
  components: 'component',
  issuetype: 'type',
  kind: 'event',
  assigned: 'assignee',
  onderdelen: 'component',
  toegewezenaan: 'assignee',
  lijsten: 'list',
};

export const eventWordsIn: Record<Language, Record<EventWord, string>> = {
  en: { created: 'created', updated: 'updated', deleted: 'deleted', commented: 'commented' },
  nl: { created: 'aangemaakt', updated: 'gewijzigd', deleted: 'verwijderd', commented: 'gereageerd' },
};

/** The same words the bot's `subscribe jira KAN created …` options take, and their Dutch. */
const eventAliases: Record<string, EventWord> = { comment: 'commented', comments: 'commented', reactie: 'commented', reacties: 'commented', changed: 'updated' };

export const logicWords: Record<Language, { and: string; or: string; not: string; me: string; none: string; off: string }> = {
  en: { and: 'and', or: 'or', not: 'not', me: 'me', none: 'none', off: 'off' },
  nl: { and: 'en', or: 'of', not: 'niet', me: 'ik', none: 'geen', off: 'uit' },
};

function lookUp<V extends string>(tables: Record<Language, Record<V, string>>, aliases: Record<string, V>, word: string): V | undefined {
  const w = word.toLowerCase();
  for (const table of Object.values(tables)) {
    for (const [value, spelt] of Object.entries(table) as [V, string][]) if (spelt === w) return value;
  }
  return Object.hasOwn(aliases, w) ? aliases[w] : undefined;
}

export const fieldOf = (word: string): FilterField | undefined => lookUp(fieldWords, fieldAliases, word);
export const eventOf = (word: string): EventWord | undefined => lookUp(eventWordsIn, eventAliases, word);

export type LogicWord = 'and' | 'or' | 'not';
export function logicOf(word: string): LogicWord | undefined {
  const w = word.toLowerCase();
  for (const table of Object.values(logicWords)) {
    if (table.and === w) return 'and';
    if (table.or === w) return 'or';
    if (table.not === w) return 'not';
  }
  return undefined;
}

export const isMe = (word: string): boolean => Object.values(logicWords).some((t) => t.me === word.toLowerCase());
export const isNone = (word: string): boolean => Object.values(logicWords).some((t) => t.none === word.toLowerCase());

/** Words only Dutch uses: a filter with any of them was written in Dutch (the bot answers in it). */
const dutchOnly = new Set(
  [...Object.values(fieldWords.nl), ...Object.values(eventWordsIn.nl), ...Object.values(logicWords.nl), 'reactie', 'reacties', 'onderdelen', 'lijsten', 'toegewezenaan'].filter(
    (w) => !Object.values(fieldWords.en).includes(w),
  ),
);
export function soundsDutch(words: readonly string[]): boolean {
  return words.some((w) => dutchOnly.has(w.toLowerCase()));
}

/** Words that must be quoted to be read as a value. */
export const reservedWords = new Set(
  (['en', 'nl'] as const).flatMap((l) => [...Object.values(logicWords[l]), ...Object.values(eventWordsIn[l])]).concat(Object.keys(eventAliases)),
);
