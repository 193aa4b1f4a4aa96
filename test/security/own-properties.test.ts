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
