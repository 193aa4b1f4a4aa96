import { deltaItem, deltaItemToEvent } from '../../../core/notifications/sources/graph';
import { parseJiraWebhook } from '../../../core/notifications/sources/jira';
import { parseTrelloWebhook } from '../../../core/notifications/sources/trello';
import type { SourceEvent } from '../../../core/notifications/source-event';
import { evaluateFilter, filterMatches, readFilter, type FilterSyntax } from '../../../core/notifications/filter';
import { graphDeltaPage, graphDriveId } from '../../fixtures/graph-notifications';
import { jiraCommentCreated, jiraIssueCreated, jiraIssueLabelled, jiraIssueUpdated } from '../../fixtures/jira-webhooks';
import { trelloAddLabelToCard, trelloCardMoved, trelloCreateCard, trelloCommentCard } from '../../fixtures/trello-webhooks';

function jira(body: unknown): SourceEvent {
  const parsed = parseJiraWebhook(body, 'k');
  if (parsed.outcome !== 'event') throw new Error(JSON.stringify(parsed));
  return parsed.event;
}
function trello(body: unknown): SourceEvent {
  const parsed = parseTrelloWebhook(body);
  if (parsed.outcome !== 'event') throw new Error(JSON.stringify(parsed));
  return parsed.event;
}
function graph(i: number): SourceEvent {
  return deltaItemToEvent(graphDriveId, deltaItem.parse(graphDeltaPage.value[i]), '2026-11-27T09:20:00.000Z')!;
}

const events = {
  jiraCreated: jira(jiraIssueCreated),
  jiraUpdated: jira(jiraIssueUpdated),
  jiraLabelled: jira(jiraIssueLabelled),
  jiraComment: jira(jiraCommentCreated),
  trelloCreated: trello(trelloCreateCard),
  trelloMoved: trello(trelloCardMoved),
  trelloComment: trello(trelloCommentCard),
  trelloLabel: trello(trelloAddLabelToCard),
  docx: graph(0),
  xlsx: graph(1),
};
type Name = keyof typeof events;
const all = Object.keys(events) as Name[];

const subscriber = { subscriber: 'pieter.visser@kpn.example' };

/** Each filter and exactly the fixture events it lets through. */
const cases: [FilterSyntax, string, Name[]][] = [
  ['filter', 'created', ['jiraCreated', 'trelloCreated', 'docx']],
  ['filter', 'commented', ['jiraComment', 'trelloComment']],
  ['filter', 'updated and not commented', ['jiraUpdated', 'jiraLabelled', 'trelloMoved', 'trelloLabel', 'xlsx']],
  ['filter', 'type=bug', ['jiraCreated', 'jiraUpdated', 'jiraLabelled', 'jiraComment']],
  ['filter', 'priority=Highest', ['jiraUpdated', 'jiraLabelled']],
  ['filter', 'priority>=Highest', ['jiraUpdated', 'jiraLabelled', 'trelloCreated', 'trelloMoved', 'trelloComment', 'trelloLabel', 'docx', 'xlsx']],
  ['filter', 'project=KAN and priority>=Highest', ['jiraUpdated', 'jiraLabelled']],
  ['filter', 'label=KLANT', ['jiraLabelled', 'trelloLabel']],
  ['filter', 'component=backend', ['jiraLabelled']],
  ['filter', 'assignee=me', ['jiraLabelled']],
  ['filter', 'toegewezen=ik', ['jiraLabelled']],
  ['filter', 'assignee="Pieter Visser"', ['jiraUpdated', 'jiraLabelled']],
  ['filter', 'project=KAN and assignee=none', ['jiraCreated', 'jiraComment']],
  ['filter', 'status->"in progress"', ['jiraUpdated', 'jiraLabelled']],
  ['filter', 'status->Done', []],
  ['filter', 'status="To Do"', ['jiraCreated', 'jiraComment']],
  ['filter', 'list->Doing', ['trelloMoved']],
  ['filter', 'lijst->"To Do"', ['trelloCreated']],
  ['filter', 'list=Doing', ['trelloMoved', 'trelloComment']],
  ['filter', 'name=*.docx', ['docx']],
  ['filter', 'naam=offerte*', ['docx']],
  ['filter', 'name=*.docx or name="planning ??.xlsx"', ['docx', 'xlsx']],
  ['filter', 'not project=KAN', ['trelloCreated', 'trelloMoved', 'trelloComment', 'trelloLabel', 'docx', 'xlsx']],
  ['filter', '(created of gereageerd) en niet lijst="To Do"', ['jiraCreated', 'jiraComment', 'trelloComment', 'docx']],
  ['jql', 'project = KAN AND labels in (klant, urgent) AND status changed to "In Progress"', ['jiraLabelled']],
  ['jql', 'assignee = currentUser()', ['jiraLabelled']],
  ['jql', 'priority in (High, Highest) AND NOT assignee is EMPTY', ['jiraUpdated', 'jiraLabelled']],
  ['jql', 'issuetype = Story OR labels = urgent', ['jiraLabelled']],
];

describe('filters on normalised fixture events', () => {
  it.each(cases)('%s %s', (syntax, text, expected) => {
    const node = readFilter(text, syntax);
    expect(all.filter((n) => evaluateFilter(node, events[n], subscriber))).toEqual(expected);
  });

  it('normalisers carry what filters look at (labels, components, assignee e-mail, Trello label, file name)', () => {
    expect(events.jiraLabelled.subject).toMatchObject({ labels: ['klant', 'urgent'], components: ['Backend'], assigneeEmail: 'pieter.visser@kpn.example' });
    expect(events.jiraCreated.subject.labels).toBeUndefined();
    expect(events.trelloLabel.subject.labels).toEqual(['Klant']);
    expect(events.trelloLabel.changes).toEqual([{ field: 'label', from: null, to: 'Klant' }]);
    expect(events.docx.subject.fileName).toBe('Offerte KPN EEN.docx');
  });

  it('assignee=me without a known subscriber matches nobody', () => {
    expect(evaluateFilter(readFilter('assignee=me'), events.jiraLabelled, { subscriber: null })).toBe(false);
  });

  it('a resync notice passes any filter; no filter lets everything through', () => {
    const resync: SourceEvent = { ...events.docx, kind: 'source.resync' };
    expect(evaluateFilter(readFilter('name=*.pdf'), resync, subscriber)).toBe(true);
    expect(all.every((n) => filterMatches({ expression: null, subscriber: null }, events[n]))).toBe(true);
  });
});
