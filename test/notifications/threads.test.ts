import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SpaceSettingsRepository, ThreadRepository, foldEchoes, renderCompact, type SourceEvent } from '../../core/internal';
import { postJiraWebhook } from '../helpers/jira';
import { allRouted, jiraEvent, testStore } from '../helpers/notifications';
import { startTestService, type TestService } from '../helpers/service';
import { acceptedMessages, createSpace, webexCall } from '../helpers/webex-sandbox';
import { jiraIssueCreated, jiraIssueUpdated, pieter, anouk } from '../fixtures/jira-webhooks';

/**
 * Issue 15, "Less noise", end to end: Jira webhooks into een-bridge, notifications out to the
 * Webex emulator over loopback HTTP, read back from the emulator's state.
 */
type Item = { field: string; from: string | null; to: string | null };
let seq = 0;
function jiraBody(project: string, n: number, kind: 'created' | 'updated', items: Item[] = [], user: object = pieter) {
  const base = kind === 'created' ? jiraIssueCreated : jiraIssueUpdated;
  seq += 1;
  return {
    ...base,
    // Each body its own, as Jira sends them: een-bridge drops a replayed body.
    timestamp: Date.now() + seq,
    user,
    issue: { ...base.issue, key: `${project}-${n}`, fields: { ...base.issue.fields, project: { ...base.issue.fields.project, key: project } } },
    ...(kind === 'updated'
      ? { changelog: { id: String(20000 + seq), items: items.map((i) => ({ field: i.field, fieldtype: 'jira', fieldId: i.field, from: null, fromString: i.from, to: null, toString: i.to })) } }
      : {}),
  };
}
const withEmail = (user: typeof pieter, emailAddress: string) => ({ ...user, emailAddress });

async function settled(service: TestService, ms = 15_000): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    // Routed first, then counted: the router commits an event's deliveries as it takes it off its queue.
    const routed = await allRouted(service.store);
    const c = await service.notifications.outbox.counts();
    if (c.pending + c.sending === 0 && routed || Date.now() > until) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each(['sqlite', 'postgres'] as const)('one thread per item (%s)', (kind) => {
  let service: TestService;
  let webex: string;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-threads-'));

  beforeAll(async () => {
    service = await startTestService({ store: kind, env: { EEN_DATA_DIR: dataDir } });
    webex = service.endpoints.sandbox('webex');
  });
  afterAll(async () => {
    await service.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const inRoom = (s: TestService, roomId: string) => acceptedMessages(s.emulators).filter((m) => m.roomId === roomId);
  async function spaceFor(project: string, locale: string, windowMs = 0): Promise<string> {
    const room = await createSpace(webex, `Threads ${project}`);
    await service.notifications.subscriptions.subscribe({ spaceId: room, source: 'jira', sourceKey: project, locale });
    await new SpaceSettingsRepository(service.store.db).setDigestWindow(room, windowMs, 'test');
    return room;
  }
  async function send(s: TestService, body: unknown): Promise<void> {
    expect((await postJiraWebhook(s.url, body)).status).toBe(202);
    await settled(s);
  }

  it('starts a thread with the first change; later ones reply in it, and only important ones are summarised at the top', async () => {
    const room = await spaceFor('THR', 'en-GB');
    await send(service, jiraBody('THR', 1, 'created', [], anouk));
    const [first] = inRoom(service, room);
    expect(first?.parentId).toBeUndefined();
    expect(first?.markdown).toMatch(/^\*\*Anouk de Jong\*\* created \[THR-1\]/);

    // A status change (important by default): its details in the thread, one line at the top.
    await send(service, jiraBody('THR', 1, 'updated', [{ field: 'status', from: 'To Do', to: 'In Progress' }]));
    const afterStatus = inRoom(service, room);
    expect(afterStatus).toHaveLength(3);
    expect(afterStatus[1]).toMatchObject({ parentId: first!.id });
    expect(afterStatus[1]?.markdown).toContain('- Status: To Do → In Progress');
    expect(afterStatus[2]?.parentId).toBeUndefined();
    expect(afterStatus[2]?.markdown).toBe('[THR-1](https://kpn-een-demo.atlassian.net/browse/THR-1) Status: To Do → In Progress — Pieter Visser');

    // A priority change is not important by default: in the thread only.
    await send(service, jiraBody('THR', 1, 'updated', [{ field: 'priority', from: 'High', to: 'Highest' }]));
    const afterPriority = inRoom(service, room);
    expect(afterPriority).toHaveLength(4);
    expect(afterPriority[3]).toMatchObject({ parentId: first!.id });

    // Another item starts its own thread.
    await send(service, jiraBody('THR', 2, 'updated', [{ field: 'priority', from: 'High', to: 'Low' }]));
    expect(inRoom(service, room).at(-1)?.parentId).toBeUndefined();
  });

  it('a digest about one item goes into its thread; a digest about several goes top level', async () => {
    const room = await spaceFor('DIG', 'en-GB', 1_000);
    await send(service, jiraBody('DIG', 1, 'created'));
    const parent = inRoom(service, room)[0]!;
    // Two different people: no echo to fold, so a digest of two changes to DIG-1.
    await postJiraWebhook(service.url, jiraBody('DIG', 1, 'updated', [{ field: 'priority', from: 'High', to: 'Low' }], anouk));
    await send(service, jiraBody('DIG', 1, 'updated', [{ field: 'assignee', from: null, to: 'Pieter Visser' }], pieter));
    const digest = inRoom(service, room)[1]!;
    expect(digest.parentId).toBe(parent.id);
    expect(digest.markdown?.split('\n')[0]).toBe('**2 changes, oldest first**');
    expect(inRoom(service, room)).toHaveLength(2);

    await postJiraWebhook(service.url, jiraBody('DIG', 1, 'updated', [{ field: 'priority', from: 'Low', to: 'High' }], anouk));
    await send(service, jiraBody('DIG', 2, 'updated', [{ field: 'priority', from: 'High', to: 'Low' }], anouk));
    const both = inRoom(service, room).at(-1)!;
    expect(both.parentId).toBeUndefined();
    expect(both.markdown).toContain('[DIG-1]');
    expect(both.markdown).toContain('[DIG-2]');
  });

  it.each([
    ['en-GB', 'compact', '[CMP-1](https://kpn-een-demo.atlassian.net/browse/CMP-1) Assignee: none → Pieter Visser — Pieter Visser'],
    ['nl-NL', 'compact', '[CMP-1](https://kpn-een-demo.atlassian.net/browse/CMP-1) Toegewezen aan: geen → Pieter Visser — Pieter Visser'],
    ['en-GB', 'full', '**Pieter Visser** updated [CMP-1](https://kpn-een-demo.atlassian.net/browse/CMP-1): '],
    ['nl-NL', 'full', '**Pieter Visser** heeft [CMP-1](https://kpn-een-demo.atlassian.net/browse/CMP-1) gewijzigd: '],
  ])('writes a %s space in the %s format', async (locale, format, expected) => {
    const room = await spaceFor('CMP', locale);
    const [sub] = await service.notifications.subscriptions.forSpace(room);
    await service.notifications.subscriptions.configure(room, sub!.id, { format: format as 'compact' | 'full' });
    await send(service, jiraBody('CMP', 1, 'updated', [{ field: 'assignee', from: null, to: 'Pieter Visser' }, { field: 'priority', from: 'High', to: 'Highest' }]));
    const [message] = inRoom(service, room);
    if (format === 'compact') {
      const lines = message!.markdown!.split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(expected);
      expect(lines[1]).toMatch(/^\[CMP-1\]\(.+\) (Priority|Prioriteit): High → Highest — Pieter Visser$/);
    } else {
      expect(message!.markdown!.startsWith(expected)).toBe(true);
      expect(message!.markdown!.split('\n').length).toBeGreaterThan(2);
    }
    // Every space subscribed to CMP got it; leave the next case a fresh one.
    await service.notifications.subscriptions.unsubscribe(room, sub!.id);
  });

  it('folds consecutive edits of one field by one person within the window into one change', async () => {
    const room = await spaceFor('ECHO', 'en-GB', 1_500);
    await postJiraWebhook(service.url, jiraBody('ECHO', 1, 'updated', [{ field: 'status', from: 'To Do', to: 'In Progress' }]));
    await postJiraWebhook(service.url, jiraBody('ECHO', 1, 'updated', [{ field: 'status', from: 'In Progress', to: 'In Review' }]));
    await send(service, jiraBody('ECHO', 1, 'updated', [{ field: 'status', from: 'In Review', to: 'Done' }]));
    const messages = inRoom(service, room);
    expect(messages).toHaveLength(1);
    expect(messages[0]?.markdown).toMatch(/^\*\*Pieter Visser\*\* updated \[ECHO-1\]/);
    expect(messages[0]?.markdown).toContain('- Status: To Do → Done');
    expect(messages[0]?.markdown).not.toContain('In Review');
    // All three deliveries are done, carried by the one message.
    const rows = (await service.notifications.outbox.list({ limit: 500 })).filter((r) => r.spaceId === room);
    expect(rows.map((r) => [r.status, r.webexMessageId])).toEqual([0, 1, 2].map(() => ['delivered', messages[0]!.id]));
  });

  it('skips a change made by someone in the space when skip-own is on, matched by e-mail', async () => {
    const room = await spaceFor('OWN', 'en-GB');
    const member = await webexCall(webex, 'POST', '/memberships', { roomId: room, personEmail: 'pieter.visser@example.nl' });
    expect(member.status).toBe(200);
    const [sub] = await service.notifications.subscriptions.forSpace(room);
    // Off by default: Pieter's own change is posted.
    await send(service, jiraBody('OWN', 1, 'updated', [{ field: 'priority', from: 'High', to: 'Low' }], withEmail(pieter, 'Pieter.Visser@example.nl')));
    expect(inRoom(service, room)).toHaveLength(1);
    await service.notifications.subscriptions.configure(room, sub!.id, { skipOwn: true });
    await send(service, jiraBody('OWN', 1, 'updated', [{ field: 'priority', from: 'Low', to: 'High' }], withEmail(pieter, 'pieter.visser@example.nl')));
    expect(inRoom(service, room)).toHaveLength(1);
    const skipped = (await service.notifications.outbox.list({ limit: 500 })).filter((r) => r.spaceId === room)[0]!;
    expect(skipped).toMatchObject({ status: 'delivered', webexMessageId: null });
    // Someone outside the space, and someone whose address Jira hides, still reach it.
    await send(service, jiraBody('OWN', 1, 'updated', [{ field: 'priority', from: 'High', to: 'Low' }], withEmail(anouk, 'anouk@example.nl')));
    await send(service, jiraBody('OWN', 1, 'updated', [{ field: 'priority', from: 'Low', to: 'Lowest' }], pieter));
    expect(inRoom(service, room)).toHaveLength(3);
  });

  it('starts a new thread when the first one was deleted in Webex', async () => {
    const room = await spaceFor('DEL', 'en-GB');
    await send(service, jiraBody('DEL', 1, 'created'));
    const parent = inRoom(service, room)[0]!;
    expect((await webexCall(webex, 'DELETE', `/messages/${parent.id}`)).status).toBe(204);
    await send(service, jiraBody('DEL', 1, 'updated', [{ field: 'priority', from: 'High', to: 'Low' }]));
    await send(service, jiraBody('DEL', 1, 'updated', [{ field: 'priority', from: 'Low', to: 'High' }]));
    const [restarted, reply] = inRoom(service, room);
    expect(restarted?.parentId).toBeUndefined();
    expect(reply?.parentId).toBe(restarted!.id);
    expect((await service.notifications.outbox.counts()).dead).toBe(0);
  });

  it('keeps its threads across a restart of the service', async () => {
    const room = await spaceFor('RST', 'en-GB');
    await send(service, jiraBody('RST', 1, 'created'));
    const parent = inRoom(service, room)[0]!;
    const emulators = service.emulators;
    await service.stop();
    // Same store (data dir; on PostgreSQL the same schema), same emulators (the same Webex messages).
    const schema = service.schema;
    service = await startTestService({ store: kind, env: { EEN_DATA_DIR: dataDir }, emulators: [...emulators], ...(schema ? { schema } : {}) });
    webex = service.endpoints.sandbox('webex');
    await send(service, jiraBody('RST', 1, 'updated', [{ field: 'priority', from: 'High', to: 'Low' }]));
    const messages = inRoom(service, room);
    expect(messages).toHaveLength(2);
    expect(messages[1]?.parentId).toBe(parent.id);
  });
});

describe.each(['sqlite', 'postgres'] as const)('the thread link in the store (%s)', (kind) => {
  it('keeps the first parent when two replicas record one for the same item', async () => {
    const { store, another, dispose } = await testStore(kind);
    try {
      const replica = await another();
      const item = { spaceId: 'room-1', source: 'jira' as const, sourceKey: 'KAN', itemKey: 'KAN-1' };
      const kept = await Promise.all([new ThreadRepository(store.db).link(item, 'message-a'), new ThreadRepository(replica.db).link(item, 'message-b')]);
      expect(new Set(kept).size).toBe(1);
      expect(await new ThreadRepository(replica.db).parentOf(item)).toBe(kept[0]);
      await new ThreadRepository(store.db).forget(item, kept[0]!);
      expect(await new ThreadRepository(replica.db).parentOf(item)).toBeUndefined();
    } finally {
      await dispose();
    }
  });
});

describe('the Webex emulator and threads', () => {
  let service: TestService;
  let webex: string;
  beforeAll(async () => {
    service = await startTestService();
    webex = service.endpoints.sandbox('webex');
  });
  afterAll(() => service.dispose());

  it('accepts a reply to a top-level message of the same space and refuses what Webex refuses, in its error shape', async () => {
    const room = await createSpace(webex, 'Parent');
    const other = await createSpace(webex, 'Other');
    const top = await webexCall<{ id: string }>(webex, 'POST', '/messages', { roomId: room, text: 'top' });
    const reply = await webexCall<{ id: string; parentId: string }>(webex, 'POST', '/messages', { roomId: room, parentId: top.body.id, text: 'reply' });
    expect(reply).toMatchObject({ status: 200, body: { parentId: top.body.id } });
    const toReply = await webexCall<{ message: string; errors: { description: string }[]; trackingId: string }>(webex, 'POST', '/messages', { roomId: room, parentId: reply.body.id, text: 'nested' });
    expect(toReply.status).toBe(400);
    expect(toReply.body).toEqual({ message: expect.stringContaining('reply'), errors: [{ description: toReply.body.message }], trackingId: expect.any(String) });
    const elsewhere = await webexCall<{ message: string }>(webex, 'POST', '/messages', { roomId: other, parentId: top.body.id, text: 'wrong room' });
    expect(elsewhere.status).toBe(404);
    const unknown = await webexCall<{ message: string }>(webex, 'POST', '/messages', { roomId: room, parentId: 'Y2lzY29zcGFyazovL3VzL01FU1NBR0Uvbm9uZQ', text: 'none' });
    expect(unknown.status).toBe(404);
  });
});

describe('folding echoes', () => {
  const event = (key: string, n: number, field: 'status' | 'priority', from: string, to: string, actor = 'Pieter Visser'): SourceEvent => ({
    ...jiraEvent(`fold-${key}-${n}`, key),
    actor,
    changes: [{ field, from, to }],
  });

  it('joins consecutive edits by one person, keeps others apart, and drops a field put back', () => {
    const folded = foldEchoes([
      event('KAN-1', 1, 'status', 'To Do', 'In Progress'),
      event('KAN-1', 2, 'status', 'In Progress', 'Done'),
      event('KAN-1', 3, 'priority', 'High', 'Low', 'Anouk de Jong'),
      event('KAN-2', 4, 'priority', 'High', 'Low'),
      event('KAN-2', 5, 'priority', 'Low', 'High'),
    ]);
    // A lone change is passed on as the source said it, even one that changed nothing visible.
    expect(foldEchoes([event('KAN-3', 8, 'status', 'Done', 'Done')]).map((e) => e.changes)).toEqual([[{ field: 'status', from: 'Done', to: 'Done' }]]);
    // A file's new version lists no fields: still news, and two by one person are one.
    const file = (n: number): SourceEvent => {
      const e = event('KAN-9', n, 'status', 'x', 'x');
      return { ...e, source: 'graph', subject: { ...e.subject, key: 'report.docx' }, changes: [] };
    };
    expect(foldEchoes([file(6), file(7)]).map((e) => [e.subject.key, e.changes])).toEqual([['report.docx', []]]);
    expect(folded.map((e) => [e.subject.key, e.actor, e.changes])).toEqual([
      ['KAN-1', 'Pieter Visser', [{ field: 'status', from: 'To Do', to: 'Done' }]],
      ['KAN-1', 'Anouk de Jong', [{ field: 'priority', from: 'High', to: 'Low' }]],
    ]);
  });
});

describe('the compact format and hostile text', () => {
  it('escapes names, titles and values, and links only http(s) item URLs', () => {
    const hostile = '<@all> **vet** [klik](javascript:alert(1)) <script>';
    const base = jiraEvent('hostile-1', 'KAN-1');
    const updated: SourceEvent = { ...base, actor: hostile, subject: { ...base.subject, title: hostile, url: 'javascript:alert(1)' }, changes: [{ field: 'status', from: hostile, to: hostile }] };
    const created: SourceEvent = { ...updated, kind: 'issue.created', changes: [] };
    const { markdown, text, card } = renderCompact([updated, created], 'nl-NL');
    for (const line of markdown.split('\n')) {
      expect(line).not.toMatch(/(?<!\\)<@all>|(?<!\\)\*\*vet(?<!\\)\*\*|\]\(javascript:|(?<!\\)<script>/);
      // No link at all: the URL was not http(s), so the key stands in bold.
      expect(line).toContain('**KAN-1**');
    }
    expect(text.split('\n')).toHaveLength(2);
    for (const block of card.body) expect(String(block.text)).not.toMatch(/(?<!\\)<@all>|\]\(javascript:/);
  });
});
