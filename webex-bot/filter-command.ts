import { showFilter, soundsDutch, tokenize, translate, type Language, type Subscription } from '../core';

/**
 * `filter [n] <expression>`, `filter [n] jql <JQL>`, `filter [n] off` (Dutch: `filter [n] uit`, and
 * `filteren` as the verb): the filter of subscription n, or of the only one (as `format` and
 * `important`). The language is that of the words: `filter toegewezen=ik en …` is Dutch. Carried
 * out by webex-bot/listeners/filter.ts.
 */
export type FilterCommand = { name: 'filter'; number: number | undefined; syntax: 'filter' | 'jql' | 'off' | undefined; text: string };

export function parseFilterCommand(rest: string, verbLanguage: Language): { language: Language; command: FilterCommand } {
  const match = /^(\d+)\s+([\s\S]*)$/.exec(rest.trim());
  const number = match ? Number(match[1]) : undefined;
  const body = (match ? match[2]! : rest).trim();
  const [first = '', ...others] = body.split(/\s+/);
  const head = first.toLowerCase();
  const language: Language = verbLanguage === 'nl' || soundsDutch(wordsOf(body)) ? 'nl' : 'en';
  // `filter` alone, or `filter 2` without what to filter on: the answer says how.
  if (body === '' || /^\d+$/.test(body)) return { language, command: { name: 'filter', number, syntax: undefined, text: '' } };
  if ((head === 'off' || head === 'uit') && others.length === 0) return { language: head === 'uit' ? 'nl' : language, command: { name: 'filter', number, syntax: 'off', text: '' } };
  if (head === 'jql') return { language, command: { name: 'filter', number, syntax: 'jql', text: body.slice(first.length).trim() } };
  return { language, command: { name: 'filter', number, syntax: 'filter', text: body } };
}

/** The bare words (not quoted values), to tell the language by; what does not tokenize is split on spaces. */
function wordsOf(text: string): string[] {
  try {
    return tokenize(text).filter((t) => t.kind === 'word').map((t) => t.text);
  } catch {
    return text.split(/\s+/);
  }
}

/** " — filter: label=klant and status->Done" in the reader's language, or nothing. */
export function filterSuffix(s: Subscription, language: Language, markdown = true): string {
  if (!s.filterExpression) return '';
  const shown = showFilter(s.filterExpression, language);
  // In a code span nothing needs escaping but a backtick (filters hold `->`, `*`, `_`).
  return ` — ${translate(language, 'webexbot.filterShown', { filter: markdown ? `\`${shown.replace(/`/g, "'")}\`` : shown })}`;
}
