import { canonicalFilter, escapeMarkdown, FilterError, showFilter, soundsDutch, tokenize, translate, type Language, type Subscription } from '../core';

/**
 * `filter [n] <expression>`, `filter [n] jql <JQL>`, `filter [n] off` (Dutch: `filter [n] uit`, and
 * `filteren` as the verb): the filter of subscription n, or of the only one (as `format` and
 * `important`). The language is that of the words: `filter toegewezen=ik en …` is Dutch.
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

export interface FilterCommandContext {
  /** The space's subscriptions as the Subscriptions façade shows them, and where a filter is set. */
  subscriptions: {
    forSpace(roomId: string): Promise<Subscription[]>;
    setFilterExpression(roomId: string, id: number, expression: string | null, subscriber: string | null): Promise<boolean>;
  };
  roomId: string;
  /** Whom `assignee=me` will mean. */
  personEmail: string;
  language: Language;
  mayChange: () => Promise<boolean>;
  /** How the bot names a subscription ("Jira KAN"). */
  describe: (s: Subscription) => string;
}

/** Runs a `filter` command; the answer is markdown in the person's language. */
export async function runFilterCommand(command: FilterCommand, ctx: FilterCommandContext): Promise<string> {
  const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(ctx.language, key, params);
  if (command.syntax === undefined || (command.syntax === 'jql' && command.text === '')) return t('webexbot.filterUsage');
  // Checked before anything changes, so a bad filter leaves the subscription as it was.
  let expression: string | null = null;
  if (command.syntax !== 'off') {
    try {
      expression = canonicalFilter(command.text, command.syntax);
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      return t('webexbot.filterRefused', { reason: translate(ctx.language, err.key, { ...err.params, part: escapeMarkdown(String(err.params.part)) }) });
    }
  }
  if (!(await ctx.mayChange())) return t('webexbot.moderatorsOnly');
  const list = await ctx.subscriptions.forSpace(ctx.roomId);
  if (list.length === 0) return t('webexbot.none');
  if (command.number === undefined && list.length > 1) return t('webexbot.whichSubscription');
  const target = list[(command.number ?? 1) - 1];
  if (!target) return t('webexbot.noSuchNumber', { n: command.number ?? 1 });
  await ctx.subscriptions.setFilterExpression(ctx.roomId, target.id, expression, ctx.personEmail.toLowerCase());
  const item = ctx.describe({ ...target, filterExpression: null });
  if (expression === null) return t('webexbot.filterOff', { item });
  return t('webexbot.filterSet', { item, filter: showFilter(expression, ctx.language).replace(/`/g, "'") });
}

/** " — filter: label=klant and status->Done" in the reader's language, or nothing. */
export function filterSuffix(s: Subscription, language: Language, markdown = true): string {
  if (!s.filterExpression) return '';
  const shown = showFilter(s.filterExpression, language);
  // In a code span nothing needs escaping but a backtick (filters hold `->`, `*`, `_`).
  return ` — ${translate(language, 'webexbot.filterShown', { filter: markdown ? `\`${shown.replace(/`/g, "'")}\`` : shown })}`;
}
