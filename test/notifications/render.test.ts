import { ADAPTIVE_CARD_CONTENT_TYPE, WEBEX_MESSAGE_MAX_BYTES, escapeMarkdown, parseJiraWebhook, renderDigest, renderNotification, type SourceEvent } from '../../core/internal';
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
    expect(r.card.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Openen in Jira', url: 'https://kpn-een-demo.atlassian.net/browse/KAN-22' },
      // Issue 15: the issue can be moved from the space; the press finds the issue by this message.
      { type: 'Action.Submit', title: 'Status wijzigen', data: { action: 'jiraTransitions', lang: 'nl' } },
    ]);
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

describe('rendering a digest of a burst', () => {
  const burst = [eventOf(jiraIssueUpdated), eventOf(jiraCommentCreated), eventOf(jiraIssueCreated)];

  it.each([
    ['en-GB', '**3 changes, oldest first**', '- **Pieter Visser** updated [KAN-22](https://kpn-een-demo.atlassian.net/browse/KAN-22)', ' — Status: To Do → In Progress; Assignee: none → Pieter Visser; Priority: High → Highest', '- **Pieter Visser** commented on [KAN-22]', '— “'],
    ['nl-NL', '**3 wijzigingen, oudste eerst**', '- **Pieter Visser** heeft [KAN-22](https://kpn-een-demo.atlassian.net/browse/KAN-22) gewijzigd', ' — Status: To Do → In Progress; Toegewezen aan: geen → Pieter Visser; Prioriteit: High → Highest', '- **Pieter Visser** reageerde op [KAN-22]', '— ‘'],
  ])('reads as one list in %s: who, what, which item, and what changed or was said', (locale, heading, line, changes, comment, quote) => {
    const r = renderDigest(burst, locale, '1-2-3');
    const lines = r.markdown.split('\n');
    expect(lines[0]).toBe(heading);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(line);
    expect(lines[1]).toContain(changes);
    expect(lines[2]).toContain(comment);
    expect(lines[2]).toContain(quote);
    // The comment's own markup stays escaped inside the line.
    expect(lines[2]).toContain('\\<@personEmail:ceo@kpn.com\\>');
    expect(r.text.split('\n')[0]).toBe(heading.replace(/\*\*/g, ''));
    expect(r.card.body[0]).toMatchObject({ id: 'een-delivery-1-2-3', text: heading.replace(/\*\*/g, '') });
    expect(r.card.body).toHaveLength(4);
  });

  it('says less rather than pass Webex\'s 7439 bytes when ten changes carry long titles and links', () => {
    const long = burst[0]!;
    const heavy = Array.from({ length: 10 }, (_, i) => ({
      ...long,
      subject: { ...long.subject, key: `KAN-${i}`, title: '€'.repeat(200), url: `https://kpn-een-demo.atlassian.net/browse/KAN-${i}?${'x'.repeat(400)}` },
      comment: '€'.repeat(500),
    }));
    const r = renderDigest(heavy, 'nl-NL');
    expect(Buffer.byteLength(r.markdown)).toBeLessThanOrEqual(WEBEX_MESSAGE_MAX_BYTES);
    expect(Buffer.byteLength(r.text)).toBeLessThanOrEqual(WEBEX_MESSAGE_MAX_BYTES);
    expect(r.markdown.split('\n')).toHaveLength(11);
    for (let i = 0; i < 10; i++) expect(r.markdown).toContain(`KAN-${i}`);
  });
});
