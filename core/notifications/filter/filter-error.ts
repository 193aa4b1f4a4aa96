import { UserError } from '../../errors';
import type { MessageKey } from '../../i18n/catalogue';

/** The message keys a filter can be refused with (core/i18n/en.ts, nl.ts: `filter.*`). */
export type FilterErrorKey = Extract<MessageKey, `filter.${string}`>;

/**
 * A filter or JQL query that cannot be used, said in the person's language: the key says what is
 * wrong, `part` the words at fault and `position` where they start (1 = the first character).
 * The only error parsing or evaluating a filter throws (test/notifications/filter-property.test.ts).
 */
export class FilterError extends UserError {
  constructor(
    readonly filterKey: FilterErrorKey,
    readonly part: string,
    readonly position: number,
  ) {
    super(filterKey, { part: part.length > 60 ? `${part.slice(0, 60)}…` : part, position });
    this.name = 'FilterError';
    this.message = `${filterKey} at ${position}: ${part}`;
  }
}
