import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../app/cli';
import {
  AuditLog,
  FollowRequests,
  ServedOrganisations,
  SourceAllowList,
  SpaceAccess,
  SpaceWriters,
  WebexSeenEvents,
  normaliseSourceKey,
  type Clock,
  type WebexActor,
} from '../../core/internal';
import { dialects, openTestStore, type TestStore } from '../helpers/stores';

// Webex ids are base64 of ciscospark://us/<TYPE>/<uuid> (developer.webex.com, "REST API Basics").
const orgUuid = '96abc2aa-3dcc-11e5-a152-fe34819cdc9a';
const otherUuid = '0f1e2d3c-4b5a-4968-8796-a5b4c3d2e1f0';
const orgId = (uuid: string) => Buffer.from(`ciscospark://us/ORGANIZATION/${uuid}`).toString('base64');

describe('source keys an administrator lists', () => {
  it.each([
    ['jira', 'kan', 'KAN'],
    ['trello', 'https://trello.com/b/SbxDemo1/een-bridge-demo', 'SbxDemo1'],
    ['trello', '5f1e2d3c4b5a69788796a5b4', '5f1e2d3c4b5a69788796a5b4'],
    ['graph', 'b!drive', 'b!drive'],
    ['graph', 'b!drive/01FOLDER', 'b!drive/01FOLDER'],
  ] as const)('normalises %s %s', (source, raw, expected) => {
    expect(normaliseSourceKey(source, raw)).toBe(expected);
  });
  it.each([
    ['jira', '12-3'],
    ['trello', 'https://evil.example/b/SbxDemo1'],
    ['graph', 'a/b/c'],
    ['graph', ''],
  ] as const)('refuses %s %s', (source, raw) => {
    expect(normaliseSourceKey(source, raw)).toBeUndefined();
  });
});

describe.each(dialects)('the Webex space authorisation model on %s', (dialect) => {
  let t: TestStore;
  let audit: AuditLog;
  let access: SpaceAccess;
  let requests: FollowRequests;
  let allowList: SourceAllowList;
  const now = { value: new Date('2026-12-01T12:00:00.000Z') };
  const clock: Clock = { now: () => now.value };
  const actor = (over: Partial<WebexActor> = {}): WebexActor => ({ personId: 'P1', email: 'anouk@kpn.example', orgId: orgId(orgUuid), spaceId: 'ROOM1', ...over });
  const want = { source: 'jira' as const, sourceKey: 'OPS', label: 'OPS', filter: {}, locale: 'nl-NL' };

  beforeEach(async () => {
    t = await openTestStore(dialect);
    audit = new AuditLog(t.store.db);
    requests = new FollowRequests(t.store.db, audit);
    allowList = new SourceAllowList(t.store.db, audit);
    access = new SpaceAccess({ organisations: new ServedOrganisations(t.store.db, audit, { 'webex-org': [orgId(orgUuid)] }), allowList, requests, writers: new SpaceWriters(t.store.db, audit), audit });
  });
  afterEach(() => t.dispose());

  it('serves a configured organisation or an allowed mail domain only, and audits refusals', async () => {
    expect(await access.serves(actor(), 'help')).toBe(true);
    expect(await access.serves(actor({ orgId: orgId(otherUuid), email: 'x@other.example' }), 'subscribe')).toBe(false);
    expect(await access.serves(actor({ orgId: undefined, email: 'x@other.example' }), 'help')).toBe(false);
    await new ServedOrganisations(t.store.db, audit).allow('email-domain', 'other.example', 'cli:root');
    expect(await access.serves(actor({ orgId: orgId(otherUuid), email: 'x@other.example' }), 'subscribe')).toBe(true);
    expect((await audit.recent(10)).filter((e) => e.action === 'webex.space.serve').map((e) => e.detail.org)).toEqual(['unknown', otherUuid]);
  });

  it('lets a space follow only what is listed for its organisation (or for all); the rest becomes one request per space and source', async () => {
    expect(await access.follow(actor(), want)).toMatchObject({ outcome: 'requested', isNew: true, request: { id: 1, status: 'pending', requesterOrg: orgUuid } });
    expect(await access.follow(actor(), want)).toMatchObject({ outcome: 'requested', isNew: false, request: { id: 1 } });
    expect(await access.follow(actor({ spaceId: 'ROOM2' }), want)).toMatchObject({ outcome: 'requested', isNew: true, request: { id: 2 } });

    // Listed for another organisation: still not for this one.
    await allowList.allow('jira', 'OPS', orgId(otherUuid), 'cli:root');
    expect((await access.follow(actor(), want)).outcome).toBe('requested');
    await allowList.allow('jira', 'ops', orgUuid, 'cli:root');
    expect((await access.follow(actor(), want)).outcome).toBe('allowed');
    expect((await access.follow(actor({ orgId: orgId(otherUuid) }), want)).outcome).toBe('allowed');
    expect((await access.follow(actor({ orgId: undefined }), want)).outcome).toBe('requested');
    await allowList.allow('jira', 'OPS', undefined, 'cli:root');
    expect((await access.follow(actor({ orgId: undefined }), want)).outcome).toBe('allowed');

    // A OneDrive drive on the list covers its folders; a Trello board is matched by id or short link.
    await allowList.allow('graph', 'b!drive', orgUuid, 'cli:root');
    expect((await access.follow(actor(), { ...want, source: 'graph', sourceKey: 'b!drive/01F' })).outcome).toBe('allowed');
    expect((await access.follow(actor(), { ...want, source: 'graph', sourceKey: 'b!other/01F' })).outcome).toBe('requested');
    await allowList.allow('trello', 'https://trello.com/b/SbxDemo1/x', orgUuid, 'cli:root');
    expect((await access.follow(actor(), { ...want, source: 'trello', sourceKey: '5f1e2d3c4b5a69788796a5b4', aliases: ['SbxDemo1'] })).outcome).toBe('allowed');
    expect((await access.follow(actor(), { ...want, source: 'trello', sourceKey: '5f1e2d3c4b5a69788796a5b5', aliases: ['SbxDemo2'] })).outcome).toBe('requested');
  });

  it('approves into the allow-list for the requester\'s organisation, is carried out once, and handed back when that fails', async () => {
    await access.follow(actor(), want);
    await access.follow(actor({ spaceId: 'ROOM2' }), { ...want, sourceKey: 'SEC', label: 'SEC' });
    expect(await requests.approve(1, 'cli:root', allowList)).toMatchObject({ status: 'approved', decidedBy: 'cli:root' });
    expect(await requests.approve(1, 'cli:root', allowList)).toBeUndefined();
    expect(await requests.deny(2, 'cli:root')).toMatchObject({ status: 'denied' });
    expect((await allowList.list()).map((e) => [e.source, e.sourceKey, e.org])).toEqual([['jira', 'OPS', orgUuid]]);

    const decided = await requests.decidedToApply();
    expect(decided.map((r) => [r.id, r.status])).toEqual([[1, 'approved'], [2, 'denied']]);
    expect(await requests.claim(decided[0]!)).toBe(true);
    expect(await requests.claim(decided[0]!)).toBe(false);
    await requests.release(decided[0]!);
    expect(await requests.claim(decided[0]!)).toBe(true);
    expect(await requests.claim(decided[1]!)).toBe(true);
    expect(await requests.decidedToApply()).toEqual([]);
    expect((await requests.list()).map((r) => r.status)).toEqual(['applied', 'closed']);
  });

  it('lets nobody write until a space (or a person in it) is granted', async () => {
    expect(await access.mayWrite(actor(), 'trello.card')).toBe(false);
    const writers = new SpaceWriters(t.store.db, audit);
    await writers.grant('ROOM1', 'Pieter@KPN.example', 'cli:root');
    expect(await access.mayWrite(actor(), 'trello.card')).toBe(false);
    expect(await access.mayWrite(actor({ email: 'pieter@kpn.example' }), 'trello.card')).toBe(true);
    expect(await access.mayWrite(actor({ email: 'pieter@kpn.example', spaceId: 'ROOM2' }), 'trello.card')).toBe(false);
    await writers.grant('ROOM1', '*', 'cli:root');
    expect(await access.mayWrite(actor(), 'trello.card')).toBe(true);
    await expect(writers.grant('ROOM1', 'not an address', 'cli:root')).rejects.toBeInstanceOf(RangeError);
    expect((await audit.recent(20)).filter((e) => e.action === 'space.write').map((e) => e.outcome).reverse()).toEqual(['denied', 'denied', 'allowed', 'denied', 'allowed']);
  });

  it('remembers Webex events for the replay window and refuses commands older than it', async () => {
    const seen = new WebexSeenEvents(t.store.db, 60 * 60_000, clock);
    const message = { webhookId: 'WH', resource: 'messages', event: 'created', dataId: 'M1', created: now.value.toISOString() };
    expect(await seen.sight(message)).toBe('first');
    expect(await seen.sight(message)).toBe('replayed');
    // Another webhook of the bot, or the membership's other event, is another event.
    expect(await seen.sight({ ...message, webhookId: 'WH2' })).toBe('first');
    expect(await seen.sight({ webhookId: 'WH', resource: 'memberships', event: 'created', dataId: 'MB1' })).toBe('first');
    expect(await seen.sight({ webhookId: 'WH', resource: 'memberships', event: 'deleted', dataId: 'MB1' })).toBe('first');
    expect(await seen.sight({ webhookId: 'WH', resource: 'memberships', event: 'deleted', dataId: 'MB1' })).toBe('replayed');
    // Updates repeat for the same id and run no command: not remembered.
    expect(await seen.sight({ webhookId: 'WH', resource: 'rooms', event: 'updated', dataId: 'R1' })).toBe('first');
    expect(await seen.sight({ webhookId: 'WH', resource: 'rooms', event: 'updated', dataId: 'R1' })).toBe('first');
    // A command without a time, or older than the window, is refused whether remembered or not.
    expect(await seen.sight({ ...message, dataId: 'M2', created: undefined })).toBe('stale');
    expect(await seen.sight({ ...message, dataId: 'M3', created: '2026-12-01T10:59:59.000Z' })).toBe('stale');
    expect(await seen.sight({ ...message, resource: 'attachmentActions', dataId: 'A1', created: 'not a date' })).toBe('stale');

    // Two hours on, everything remembered is forgotten (the table stays bounded), and the old
    // message is still refused: by its age.
    now.value = new Date('2026-12-01T14:00:00.000Z');
    expect(await seen.sight({ ...message, dataId: 'M9', created: now.value.toISOString() })).toBe('first');
    expect((await t.store.db.selectFrom('webex_seen_events').select('event_key').execute()).map((r) => r.event_key)).toEqual(['WH/messages:created/M9']);
    expect(await seen.sight(message)).toBe('stale');
    now.value = new Date('2026-12-01T12:00:00.000Z');
  });
});

describe('een-bridge sources and writers', () => {
  let dir: string;
  const out: string[] = [];
  const err: string[] = [];
  const io = () => ({ env: { EEN_DATA_DIR: path.join(dir, 'data') }, cwd: dir, out: (l: string) => out.push(l), err: (l: string) => err.push(l) });
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'een-sources-'));
    out.length = 0;
    err.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('allows, lists as JSON and revokes sources, per organisation or for all', async () => {
    expect(await runCli(['sources', 'allow', 'jira', 'kan'], io())).toBe(0);
    expect(await runCli(['sources', 'allow', 'onedrive', 'b!drive', '--org', orgId(orgUuid)], io())).toBe(0);
    expect(await runCli(['sources', 'allow', 'jira', 'KAN'], io())).toBe(0);
    expect(out.pop()).toBe('jira KAN was already allowed.');
    expect(await runCli(['sources', 'list', '--json'], io())).toBe(0);
    expect((JSON.parse(out.pop()!) as { source: string; sourceKey: string; org: string }[]).map((e) => [e.source, e.sourceKey, e.org])).toEqual([
      ['graph', 'b!drive', orgUuid],
      ['jira', 'KAN', '*'],
    ]);
    expect(await runCli(['sources', 'revoke', 'onedrive', 'b!drive', '--org', orgUuid], io())).toBe(0);
    expect(await runCli(['sources', 'revoke', 'onedrive', 'b!drive', '--org', orgUuid], io())).toBe(1);
    expect(await runCli(['sources', 'requests'], io())).toBe(0);
    expect(out.pop()).toBe('(none)');
  });

  it('refuses bad sources, keys, organisations and request numbers with usage (exit 2)', async () => {
    expect(await runCli(['sources', 'allow', 'github', 'x'], io())).toBe(2);
    expect(await runCli(['sources', 'allow', 'jira', '12-3'], io())).toBe(2);
    expect(await runCli(['sources', 'allow', 'jira', 'KAN', '--org', 'contoso'], io())).toBe(2);
    expect(await runCli(['sources', 'approve', 'one'], io())).toBe(2);
    expect(await runCli(['sources', 'approve', '7'], io())).toBe(1);
    expect(await runCli(['writers', 'allow', 'ROOM1'], io())).toBe(2);
    expect(await runCli(['writers', 'allow', 'ROOM1', 'nobody'], io())).toBe(2);
    expect(err.join('\n')).toMatch(/not a valid jira key/);
  });

  it('grants, lists and revokes writing per space', async () => {
    expect(await runCli(['writers', 'allow', 'ROOM1', 'Anouk@example.nl'], io())).toBe(0);
    expect(await runCli(['writers', 'list', '--json'], io())).toBe(0);
    expect(JSON.parse(out.pop()!)).toEqual([expect.objectContaining({ spaceId: 'ROOM1', person: 'anouk@example.nl' })]);
    expect(await runCli(['writers', 'revoke', 'ROOM1', 'anouk@example.nl'], io())).toBe(0);
    expect(await runCli(['writers', 'revoke', 'ROOM1', 'anouk@example.nl'], io())).toBe(1);
  });
});
