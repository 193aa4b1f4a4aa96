import { renderScheduledDigest } from '../../core/internal';
import type { SourceEvent } from '../../core/notifications/source-event';

/** One change to a Jira issue, as the Jira webhook normaliser makes it. */
function change(key: string, n: number): SourceEvent {
  return {
    source: 'jira',
    deliveryKey: `${key}-${n}`,
    sourceKey: 'KAN',
    kind: 'issue.updated',
    occurredAt: `2026-12-01T08:0${n}:00.000Z`,
    actor: 'Anna de Vries',
    subject: { key, title: `Issue ${key}`, url: null, type: 'Task', priority: 'Medium', status: 'Done', assignee: null },
    changes: [{ field: 'status', from: 'To Do', to: 'Done' }],
    comment: null,
  };
}

/**
 * The heading counts in words a person would write: "1 change to 1 item", not "1 changes to 1
 * items" (seen in a digest of one change, stop 19), in English and Dutch.
 */
describe('the heading of a scheduled digest', () => {
  it.each([
    ['en', 'one change', [change('KAN-1', 1)], 'Digest: 1 change to 1 item'],
    ['en', 'two changes to one item', [change('KAN-1', 1), change('KAN-1', 2)], 'Digest: 2 changes to 1 item'],
    ['en', 'three changes to two items', [change('KAN-1', 1), change('KAN-2', 2), change('KAN-2', 3)], 'Digest: 3 changes to 2 items'],
    ['nl', 'one change', [change('KAN-1', 1)], 'Overzicht: 1 wijziging aan 1 item'],
    ['nl', 'two changes to one item', [change('KAN-1', 1), change('KAN-1', 2)], 'Overzicht: 2 wijzigingen aan 1 item'],
    ['nl', 'three changes to two items', [change('KAN-1', 1), change('KAN-2', 2), change('KAN-2', 3)], 'Overzicht: 3 wijzigingen aan 2 items'],
  ])('in %s: %s', (locale, _shown, events, heading) => {
    const rendered = renderScheduledDigest(events, locale);
    expect(rendered.markdown.split('\n')[0]).toBe(`**${heading}**`);
    expect(rendered.text.split('\n')[0]).toBe(heading);
  });
});
