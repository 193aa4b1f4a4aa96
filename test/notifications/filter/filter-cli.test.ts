import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../app/cli';

describe('een-bridge subscriptions --filter / --jql', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'een-filter-cli-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  const ROOM = Buffer.from('ciscospark://us/ROOM/5e1f0a2b-0000-4000-8000-000000000001').toString('base64url');
  const SHORT = 'room 5e1f0a2b';

  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    const out: string[] = [];
    // EEN_PORT 1: in sandbox mode no running service (and so no emulator) answers the room look-up.
    const env = { EEN_DATA_DIR: dataDir, EEN_LOG_LEVEL: 'silent', EEN_HOST: '127.0.0.1', EEN_PORT: '1' };
    const code = await runCli(args, { env, cwd: dataDir, out: (l) => out.push(l), err: (l) => out.push(l) });
    return { code, out: out.join('\n') };
  }

  it('adds with a filter in either language, stores it canonical, shows it in list and replaces it on re-add', async () => {
    expect(await cli('subscriptions', 'add', ROOM, 'jira', 'KAN', '--filter', 'labels=klant EN (status->Done OF status->"In review")')).toEqual({
      code: 0,
      out: `Subscription 1: ${SHORT} follows jira KAN (filter: label=klant and (status->Done or status->"In review")).`,
    });
    expect((await cli('subscriptions', 'list')).out).toContain('label=klant and (status->Done or status->"In review")');
    expect(JSON.parse((await cli('subscriptions', 'list', '--json')).out)).toEqual([
      expect.objectContaining({ filter: {}, filterExpression: 'label=klant and (status->Done or status->"In review")', filterSubscriber: null }),
    ]);
    expect(await cli('subscriptions', 'add', ROOM, 'jira', 'KAN', '--jql', 'project = KAN AND assignee = currentUser()', '--subscriber', 'Anouk@Example.nl')).toEqual({
      code: 0,
      out: `Subscription 1: ${SHORT} already followed jira KAN; replaced filter label=klant and (status->Done or status->"In review") → project=KAN and assignee=me.`,
    });
    expect(JSON.parse((await cli('subscriptions', 'list', '--json')).out)).toEqual([expect.objectContaining({ filterExpression: 'project=KAN and assignee=me', filterSubscriber: 'anouk@example.nl' })]);
  });

  it('sets and removes a filter on an existing subscription', async () => {
    await cli('subscriptions', 'add', ROOM, 'trello', 'b0ard', '--filter', '{"lists":["Doing"]}');
    expect(await cli('subscriptions', 'set', ROOM, '1', '--filter', 'lijst->Klaar of name=*.docx')).toEqual({
      code: 0,
      out: 'Subscription 1: format=full skip-own=off important=created,deleted,status filter=list->Klaar or name=*.docx.',
    });
    expect((await cli('subscriptions', 'list')).out).toContain('{"lists":["Doing"]} and list->Klaar or name=*.docx');
    expect(await cli('subscriptions', 'set', ROOM, '1', '--filter', 'off')).toEqual({ code: 0, out: 'Subscription 1: format=full skip-own=off important=created,deleted,status.' });
    expect(await cli('subscriptions', 'set', 'room-2', '1', '--filter', 'created')).toEqual({ code: 1, out: 'No subscription 1 in that space.' });
  });

  it('refuses unknown terms, what JQL cannot express, assignee=me without a subscriber and unknown spaces, changing nothing', async () => {
    const refused = async (...args: string[]) => {
      const r = await cli('subscriptions', ...args);
      expect(r.code).toBe(2);
      return r.out.split('\n')[0];
    };
    expect(await refused('add', ROOM, 'jira', 'KAN', '--filter', 'created and labl=klant')).toBe(
      'een-bridge subscriptions: --filter: I do not know “labl” (position 13). Filters use event words (created, updated, deleted, commented) and type, priority, label, component, assignee, status, list, name, project.',
    );
    expect(await refused('add', ROOM, 'jira', 'KAN', '--jql', 'project = KAN ORDER BY created')).toBe(
      'een-bridge subscriptions: --jql: JQL “ORDER” (position 15) sorts search results; a notification filter cannot sort, leave it out.',
    );
    expect(await refused('add', ROOM, 'jira', 'KAN', '--jql', 'summary ~ "bel"')).toContain('The JQL field “summary” (position 1) is not supported');
    expect(await refused('add', ROOM, 'jira', 'KAN', '--filter', 'assignee=me')).toBe('een-bridge subscriptions: --filter: assignee=me (currentUser()) needs --subscriber <e-mail>, the person it means');
    expect(await refused('add', ROOM, 'jira', 'KAN', '--filter', 'created', '--jql', 'type = Bug')).toBe('een-bridge subscriptions: give --filter or --jql, not both');
    expect(await refused('add', ROOM, 'jira', 'KAN', '--filter', '{"minPrio":"High"}')).toContain('unknown key "minPrio"');
    expect(await refused('add', 'room-1', 'jira', 'KAN', '--filter', 'created')).toContain('"room-1" is not a Webex room id');
    expect(await refused('add', ROOM, 'jira', 'KAN', '--bogus', 'x')).toMatch(/bogus/);
    expect((await cli('subscriptions', 'list')).out).toBe('(none)');
  });
});
