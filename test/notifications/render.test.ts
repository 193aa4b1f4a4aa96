import { ADAPTIVE_CARD_CONTENT_TYPE, escapeMarkdown, parseJiraWebhook, renderNotification, type SourceEvent } from '../../core';
import { jiraCommentCreated, jiraIssueCreated, jiraIssueDeleted, jiraIssueUpdated } from '../fixtures/jira-webhooks';

function eventOf(body: unknown): SourceEvent {
  const result = parseJiraWebhook(body, 'd-1');
  if (result.outcome !== 'event') throw new Error('expected an event');
  return result.event;
}

describe('rendering notifications for a Webex space', () => {
  it('says who changed what, from and to, in English', () => {
    const r = renderNotification(eventOf(jiraIssueUpdated), 'en-GB');
    expect(r.markdown).toContain('**Pieter Visser** updated [KAN-22](https://kpn-een-demo.atlassian.net/browse/KAN-22)');
    expect(r.markdown).toContain('- Status: To Do → In Progress');
    expect(r.markdown).toContain('- Assignee: none → Pieter Visser');
    expect(r.text).toContain('Priority: High -> Highest');
  });

  it('speaks Dutch to a Dutch space', () => {
    const r = renderNotification(eventOf(jiraIssueUpdated), 'nl-NL');
    expect(r.markdown).toContain('heeft [KAN-22]');
    expect(r.markdown).toContain('gewijzigd');
    expect(r.markdown).toContain('- Toegewezen aan: geen → Pieter Visser');
    expect(r.card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Openen in Jira', url: 'https://kpn-een-demo.atlassian.net/browse/KAN-22' }]);
  });

  it('has a headline for every kind', () => {
    expect(renderNotification(eventOf(jiraIssueCreated), 'en').text).toMatch(/^Anouk de Jong created KAN-22: /);
    expect(renderNotification(eventOf(jiraIssueDeleted), 'en').text).toMatch(/^Anouk de Jong deleted KAN-22/);
    expect(renderNotification(eventOf(jiraCommentCreated), 'nl').text).toMatch(/^Pieter Visser reageerde op KAN-22/);
  });

  it('renders the Jira markup of a comment and escapes everything else people typed', () => {
    const r = renderNotification(eventOf(jiraCommentCreated), 'en');
    expect(r.markdown).not.toMatch(/(^|[^\\])<@personEmail/);
    expect(r.markdown).toContain('\\<@personEmail:ceo@kpn.com\\>');
    // Jira's *strong* and [text|url] are Jira's formatting, shown as such (test/notifications/jira-markup.test.ts).
    expect(r.markdown).toContain('**0031 6 1234 5678**');
    expect(r.markdown).toContain('[log](https://evil.example/x)');
    expect(r.markdown.split('\n').at(-1)).toMatch(/^> /);
  });

  it('builds an adaptive card with a marker id, facts and an open button', () => {
    const r = renderNotification(eventOf(jiraIssueUpdated), 'en', '42');
    expect(r.card).toMatchObject({ type: 'AdaptiveCard', version: '1.3' });
    expect(r.card.body[0]).toMatchObject({ type: 'TextBlock', id: 'een-delivery-42' });
    expect(r.card.body).toContainEqual({ type: 'FactSet', facts: expect.arrayContaining([{ title: 'Status', value: 'To Do → In Progress' }]) });
    expect(ADAPTIVE_CARD_CONTENT_TYPE).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('keeps a long comment under the Webex message limit of 7439 bytes', () => {
    const long = { ...jiraCommentCreated, comment: { ...jiraCommentCreated.comment, body: '*'.repeat(20_000) } };
    const r = renderNotification(eventOf(long), 'en');
    expect(Buffer.byteLength(r.markdown)).toBeLessThan(7439);
    expect(Buffer.byteLength(r.text)).toBeLessThan(7439);
  });

  it('escapes list markers at the start of a line', () => {
    expect(escapeMarkdown('- a\n1. b\n# c')).toBe('\\- a\n1\\. b\n\\# c');
  });
});
