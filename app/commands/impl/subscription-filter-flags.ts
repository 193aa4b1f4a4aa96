import { translate } from '../../../core/i18n';
import { FilterError, formatFilter, mentionsMe, readFilter } from '../../../core/notifications/filter';
import type { Subscription } from '../../../core/notifications/subscriptions';
import { UsageError, type CommandContext } from '../command';

/** What `--filter <expression>` / `--jql <JQL>` / `--filter off` asks for; undefined when neither flag is given. */
export interface FilterFlags {
  /** Canonical English text, or null to remove the filter. */
  expression: string | null;
  /** Whom `assignee=me` means (`--subscriber`), lower-case. */
  subscriber: string | null;
}

/**
 * Reads the filter flags of `subscriptions add` and `set`, the same language the bot's `filter`
 * takes. A `--filter` that starts with `{` is the older JSON filter and is left to the caller.
 * Refuses (UsageError, exit 2) what does not read, naming the part and where it starts.
 */
export function filterFlags(ctx: CommandContext): FilterFlags | undefined {
  const { filter, jql, subscriber } = ctx.flags;
  const expression = typeof filter === 'string' && !filter.trim().startsWith('{') ? filter : undefined;
  if (expression !== undefined && typeof jql === 'string') throw new UsageError('give --filter or --jql, not both');
  const who = typeof subscriber === 'string' ? subscriber.trim().toLowerCase() : null;
  if (who !== null && !/^[^\s@]+@[^\s@]+$/.test(who)) throw new UsageError(`--subscriber must be an e-mail address, not "${subscriber}"`);
  if (expression === undefined && typeof jql !== 'string') return undefined;
  if (expression !== undefined && ['off', 'uit'].includes(expression.trim().toLowerCase())) return { expression: null, subscriber: null };
  const [flag, text, syntax] = expression !== undefined ? (['--filter', expression, 'filter'] as const) : (['--jql', String(jql), 'jql'] as const);
  try {
    const node = readFilter(text, syntax);
    if (mentionsMe(node) && who === null) throw new UsageError(`${flag}: assignee=me (currentUser()) needs --subscriber <e-mail>, the person it means`);
    return { expression: formatFilter(node, 'en'), subscriber: who };
  } catch (err) {
    if (err instanceof FilterError) throw new UsageError(`${flag}: ${translate('en', err.key, err.params)}`);
    throw err;
  }
}

/** A subscription's filter as `subscriptions` shows it: the JSON filter (when set or alone) and the expression. */
export function filterShown(s: Pick<Subscription, 'filter' | 'filterExpression'>): string {
  const json = JSON.stringify(s.filter);
  if (!s.filterExpression) return json;
  return json === '{}' ? s.filterExpression : `${json} and ${s.filterExpression}`;
}
