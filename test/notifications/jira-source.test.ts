import { browseUrl, jiraDeliveryKey, parseJiraWebhook, signJiraBody, verifyJiraSignature, type SourceEvent } from '../../core/internal';
import {
  jiraCommentCreated,
  jiraCommentUpdated,
  jiraIssueCreated,
  jiraIssueDeleted,
  jiraIssueRanked,
  jiraIssueRenamed,
  jiraIssueUpdated,
} from '../fixtures/jira-webhooks';

function eventOf(body: unknown): SourceEvent {
  const result = parseJiraWebhook(body, 'delivery-1');
  if (result.outcome !== 'event') throw new Error(`expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('Jira signatures (X-Hub-Signature: sha256=…)', () => {
  const body = Buffer.from(JSON.stringify(jiraIssueCreated));

  it('accepts the HMAC-SHA256 of the raw body under the shared secret', () => {
    expect(verifyJiraSignature(body, signJiraBody(body, 's3cret'), 's3cret')).toBe(true);
  });

  it('refuses a signature made with another secret', () => {
    expect(verifyJiraSignature(body, signJiraBody(body, 'other'), 's3cret')).toBe(false);
  });

  it('refuses a body changed after signing, even by one byte', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.length - 2] = tampered[tampered.length - 2]! ^ 1;
    expect(verifyJiraSignature(tampered, signJiraBody(body, 's3cret'), 's3cret')).toBe(false);
  });

  it('refuses a missing, empty, unprefixed or sha1 header', () => {
    const hex = signJiraBody(body, 's3cret').slice('sha256='.length);
    for (const header of [undefined, '', hex, `sha1=${hex.slice(0, 40)}`, 'sha256=zz']) {
      expect(verifyJiraSignature(body, header, 's3cret')).toBe(false);
    }
  });
});

describe('the Jira delivery key', () => {
  // Stored keys are compared across releases (a retry after an upgrade must still be a
  // duplicate), so the format is pinned: "sha256:" + the hex SHA-256 of the raw body.
  // "abc" is the SHA-256 example of FIPS 180-2, appendix B.1.
  it('is sha256: and the hex SHA-256 of the exact bytes', () => {
    expect(jiraDeliveryKey(Buffer.from('abc'))).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(jiraDeliveryKey(Buffer.alloc(0))).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});

describe('parsing Jira webhooks into SourceEvents', () => {
  it('turns jira:issue_created into issue.created with type, priority and a browse link', () => {
    const event = eventOf(jiraIssueCreated);
    expect(event).toMatchObject({
      source: 'jira',
      deliveryKey: 'delivery-1',
      sourceKey: 'KAN',
      kind: 'issue.created',
      actor: 'Anouk de Jong',
      subject: { key: 'KAN-22', title: 'Klik-en-bel faalt voor nummers met 0031', type: 'Bug', priority: 'High', status: 'To Do', url: 'https://kpn-een-demo.atlassian.net/browse/KAN-22' },
      changes: [],
      comment: null,
    });
    expect(event.occurredAt).toBe(new Date(jiraIssueCreated.timestamp).toISOString());
  });

  it('keeps status, assignee and priority changes of jira:issue_updated and drops the rank', () => {
    expect(eventOf(jiraIssueUpdated).changes).toEqual([
      { field: 'status', from: 'To Do', to: 'In Progress' },
      { field: 'assignee', from: null, to: 'Pieter Visser' },
      { field: 'priority', from: 'High', to: 'Highest' },
    ]);
  });

  it('keeps a summary change', () => {
    expect(eventOf(jiraIssueRenamed).changes).toEqual([
      { field: 'summary', from: 'Klik-en-bel faalt voor nummers met 0031', to: 'Klik-en-bel faalt voor 0031-nummers (ook +31)' },
    ]);
  });

  it('ignores an update that changed none of the watched fields', () => {
    expect(parseJiraWebhook(jiraIssueRanked, 'd')).toEqual({ outcome: 'ignored', reason: 'no watched field changed' });
  });

  it('turns jira:issue_deleted into issue.deleted', () => {
    expect(eventOf(jiraIssueDeleted)).toMatchObject({ kind: 'issue.deleted', subject: { status: 'Done' } });
  });

  it('turns comment_created and comment_updated into comment events with the text and its author', () => {
    // The wiki markup is read: the plain text has no markup left, the formatting travels alongside.
    expect(eventOf(jiraCommentCreated)).toMatchObject({
      kind: 'comment.created',
      actor: 'Pieter Visser',
      sourceKey: 'KAN',
      comment: 'Reproduceerbaar met 0031 6 1234 5678. Zie log (https://evil.example/x) <@personEmail:ceo@kpn.com>',
      commentRich: [{ t: 'p', c: expect.arrayContaining([{ t: 'strong', c: [{ t: 'text', text: '0031 6 1234 5678' }] }]) }],
    });
    expect(eventOf(jiraCommentUpdated)).toMatchObject({ kind: 'comment.updated', comment: jiraCommentUpdated.comment.body });
  });

  it('ignores events it does not notify about, such as worklog_created', () => {
    expect(parseJiraWebhook({ timestamp: 1, webhookEvent: 'worklog_created', worklog: {} }, 'd').outcome).toBe('ignored');
  });

  it('calls a body invalid when a required part is missing or wrongly typed, naming where', () => {
    const noIssue = parseJiraWebhook({ ...jiraIssueCreated, issue: undefined }, 'd');
    expect(noIssue).toEqual({ outcome: 'invalid', problem: expect.stringMatching(/^issue/) });
    const badKey = parseJiraWebhook({ ...jiraIssueCreated, issue: { ...jiraIssueCreated.issue, key: 'not a key' } }, 'd');
    expect(badKey).toEqual({ outcome: 'invalid', problem: expect.stringMatching(/issue\.key/) });
    expect(parseJiraWebhook([], 'd').outcome).toBe('invalid');
    expect(parseJiraWebhook({ webhookEvent: 'jira:issue_created' }, 'd').outcome).toBe('invalid');
  });

  it('derives the browse link from the REST self link, keeping a context path', () => {
    expect(browseUrl('https://jira.example.nl/jira/rest/api/2/issue/1', 'ABC-1')).toBe('https://jira.example.nl/jira/browse/ABC-1');
    expect(browseUrl('not a url', 'ABC-1')).toBeNull();
  });
});
