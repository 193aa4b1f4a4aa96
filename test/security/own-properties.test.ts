import { hasOwn, own, ownData, parseJiraWebhook, parseTrelloWebhook, parseGraphNotifications } from '../../core/internal';
import { cardActionOf } from '../../webex-bot/cards';
import { jiraIssueUpdated } from '../fixtures/jira-webhooks';
import { trelloCardRenamed } from '../fixtures/trello-webhooks';
import { graphChangeNotification } from '../fixtures/graph-notifications';

/**
 * Payloads are read by their own keys only. A changelog item without `toString` is a valid Jira
 * webhook (https://developer.atlassian.com/cloud/jira/platform/webhooks/ lists `toString` among
 * the item's fields but senders leave absent values out), yet `item.toString` is
 * Object.prototype.toString, a function, so the schema refused it with 400.
 */
describe('untrusted payloads are read by their own keys', () => {
  const withItems = (items: unknown[]) => ({ ...jiraIssueUpdated, changelog: { id: '10360', items } });

  it('accepts a Jira changelog item that has no toString (and no fromString)', () => {
    const result = parseJiraWebhook(withItems([{ field: 'assignee', fieldtype: 'jira', fieldId: 'assignee', from: 'x', fromString: 'Pieter Visser', to: null }]), 'd-1');
    expect(result).toMatchObject({ outcome: 'event', event: { changes: [{ field: 'assignee', from: 'Pieter Visser', to: null }] } });
    const noStrings = parseJiraWebhook(withItems([{ field: 'status', fieldtype: 'jira', fieldId: 'status' }]), 'd-2');
    expect(noStrings).toMatchObject({ outcome: 'event', event: { changes: [{ field: 'status', from: null, to: null }] } });
  });

  it('keeps __proto__ and constructor keys as plain data and pollutes nothing', () => {
    const raw = JSON.stringify(withItems([{ field: 'status', fieldId: 'status', fromString: 'To Do', toString: 'Done', constructor: 'x' }]))
      .replace(/^\{/, '{"__proto__":{"polluted":"yes","webhookEvent":"comment_created"},"constructor":{"prototype":{"polluted":"yes"}},');
    const result = parseJiraWebhook(JSON.parse(raw), 'd-3');
    expect(result).toMatchObject({ outcome: 'event', event: { kind: 'issue.updated', changes: [{ field: 'status', from: 'To Do', to: 'Done' }] } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const data = ownData(JSON.parse('{"__proto__":{"a":1},"constructor":"c"}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(data)).toBeNull();
    expect(Object.keys(data)).toEqual(['__proto__', 'constructor']);
    expect(data.a).toBeUndefined();
    expect(own(data, 'constructor')).toBe('c');
  });

  it('copies __proto__, constructor and prototype keys at every depth as own, plain data properties', () => {
    const parsed = JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"a":[{"__proto__":null,"toString":"t"}],"b":{"__proto__":[1]}}') as unknown;
    const data = ownData(parsed) as Record<string, Record<string, unknown>>;
    for (const key of ['__proto__', 'constructor', 'a', 'b']) {
      expect(Object.getOwnPropertyDescriptor(data, key)).toMatchObject({ enumerable: true, writable: true, configurable: true });
      expect(Object.getOwnPropertyDescriptor(data, key)).not.toHaveProperty('set');
    }
    expect(Object.getPrototypeOf(data)).toBeNull();
    expect(Object.getPrototypeOf(data['__proto__'])).toBeNull();
    expect(data['__proto__']).toEqual(Object.assign(Object.create(null) as object, { polluted: 'yes' }));
    expect(data.polluted).toBeUndefined();
    const item = (data.a as unknown as Record<string, unknown>[])[0]!;
    expect(Object.keys(item)).toEqual(['__proto__', 'toString']);
    expect(own(item, '__proto__')).toBeNull();
    expect(own(item, 'toString')).toBe('t');
    expect(own(data.b, '__proto__')).toEqual([1]);
    expect(Object.getPrototypeOf(data.b)).toBeNull();
    // Nothing reached Object.prototype or a fresh object.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('cuts nesting deeper than 64 levels to null', () => {
    const nested = (levels: number): unknown => JSON.parse('{"a":'.repeat(levels) + '1' + '}'.repeat(levels));
    const depthOf = (value: unknown): number => {
      let depth = 0;
      let at = value;
      while (at !== null && typeof at === 'object') {
        at = (at as Record<string, unknown>).a;
        depth += 1;
      }
      return depth;
    };
    expect(depthOf(ownData(nested(64)))).toBe(64);
    const cut = ownData(nested(65));
    expect(depthOf(cut)).toBe(64);
    let last = cut as Record<string, unknown>;
    for (let i = 1; i < 64; i++) last = last.a as Record<string, unknown>;
    expect(last.a).toBeNull();
  });

  it('ignores values a payload only inherits', () => {
    const fields = Object.assign(Object.create({ summary: 'inherited, not sent' }) as object, { ...jiraIssueUpdated.issue.fields, summary: undefined });
    const result = parseJiraWebhook({ ...jiraIssueUpdated, issue: { ...jiraIssueUpdated.issue, fields } }, 'd-4');
    expect(result).toMatchObject({ outcome: 'event', event: { subject: { title: '' } } });
    expect(cardActionOf(Object.create({ action: 'subscriptions' }))).toBeUndefined();
    expect(cardActionOf({ action: 'subscriptions', lang: 'nl' })).toEqual({ action: 'subscriptions', lang: 'nl' });
    expect(hasOwn({}, 'toString')).toBe(false);
    expect(own({}, 'toString')).toBeUndefined();
  });

  it('reads Trello data.old and Graph notifications by own keys too', () => {
    const body = JSON.parse(JSON.stringify(trelloCardRenamed).replace('"old":{', '"old":{"constructor":"x","toString":"y",')) as unknown;
    expect(parseTrelloWebhook(body)).toMatchObject({ outcome: 'event', event: { changes: [{ field: 'summary' }] } });
    const graph = JSON.stringify(graphChangeNotification).replace('{"subscriptionId"', '{"__proto__":{"lifecycleEvent":"missed"},"toString":"x","subscriptionId"');
    const parsed = parseGraphNotifications(Buffer.from(graph));
    expect(parsed).toMatchObject({ outcome: 'notifications' });
    if (parsed.outcome === 'notifications') expect(parsed.notifications[0]!.lifecycleEvent).toBeUndefined();
  });
});
