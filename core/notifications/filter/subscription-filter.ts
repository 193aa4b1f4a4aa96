import type { Language } from '../../i18n';
import type { SourceEvent } from '../source-event';
import type { FilterNode } from './ast';
import { evaluateFilter } from './evaluate';
import { FilterError } from './filter-error';
import { formatFilter } from './format';
import { parseJql } from './jql';
import { parseFilter } from './parser';

/** How a filter was written: in the filter language (English or Dutch words), or as JQL. */
export type FilterSyntax = 'filter' | 'jql';

/** A subscription's filter as stored: its canonical English text and whose `me` it means. */
export interface StoredFilter {
  expression: string | null;
  subscriber: string | null;
}

/** Reads a filter or JQL query; throws FilterError (message key, part, position) when it cannot be used. */
export function readFilter(text: string, syntax: FilterSyntax = 'filter'): FilterNode {
  return syntax === 'jql' ? parseJql(text) : parseFilter(text);
}

/** The canonical English text to store for what a person wrote; throws FilterError. */
export function canonicalFilter(text: string, syntax: FilterSyntax = 'filter'): string {
  return formatFilter(readFilter(text, syntax), 'en');
}

/** A stored filter shown back in the reader's language. */
export function showFilter(expression: string, language: Language): string {
  const node = compiled(expression);
  return node ? formatFilter(node, language) : expression;
}

// Routing evaluates the same few stored filters for every event: read each once.
const cache = new Map<string, FilterNode | null>();
const CACHE_LIMIT = 500;

function compiled(expression: string): FilterNode | null {
  let node = cache.get(expression);
  if (node === undefined) {
    try {
      node = parseFilter(expression);
    } catch (err) {
      if (!(err instanceof FilterError)) throw err;
      node = null;
    }
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(expression, node);
  }
  return node;
}

/**
 * Whether a subscription's filter lets the event through: the one call routing makes
 * (SubscriptionRepository.route). No filter lets everything through. A stored filter that no
 * longer reads (only canonical text we wrote is stored, so this is a grammar change) lets
 * everything through too: a space hearing too much notices, one hearing nothing does not.
 */
export function filterMatches(filter: StoredFilter, event: SourceEvent): boolean {
  if (filter.expression === null) return true;
  const node = compiled(filter.expression);
  return node === null || evaluateFilter(node, event, { subscriber: filter.subscriber?.toLowerCase() ?? null });
}
