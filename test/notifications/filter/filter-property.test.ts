import fc from 'fast-check';
import { eventKinds, sourceNames, type SourceEvent } from '../../../core/notifications/source-event';
import { evaluateFilter, FilterError, filterMatches, formatFilter, parseFilter, parseJql, type FilterNode } from '../../../core/notifications/filter';
import { canonicalFilter } from '../../../core/notifications/filter/subscription-filter';

/** Pieces filters are made of, so random strings often get deep into the parsers. */
const piece = fc.constantFrom(
  'created', 'aangemaakt', 'and', 'en', 'or', 'of', 'not', 'niet', 'AND', 'OR', 'NOT', '(', ')', ',', '=', '!=', '->', '>=', '<', '~', '"', "'", '\\',
  'label', 'labels', 'status', 'list', 'lijst', 'name', 'naam', 'priority', 'prioriteit', 'assignee', 'toegewezen', 'me', 'ik', 'none', 'project', 'type',
  'in', 'is', 'EMPTY', 'changed', 'to', 'from', 'ORDER', 'BY', 'currentUser()', 'currentUser', 'High', 'Done', '"In review"', '*.docx', '?', '*', ' ', '\u0000', 'é', '𝒳',
);
const filterText = fc.oneof(fc.string({ maxLength: 80 }), fc.array(piece, { maxLength: 30 }).map((p) => p.join(' ')), fc.array(piece, { maxLength: 30 }).map((p) => p.join('')));

const text = fc.oneof(fc.constant('Done'), fc.constant('klant'), fc.string({ maxLength: 12 }));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
const event: fc.Arbitrary<SourceEvent> = fc.record({
  source: fc.constantFrom(...sourceNames),
  deliveryKey: fc.string(),
  sourceKey: fc.oneof(fc.constant('KAN'), fc.string({ maxLength: 8 })),
  kind: fc.constantFrom(...eventKinds),
  occurredAt: fc.constant('2026-12-01T10:00:00.000Z'),
  actor: maybe(text),
  subject: fc.record(
    {
      key: text,
      title: text,
      url: maybe(text),
      type: maybe(text),
      priority: maybe(fc.oneof(fc.constantFrom('Low', 'High', 'Highest'), text)),
      status: maybe(text),
      assignee: maybe(text),
      assigneeEmail: maybe(text),
      labels: fc.array(text, { maxLength: 3 }),
      components: fc.array(text, { maxLength: 3 }),
      fileName: text,
    },
    { requiredKeys: ['key', 'title', 'url', 'type', 'priority', 'status', 'assignee'] },
  ),
  changes: fc.array(fc.record({ field: fc.constantFrom('status', 'assignee', 'priority', 'summary', 'list', 'due', 'closed', 'member', 'label' as const), from: maybe(text), to: maybe(text) }), { maxLength: 3 }),
  comment: maybe(text),
});

function readOrTyped(read: () => FilterNode): FilterNode | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof FilterError) return undefined;
    throw err;
  }
}

describe('filters never throw anything but FilterError', () => {
  it('parsing and evaluating random strings over random events', () => {
    fc.assert(
      fc.property(filterText, event, fc.boolean(), maybe(fc.string({ maxLength: 10 })), (input, e, jql, subscriber) => {
        const node = readOrTyped(() => (jql ? parseJql(input) : parseFilter(input)));
        if (!node) return;
        expect(typeof evaluateFilter(node, e, { subscriber })).toBe('boolean');
        // What is accepted prints a canonical form that reads back as the same filter, in both languages.
        expect(parseFilter(formatFilter(node, 'en'))).toEqual(node);
        expect(parseFilter(formatFilter(node, 'nl'))).toEqual(node);
        expect(canonicalFilter(formatFilter(node, 'nl'))).toBe(formatFilter(node, 'en'));
      }),
      { numRuns: 3000 },
    );
  });

  it('a stored expression that does not read lets events through instead of throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), event, (expression, e) => {
        expect(typeof filterMatches({ expression, subscriber: null }, e)).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('hostile shapes stay cheap: long wildcard patterns and deep brackets', () => {
    const started = Date.now();
    const node = parseFilter(`name="${'*a'.repeat(300)}b"`);
    const e = { source: 'graph', kind: 'issue.created', subject: { fileName: 'a'.repeat(5000) }, changes: [] } as unknown as SourceEvent;
    expect(evaluateFilter(node, e, { subscriber: null })).toBe(false);
    expect(() => parseFilter('('.repeat(5000))).toThrow(FilterError);
    expect(() => parseJql('not '.repeat(200) + 'project = KAN')).toThrow(FilterError);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
